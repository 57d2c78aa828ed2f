// How far the card is: "18/32 criteria scored", and the links to the criteria still open.
// Kept apart from scorecard.js (which saves the ticks): it only reads the radios.
(function () {
  "use strict";
  var form = document.getElementById("scorecard");
  var done = document.getElementById("progress-done");
  if (!form || !done) return;
  var list = document.getElementById("open-criteria");
  function update() {
    var count = 0;
    form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
      var answered = fieldset.querySelector("input[type=radio]:checked") !== null;
      if (answered) count += 1;
      if (list) {
        var item = list.querySelector('[data-open="' + fieldset.dataset.criterion + '"]');
        if (item) item.hidden = answered;
      }
    });
    done.textContent = count;
    if (list) list.hidden = list.querySelectorAll("[data-open]:not([hidden])").length === 0;
  }
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") update();
  });
})();
