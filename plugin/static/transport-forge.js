// The pages' transport inside a Forge Custom UI frame: @forge/bridge's invokeRemote (a FIT instead of a context
// token), showFlag and router. The page's facts (site, user, project, issue) come from view.getContext(): the
// generated page holds @@ws.NAME@@ placeholders, filled in here before the page scripts (kept as inert
// `text/x-work-sync-later` scripts) are loaded in order.
(function () {
  "use strict";
  var bridge = window.ForgeBridge || null;

  // invokeRemote's {status, headers, body} as much of a fetch Response as the page scripts read.
  function response(answer) {
    var headers = answer.headers || {};
    function header(name) {
      var value = headers[name.toLowerCase()];
      return value === undefined ? null : [].concat(value)[0];
    }
    // A file comes as JSON (invokeRemote answers nothing else): {filename, contentType, base64}.
    var file = answer.body && typeof answer.body.base64 === "string" ? answer.body : null;
    function headerOrFile(name) {
      if (file && name.toLowerCase() === "content-disposition") {
        return 'attachment; filename="' + String(file.filename || "download").replace(/"/g, "") + '"';
      }
      return header(name);
    }
    return {
      status: answer.status, ok: answer.status >= 200 && answer.status < 300, statusText: "HTTP " + answer.status,
      headers: { get: headerOrFile },
      json: function () {
        return answer.body === undefined ? Promise.reject(new Error("no body")) : Promise.resolve(answer.body);
      },
      blob: function () {
        if (file) {
          var text = atob(file.base64), bytes = new Uint8Array(text.length);
          for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
          return Promise.resolve(new Blob([bytes], { type: file.contentType || "application/octet-stream" }));
        }
        var body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        return Promise.resolve(new Blob([body], { type: header("content-type") || "application/octet-stream" }));
      }
    };
  }

  var APPEARANCE = { success: "success", error: "error", warning: "warning", info: "info" };
  var flags = 0;

  window.WorkSyncTransport = {
    kind: "forge",
    available: function () { return bridge !== null; },
    // fetch(url, init) through the remote: Forge adds the FIT; the path is resolved against the remote's base URL.
    fetch: function (url, init) {
      init = init || {};
      var headers = {};
      Object.keys(init.headers || {}).forEach(function (name) {
        if (name.toLowerCase() !== "authorization") { headers[name] = init.headers[name]; }
      });
      // invokeRemote parses every answer as JSON: ask for JSON (a download comes base64-encoded in it).
      if (!Object.keys(headers).some(function (name) { return name.toLowerCase() === "accept"; })) {
        headers.Accept = "application/json";
      }
      var request = { path: url, method: init.method || "GET", headers: headers };
      if (init.body !== undefined) { request.body = JSON.parse(init.body); }
      return bridge.invokeRemote(request).then(response);
    },
    // A Jira flag (showFlag's description is text): success and info ones close by themselves, errors stay.
    flag: function (type, title, body) {
      flags += 1;
      bridge.showFlag({ id: "work-sync-" + flags, title: title, description: body || "",
                        appearance: APPEARANCE[type] || "info", isAutoDismiss: type !== "error" });
    },
    open: function (url) { bridge.router.open(url); },
    resize: function () {},  // Forge sizes a Custom UI frame to its content by itself
    // The viewer's time zone, from the Custom UI context (view.getContext's `timezone`).
    timeZone: function (callback) {
      if (bridge && bridge.view && bridge.view.getContext) {
        bridge.view.getContext().then(function (context) { callback(context.timezone); });
      }
    }
  };

  function facts(context) {
    var extension = context.extension || {};
    var project = extension.project || {}, issue = extension.issue || {};
    return { "site": context.siteUrl || "", "user": context.accountId || "unknown",
             "project.key": project.key || "", "project.id": project.id || "",
             "issue.key": issue.key || "", "issue.id": issue.id || "" };
  }

  function fill(values) {
    function text(value) {
      return value.replace(/@@ws\.([a-z.]+)@@/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : "";
      });
    }
    document.title = text(document.title);
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (var node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.nodeValue.indexOf("@@ws.") >= 0) { node.nodeValue = text(node.nodeValue); }
      } else {
        Array.prototype.forEach.call(node.attributes, function (attribute) {
          if (attribute.value.indexOf("@@ws.") >= 0) { attribute.value = text(attribute.value); }
        });
      }
    }
  }

  function loadScripts() {
    var later = document.querySelectorAll('script[type="text/x-work-sync-later"]');
    Array.prototype.forEach.call(later, function (inert) {
      var script = document.createElement("script");
      script.src = inert.getAttribute("src");
      script.async = false;  // in document order, as the Connect page runs them
      document.body.appendChild(script);
    });
  }

  // Forge sizes a Custom UI frame to its content, so the frame never scrolls and a fixed AUI dialog would open at
  // its top, which the person may have scrolled far past in Jira's page: open each dialog where they acted.
  var actedAt = 0;
  function placeDialogs() {
    document.addEventListener("pointerdown", function (event) { actedAt = event.pageY; }, true);
    document.addEventListener("keydown", function () {
      var focused = document.activeElement;
      if (focused && focused.getBoundingClientRect) { actedAt = focused.getBoundingClientRect().top + window.scrollY; }
    }, true);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        var dialog = record.target;
        if (!dialog.classList || !dialog.classList.contains("aui-dialog2") || !dialog.hasAttribute("open") ||
            dialog.hasAttribute("hidden")) { return; }
        var room = document.documentElement.scrollHeight - dialog.offsetHeight - 20;
        dialog.style.position = "absolute";
        dialog.style.top = Math.max(20, Math.min(actedAt - 80, room)) + "px";
      });
    }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ["open", "hidden"] });
  }

  function start() {
    placeDialogs();
    if (!bridge) { fill({}); loadScripts(); return; }
    bridge.view.getContext().then(function (context) { fill(facts(context)); },
                                  function () { fill({}); }).then(loadScripts);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
