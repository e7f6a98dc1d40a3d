/*
 * The progress bar of a background job's page (templates/admin/youthwork/_job_progress.html):
 *
 *   <div data-job-progress="/…/progress/"> <progress data-job-bar> <span data-job-text> <span data-job-label>
 *
 * asks the job's progress (JSON: label, text, done, total, indeterminate, finished) every POLL_MS and shows it without reloading
 * the page; once the job has finished, it reloads the page, which then shows the result. No inline script (CSP).
 */
(function () {
  "use strict";

  var POLL_MS = 1000;

  function watch(box) {
    var url = box.getAttribute("data-job-progress");
    var bar = box.querySelector("[data-job-bar]");
    var text = box.querySelector("[data-job-text]");
    var label = box.querySelector("[data-job-label]");

    function show(state) {
      if (bar && state.indeterminate) {
        bar.removeAttribute("value");  // a bar that moves without saying how far
      } else if (bar) {
        bar.max = state.total > 0 ? state.total : 1;
        bar.value = state.total > 0 ? state.done : 0;
      }
      if (text) { text.textContent = state.text; }
      if (label) { label.textContent = state.label; }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (state) {
          show(state);
          if (state.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 5); });
    }

    window.setTimeout(poll, POLL_MS);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-job-progress]"), watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
