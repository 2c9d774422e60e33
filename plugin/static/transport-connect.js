// The pages' transport inside a Connect iframe: a context token from AP with fetch, AP.flag, links in a new tab.
// The page scripts reach the host only through window.WorkSyncTransport (transport-forge.js is the Forge one).
(function () {
  "use strict";
  function host() { return typeof AP === "undefined" ? null : AP; }

  // Connect renders a flag's body as HTML, so text that came from users is escaped before it goes there.
  function htmlText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  window.WorkSyncTransport = {
    kind: "connect",
    // Whether the page runs inside Jira (the host's AP is there).
    available: function () { return host() !== null; },
    // fetch(url, init) with our API's credentials: `Authorization: JWT <context token>`.
    fetch: function (url, init) {
      init = init || {};
      return host().context.getToken().then(function (token) {
        var headers = {};
        Object.keys(init.headers || {}).forEach(function (name) { headers[name] = init.headers[name]; });
        headers.Authorization = "JWT " + token;
        return fetch(url, { method: init.method || "GET", headers: headers, body: init.body });
      });
    },
    // A Jira flag: success and info ones close by themselves, errors stay until closed.
    flag: function (type, title, body) {
      host().flag.create({ type: type, title: title, body: body ? htmlText(body) : "",
                           close: type === "error" ? "manual" : "auto" });
    },
    // Open a URL (another site's issue) outside the iframe.
    open: function (url) { window.open(url, "_blank", "noopener"); },
    // Make the iframe as tall as the page (AP.resize).
    resize: function (width, height) { if (host() && host().resize) { host().resize(width, height); } },
    // The viewer's time zone, as Jira tells it (AP.user.getTimeZone).
    timeZone: function (callback) {
      if (host() && host().user && host().user.getTimeZone) { host().user.getTimeZone(callback); }
    }
  };
})();
