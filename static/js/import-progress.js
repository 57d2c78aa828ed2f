// The batch page follows a background import, and the preview page of a big file the job
// checking its rows: each asks for the progress every two seconds and reloads itself once
// the job has finished, to show the result.
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("batch-bar");
  var status = document.getElementById("batch-status");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 5000); return; }
        if (data.percent === null) {
          bar.removeAttribute("value"); // work under way, no count: an indeterminate bar
        } else {
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
        }
        status.textContent = data.label.charAt(0).toUpperCase() + data.label.slice(1);
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
