// Live observation notes: each note is kept on this device until the server has it, so a
// dropped connection loses nothing. A note carries an id made here; sending it again after
// a failure stores it once. Without this script the form posts as usual.
//
// A note leaves this device only when the server has stored it, or when the server refused
// it as invalid (a 400 with a plain-text reason): then the reason and the note's text stay
// on the page so the person can copy it. Any other answer (signed out, a stale security
// token, a cycle that moved on, too many requests, no connection) keeps the note waiting.
// Notes are kept per person and per cycle, so on a shared tablet one person's notes are
// never sent under another's name.
(() => {
  const newId = () => (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (Math.random() * 16) >> (c / 4)).toString(16));

  const CSRF_COOKIE = "csrftoken";

  function cookieToken() {
    const prefix = `${CSRF_COOKIE}=`;
    const found = document.cookie.split(";").map((c) => c.trim())
      .find((c) => c.startsWith(prefix));
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }

  const isPlainText = (response) =>
    (response.headers.get("Content-Type") || "").startsWith("text/plain");

  function setUp(form) {
    const key = `observation-notes:${form.dataset.user}:${form.dataset.cycle}`;
    const list = document.getElementById(form.dataset.list);
    const pendingList = document.getElementById(form.dataset.pending);
    const refusedList = document.getElementById(form.dataset.refused);
    const status = document.getElementById("note-status");
    const text = form.querySelector("[name=text]");
    const indicator = form.querySelector("[name=indicator]");
    let token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    let sending = false;

    const load = () => {
      try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
    };
    const save = (notes) => localStorage.setItem(key, JSON.stringify(notes));
    const forget = (note) => save(load().filter((n) => n.client_id !== note.client_id));
    const say = (message) => {
      if (status.textContent !== message) status.textContent = message;
    };

    function showPending() {
      const notes = load();
      pendingList.replaceChildren(...notes.map((note) => {
        const item = document.createElement("li");
        item.className = "list-group-item list-group-item-warning";
        item.textContent = `${note.text} (${form.dataset.failed})`;
        return item;
      }));
      pendingList.hidden = notes.length === 0;
    }

    function showRefused(note, reason) {
      const item = document.createElement("li");
      item.className = "list-group-item list-group-item-danger";
      const why = document.createElement("strong");
      why.textContent = `${form.dataset.refusedLabel} ${reason}`;
      const words = document.createElement("p");
      words.className = "mb-0 user-select-all";
      words.textContent = note.text;
      item.append(why, words);
      refusedList.append(item);
      refusedList.hidden = false;
    }

    // A new token after a 403: the cookie holds the current one (signing in again, in
    // another tab, replaces it); without the cookie, the page itself carries one.
    async function freshToken() {
      const fromCookie = cookieToken();
      if (fromCookie && fromCookie !== token) return fromCookie;
      try {
        const response = await fetch(window.location.href, {credentials: "same-origin"});
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const input = page.querySelector("[name=csrfmiddlewaretoken]");
        return input ? input.value : fromCookie || token;
      } catch (e) {
        return fromCookie || token;
      }
    }

    function post(note) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      body.append("client_id", note.client_id);
      body.append("text", note.text);
      body.append("indicator", note.indicator || "");
      body.append("noted_at", note.noted_at);
      body.append("for_user", form.dataset.user);
      return fetch(form.action, {
        method: "POST", body, credentials: "same-origin",
        headers: {"HX-Request": "true", "X-CSRFToken": token},
      });
    }

    async function sendAll() {
      if (sending) return;
      sending = true;
      try {
        for (const note of load()) {
          let response;
          try {
            response = await post(note);
            if (response.status === 403) {
              token = await freshToken();
              response = await post(note);
            }
          } catch (e) {
            // Offline: keep everything for the next try.
            if (load().length) say(form.dataset.held);
            break;
          }
          if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login/")) {
            say(document.body.dataset.sessionEnded);
            break;
          }
          if (response.ok) {
            const html = await response.text();
            if (!document.getElementById(`note-${note.client_id}`)) {
              list.insertAdjacentHTML("afterbegin", html);
            }
            document.querySelectorAll("[data-empty-notes]").forEach((e) => e.remove());
            forget(note);
            say("");
          } else if (response.status === 400 && isPlainText(response)) {
            // Refused as it is (an empty note, a look-for no longer chosen): it would be
            // refused again, so it leaves the queue, with the reason and its words shown.
            showRefused(note, await response.text());
            forget(note);
          } else {
            // Not now (signed in as someone else, the cycle moved on, too many requests,
            // a server error): the note waits on this device.
            const reason = isPlainText(response) ? await response.text() : "";
            say(reason ? `${form.dataset.held} ${reason}` : form.dataset.held);
            break;
          }
        }
      } finally {
        sending = false;
        showPending();
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        text.focus();
        return;
      }
      const notes = load();
      notes.push({client_id: newId(), text: text.value, indicator: indicator ? indicator.value : "",
                  noted_at: new Date().toISOString()});
      save(notes);
      text.value = "";
      text.focus();
      say("");
      showPending();
      sendAll();
    });
    window.addEventListener("online", sendAll);
    setInterval(sendAll, 15000);
    showPending();
    sendAll();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-note-form]").forEach(setUp);
  });
})();
