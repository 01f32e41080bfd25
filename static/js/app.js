// Behaviour shared by every page. No inline script is allowed by the Content-Security-Policy,
// so anything a page needs lives here, bound through data attributes.
document.addEventListener("DOMContentLoaded", () => {
  // Controls that only work with this script are hidden in the page until it runs.
  document.querySelectorAll("[data-filter-box]").forEach((box) => box.removeAttribute("hidden"));
  // Ask before an action that cannot be undone: <button data-confirm="...">.
  document.body.addEventListener("click", (event) => {
    const target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
  });
});

// htmx swaps only successful answers by default; a form marked data-swap-errors also shows
// the answer to bad input (status 400), which carries the form with its error, and any
// request shows the notice of an expired form (status 403, placed by the server).
document.addEventListener("htmx:beforeSwap", (event) => {
  const source = event.detail.elt;
  const xhr = event.detail.xhr;
  // Signed out meanwhile: the answer is the sign-in page. Keep the form as it is.
  if (xhr.responseURL && new URL(xhr.responseURL).pathname.startsWith("/accounts/login/")) {
    event.detail.shouldSwap = false;
    window.alert(document.body.dataset.sessionEnded);
    return;
  }
  // An expired form: the answer is a notice the server placed on top of the page.
  if (xhr.status === 403 && xhr.getResponseHeader("HX-Retarget")) {
    document.getElementById("session-expired")?.remove();  // one notice, however many asks
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    return;
  }
  if (xhr.status === 400 && source && source.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// Any other failure (no connection, an error on the server): say so, change nothing.
["htmx:responseError", "htmx:sendError"].forEach((name) => {
  document.addEventListener(name, () => window.alert(document.body.dataset.requestFailed));
});
// After a swap, move focus to what the answer marks with data-focus-after-swap (the new
// reply, or the field to correct), so keyboard and screen reader users are not lost.
document.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[data-focus-after-swap]");
  if (target) {
    target.removeAttribute("data-focus-after-swap");
    target.focus();
  }
});

// A search box that narrows a long list of checkboxes as one types:
// <input type="search" data-filter-choices="ID of the element holding the .form-check items">.
// Checked choices always stay visible; without script the whole list shows.
document.addEventListener("keydown", (event) => {
  // Enter in the search box narrows the list; it must not send the form around it.
  if (event.key === "Enter" && event.target.closest("[data-filter-choices]")) {
    event.preventDefault();
  }
});
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-filter-choices]");
  if (!box) return;
  const list = document.getElementById(box.dataset.filterChoices);
  if (!list) return;
  const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  list.querySelectorAll(".form-check").forEach((choice) => {
    const text = choice.textContent.toLowerCase();
    const match = choice.querySelector("input").checked || words.every((w) => text.includes(w));
    choice.hidden = !match;
    if (match) shown += 1;
  });
  const status = document.getElementById(box.getAttribute("aria-describedby"));
  if (status && box.dataset.countTemplate) {
    status.textContent = box.dataset.countTemplate.replace("{count}", shown);
  }
});
