// The API docs page (templates/opendata/docs.html): Swagger UI, served from this site,
// reads the schema in the page's language (data-schema). No inline script: the
// Content-Security-Policy stays "script-src 'self'".
(function () {
  var box = document.getElementById("swagger-ui");
  if (!box || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: box.dataset.schema,
    domNode: box,
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // The API only reads: offer GET alone, and no validator badge (it calls out).
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    // Plain answers: the highlighter's colours on its dark ground are under 4.5:1.
    syntaxHighlight: false
  });

  // What Swagger UI draws without a name or a way in for the keyboard (axe-core): its
  // selects get their parameter's name, and the answer and example boxes, which scroll,
  // can be reached with Tab. Swagger redraws as one reads, so this follows its changes.
  function mend() {
    box.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      var row = select.closest("[data-param-name]");
      if (row) select.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
    box.querySelectorAll(".highlight-code > *, .example, pre").forEach(function (region) {
      if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(mend).observe(box, { childList: true, subtree: true });
})();
