// Choosing a province reloads the page with that province's communes (and its points);
// without this script the visitor presses "Apply", as the form says.
(function () {
  var form = document.getElementById("place-filter");
  if (!form) return;
  var province = form.querySelector("select[name=province]");
  var commune = form.querySelector("select[name=commune]");
  if (!province) return;
  province.addEventListener("change", function () {
    if (commune) commune.value = "";
    form.submit();
  });
})();
