// Shared script of the iframe pages: asks the host (AP) for a context token and calls our API with it.
(function () {
  "use strict";
  var basePath = document.querySelector('meta[name="ws-base-path"]').content;
  var status = document.querySelector('[data-testid="api-status"]');

  function show(text) { if (status) { status.textContent = text; } }

  function api(path) {
    return AP.context.getToken().then(function (token) {
      return fetch(basePath + path, { headers: { "Authorization": "JWT " + token, "Accept": "application/json" } });
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.message || response.statusText); }
        return body;
      });
    });
  }

  window.WorkSync = { api: api };
  if (typeof AP === "undefined") { show("Open this page from Jira."); return; }
  api("/api/context").then(function (ctx) {
    var user = document.querySelector('[data-testid="user"]');
    if (user && ctx.displayName) { user.textContent = ctx.displayName; }
    show("Connected to " + ctx.site.displayUrl + " as " + (ctx.displayName || ctx.accountId) + ".");
  }).catch(function (error) { show("Could not reach Work Sync: " + error.message); });
})();
