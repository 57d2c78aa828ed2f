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
    docExpansion: "list"
  });
})();
