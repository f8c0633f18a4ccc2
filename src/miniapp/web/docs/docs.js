// The API reference at /docs: Swagger UI, served from this server (no third-party script runs
// on our origin), reading the OpenAPI description at /openapi.json.
window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
});
