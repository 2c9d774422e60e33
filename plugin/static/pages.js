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

  // `path` through the transport; options: method, body (sent as JSON), query (object; an array value is the
  // parameter repeated). Resolves to the JSON body.
  function api(path, options) {
    options = options || {};
    var query = new URLSearchParams();
    Object.keys(options.query || {}).forEach(function (key) {
      [].concat(options.query[key]).forEach(function (value) {
        if (value !== undefined && value !== null && value !== "") { query.append(key, value); }
      });
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

  // A request not answered yet has no configuration to speak of: what it awaits, by the synchronization's status.
  var AWAITING = { request_sent: "Awaiting acceptance · the partner has not accepted yet",
                   incoming_request: "Awaiting acceptance · accept the request first", declined: "n/a · declined" };

  // The configuration's state in words that say what to do next (`draftStatus` stays the API's value; `state`:
  // status (the synchronization's, when known), draftStatus, mode, version, draftSaved, problems = how many problems
  // the saved draft has). [text, lozenge].
  function draftLabel(state) {
    if (AWAITING[state.status]) { return [AWAITING[state.status], ""]; }
    var version = state.version ? " · version " + state.version + " live" : "";
    switch (state.draftStatus) {
      case "draft_sent": return ["Sent · waiting for the partner" + version, "aui-lozenge-current"];
      case "draft_received": return ["Partner's draft · review it" + version, "aui-lozenge-new"];
      case "declined": return ["Declined · change it and send again" + version, "aui-lozenge-removed"];
    }
    if (state.draftSaved) {
      if (state.mode === "review") { return ["Draft saved · not sent" + version, "aui-lozenge-moved"]; }
      return ["Draft not published · fix its problems" + version, "aui-lozenge-moved"];
    }
    if (!state.version) { return ["Not configured · configure it", ""]; }
    return [(state.mode === "review" ? "Agreed · version " : "Published · version ") + state.version,
            "aui-lozenge-success"];
  }

  // The viewer's time zone, as Jira gives it: the `tz` of the iframe URL at once, then the host's answer
  // (the transport asks it; it wins); the browser's own zone only when Jira gives none.
  var timeZone = new URLSearchParams(location.search).get("tz") || null;
  function validZone(zone) {
    try { new Intl.DateTimeFormat(undefined, { timeZone: zone }); return true; } catch (e) { return false; }
  }
  if (timeZone && !validZone(timeZone)) { timeZone = null; }
  if (window.WorkSyncTransport && window.WorkSyncTransport.timeZone) {
    window.WorkSyncTransport.timeZone(function (zone) { if (zone && validZone(zone)) { timeZone = zone; } });
  }
  // A time of our API (ISO 8601) as the viewer reads it: their zone, their language, the zone's short name.
  function when(iso) {
    if (!iso) { return ""; }
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return String(iso); }
    // (dateStyle and timeZoneName do not combine: the zone's name is added after)
    return date.toLocaleString(undefined, { timeZone: timeZone || undefined, dateStyle: "medium",
                                            timeStyle: "short" }) + " " + zoneName(date);
  }
  function zoneName(date) {
    var parts = new Intl.DateTimeFormat(undefined, { timeZone: timeZone || undefined, timeZoneName: "short" })
      .formatToParts(date).filter(function (p) { return p.type === "timeZoneName"; });
    return parts.length ? parts[0].value : "";
  }
  // Text from our API with ISO times in it (the checks' messages): each time as `when` writes it.
  var ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;
  function localTimes(text) { return text ? String(text).replace(ISO_TIME, when) : text; }

  // An AUI tooltip on `node` (Jira's hover text) when AUI is on the page; `data-tooltip` keeps the text.
  function tooltip(node, text) {
    node.setAttribute("data-tooltip", text || "");  // an empty text: no tooltip
    if (!(window.jQuery && window.jQuery.fn.tooltip)) {  // no AUI on this page: the browser's hover text
      if (text) { node.title = text; } else { node.removeAttribute("title"); }
      return node;
    }
    if (node.hasAttribute("data-tooltip-on") || !text) { return node; }
    node.setAttribute("data-tooltip-on", "");
    window.jQuery(node).tooltip({ title: function () { return node.getAttribute("data-tooltip"); }, gravity: "s" });
    return node;
  }

  // The error categories (the API's values) in words, as Troubleshoot's filter and rows and the glance show them.
  var CATEGORIES = [["auth", "Sign-in (authentication)"], ["permission", "Missing permission"],
                    ["mapping", "Mapping"], ["validation", "Rejected value"], ["workflow", "Workflow transition"],
                    ["conflict", "Conflict"], ["transient", "Temporary failure"], ["not_found", "Not found"],
                    ["internal", "Work Sync's own error"]];
  function categoryName(category) {
    var found = CATEGORIES.filter(function (c) { return c[0] === category; })[0];
    return found ? found[1] : category;
  }

  window.WorkSync = { api: api, download: download, pager: pager, ApiError: ApiError, flag: flag, el: el,
                      CATEGORIES: CATEGORIES, categoryName: categoryName,
                      STATUS: STATUS, DRAFT_STATUS: DRAFT_STATUS, transport: T, when: when, localTimes: localTimes, draftLabel: draftLabel,
                      tooltip: tooltip, timeZone: function () { return timeZone; } };
  if (!T.available()) { show("Open this page from Jira."); return; }
  if (!status) { return; }  // a page without a connection line (the glance) needs no header data
  // Nothing is shown while all is well (Jira's page already says where we are and who is there): only a failure.
  api("/api/context").then(function (ctx) {
    status.hidden = true;
    status.setAttribute("data-connected", ctx.site.displayUrl);
  }).catch(function (error) { show("Could not reach Work Sync: " + error.message); });
})();
