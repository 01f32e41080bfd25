// Live observation notes: each note is kept on this device until the server has it, so a
// dropped connection loses nothing. A note carries an id made here; sending it again after
// a failure stores it once. Without this script the form posts as usual.
(() => {
  const newId = () => (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (Math.random() * 16) >> (c / 4)).toString(16));

  function setUp(form) {
    const key = `observation-notes:${form.dataset.cycle}`;
    const list = document.getElementById(form.dataset.list);
    const pendingList = document.getElementById(form.dataset.pending);
    const status = document.getElementById("note-status");
    const text = form.querySelector("[name=text]");
    const indicator = form.querySelector("[name=indicator]");
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    let sending = false;

    const load = () => {
      try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
    };
    const save = (notes) => localStorage.setItem(key, JSON.stringify(notes));

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

    async function sendAll() {
      if (sending) return;
      sending = true;
      try {
        for (const note of load()) {
          const body = new FormData();
          body.append("csrfmiddlewaretoken", token);
          body.append("client_id", note.client_id);
          body.append("text", note.text);
          body.append("indicator", note.indicator || "");
          body.append("noted_at", note.noted_at);
          let response;
          try {
            response = await fetch(form.action, {
              method: "POST", body, credentials: "same-origin",
              headers: {"HX-Request": "true", "X-CSRFToken": token},
            });
          } catch (e) {
            break;  // Offline: keep everything for the next try.
          }
          if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login/")) {
            status.textContent = document.body.dataset.sessionEnded;
            break;
          }
          if (response.ok) {
            const html = await response.text();
            if (!document.getElementById(`note-${note.client_id}`)) {
              list.insertAdjacentHTML("afterbegin", html);
            }
            document.querySelectorAll("[data-empty-notes]").forEach((e) => e.remove());
            save(load().filter((n) => n.client_id !== note.client_id));
          } else if (response.status >= 400 && response.status < 500) {
            // Refused for good (the cycle moved on, an empty note): say why, drop it.
            status.textContent = await response.text();
            save(load().filter((n) => n.client_id !== note.client_id));
          } else {
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
      status.textContent = "";
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
