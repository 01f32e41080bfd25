// Behaviour shared by every page. No inline script is allowed by the Content-Security-Policy,
// so anything a page needs lives here, bound through data attributes.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before an action that cannot be undone: <button data-confirm="...">.
  document.body.addEventListener("click", (event) => {
    const target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
