// Shared script of the iframe pages: calls our API through the host's transport (WorkSyncTransport: Connect's
// context token + fetch, or Forge's invokeRemote; see transport-connect.js and transport-forge.js).
(function () {
  "use strict";
  var T = window.WorkSyncTransport;
  var basePath = document.querySelector('meta[name="ws-base-path"]').content;
  var status = document.querySelector('[data-testid="api-status"]');

  function show(text) { if (status) { status.textContent = text; } }

  // An error of our API: its HTTP status and body ({error, message, problems?, errors?}).
  function ApiError(response, body) {
    this.name = "ApiError";
    this.status = response.status;
    this.body = body || {};
    this.message = this.body.message || response.statusText || "HTTP " + response.status;
  }
  ApiError.prototype = Object.create(Error.prototype);

  // `path` through the transport; options: method, body (sent as JSON), query (object). Resolves to the JSON body.
  function api(path, options) {
    options = options || {};
    var query = new URLSearchParams();
    Object.keys(options.query || {}).forEach(function (key) {
      var value = options.query[key];
      if (value !== undefined && value !== null && value !== "") { query.set(key, value); }
    });
    var url = basePath + path + (query.toString() ? "?" + query : "");
    var init = { method: options.method || "GET", headers: { "Accept": "application/json" } };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    return T.fetch(url, init).then(function (response) {
      if (response.status === 204) { return null; }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new ApiError(response, body); }
        return body;
      });
    });
  }

  // A file from our API (a ZIP): fetched through the transport, then saved by the browser under its given name.
  function download(path, query) {
    var url = basePath + path + (query ? "?" + new URLSearchParams(query) : "");
    return T.fetch(url, {}).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw new ApiError(response, body);
        });
      }
      var named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      return response.blob().then(function (blob) {
        var link = el("a", { href: URL.createObjectURL(blob), download: named ? named[1] : "download" });
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
        return named ? named[1] : "download";
      });
    });
  }

  // Page links below a table: Previous, numbers around the current page, Next; `go(n)` shows page n.
  function pager(list, page, perPage, total, go) {
    var last = Math.max(1, Math.ceil(total / perPage));
    list.textContent = "";
    list.hidden = last === 1;
    function link(n, text, className) {
      var a = el("a", { href: "#", "aria-label": "Page " + n }, [text]);
      a.addEventListener("click", function (event) { event.preventDefault(); go(n); });
      return el("li", { "class": className || null }, [a]);
    }
    if (last === 1) { return; }
    if (page > 1) { list.appendChild(link(page - 1, "Previous", "aui-nav-previous")); }
    for (var n = Math.max(1, page - 2); n <= Math.min(last, page + 2); n++) {
      list.appendChild(n === page ? el("li", { "class": "aui-nav-selected", "aria-current": "page" }, [String(n)])
                                  : link(n, String(n)));
    }
    if (page < last) { list.appendChild(link(page + 1, "Next", "aui-nav-next")); }
  }

  // A Jira flag: success and info ones close by themselves, errors stay until closed (body: plain text).
  function flag(type, title, body) { T.flag(type, title, body); }

  // An element: attributes (class, data-*, aria-*, …) set as attributes, children appended (strings as text).
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === false || value === null || value === undefined) { return; }
      node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var STATUS = {
    running: { text: "running", lozenge: "aui-lozenge-success" },
    stopped: { text: "stopped", lozenge: "" },
    request_sent: { text: "request sent", lozenge: "aui-lozenge-current" },
    incoming_request: { text: "incoming request", lozenge: "aui-lozenge-new" },
    declined: { text: "declined", lozenge: "aui-lozenge-removed" }
  };
  var DRAFT_STATUS = { "n/a": "n/a", draft_sent: "draft sent", draft_received: "draft received",
                       declined: "declined", draft_published: "draft published" };

  window.WorkSync = { api: api, download: download, pager: pager, ApiError: ApiError, flag: flag, el: el,
                      STATUS: STATUS, DRAFT_STATUS: DRAFT_STATUS, transport: T };
  if (!T.available()) { show("Open this page from Jira."); return; }
  if (!status) { return; }  // a page without a connection line (the glance) needs no header data
  api("/api/context").then(function (ctx) {
    var user = document.querySelector('[data-testid="user"]');
    if (user && ctx.displayName) { user.textContent = ctx.displayName; }
    show("Connected to " + ctx.site.displayUrl + " as " + (ctx.displayName || ctx.accountId) + ".");
  }).catch(function (error) { show("Could not reach Work Sync: " + error.message); });
})();
