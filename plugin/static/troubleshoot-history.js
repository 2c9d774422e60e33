// The history on the Troubleshoot page: every action of both sides' people and every automatic change of one
// synchronization (its audit log), newest first, a page at a time.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var PER_PAGE = 20;
  var WHAT = {
    create: "requested the synchronization", accept: "accepted the request", decline: "declined the request",
    start: "started it", stop: "stopped it", edit: "edited its name or description", "delete": "deleted it",
    publish: "published a configuration", "save draft": "saved a draft", "withdraw draft": "withdrew a draft",
    "send draft": "sent a draft", "accept draft": "accepted the partner's draft",
    "decline draft": "declined the partner's draft", retry: "retried an error", ignore: "ignored an error",
    "retry all": "retried every open error", resync: "resynced a pair of issues",
    "support bundle": "downloaded a support bundle", "side unreachable": "a site could not be reached",
    "side reachable": "a site could be reached again", notify: "e-mailed the creator about new errors",
    "site installed": "Work Sync was installed on a site again", "site enabled": "Work Sync was enabled on a site",
    "site disabled": "Work Sync was disabled on a site", "site uninstalled": "Work Sync was uninstalled from a site"
  };
  var current = null;  // {id, box, page}

  function part(id) { return current.box.querySelector('[data-testid="' + id + '"]'); }

  function detail(event) {
    var d = event.detail || {};
    var parts = [];
    if (d.issue) { parts.push(d.issue); }
    if (d.issues) { parts.push(d.issues.filter(Boolean).join(" ↔ ")); }
    if (d.category) { parts.push(d.category); }
    if (d.site) { parts.push(d.site); }
    if (d.errors !== undefined) { parts.push(d.errors + " error" + (d.errors === 1 ? "" : "s")); }
    if (d.sent === false && d.reason) { parts.push("not sent: " + d.reason); }
    if (d.name) { parts.push("name: " + d.name[1]); }
    if (d.message) { parts.push("“" + d.message + "”"); }
    return parts.join(" · ");
  }

  // Who: the person's name (their accountId and site in an AUI tooltip), or Work Sync for what changed by itself.
  function who(event) {
    if (!event.accountId) { return "Work Sync"; }
    var node = el("span", { "data-testid": "audit-person", "data-account-id": event.accountId, tabindex: "0" },
                  [event.displayName || event.accountId]);
    return WS.tooltip(node, event.accountId + (event.site ? " on " + event.site : ""));
  }

  function row(event) {
    var status = event.oldStatus && event.newStatus && event.oldStatus !== event.newStatus
      ? event.oldStatus + " → " + event.newStatus : "";
    return el("tr", { "data-testid": "audit-row", "data-action": event.action }, [
      el("td", { "class": "ws-nowrap", "data-testid": "audit-when" }, [WS.when(event.createdAt)]),
      el("td", { "data-testid": "audit-who" }, [who(event)]),
      el("td", {}, [event.side ? "side " + event.side : ""]),
      el("td", { "data-testid": "audit-what" }, [WHAT[event.action] || event.action,
                                                 el("div", { "class": "ws-hint" }, [detail(event)])]),
      el("td", {}, [status])
    ]);
  }

  function load() {
    var asked = current;
    return WS.api("/api/synchronizations/" + encodeURIComponent(current.id) + "/audit",
                  { query: { page: current.page, perPage: PER_PAGE } }).then(function (answer) {
      if (asked !== current) { return; }
      var body = part("audit").querySelector("tbody");
      body.textContent = "";
      answer.events.forEach(function (event) { body.appendChild(row(event)); });
      WS.pager(part("audit-pages"), current.page, PER_PAGE, answer.total, function (n) {
        current.page = n;
        load();
      });
    }).catch(function (error) { WS.flag("error", "Could not read the history", error.message); });
  }

  function open(id, box) {
    current = { id: id, box: box, page: 1 };
    box.textContent = "";
    box.appendChild(el("h3", {}, ["History"]));
    box.appendChild(el("p", { "class": "ws-hint" }, ["What people of both sites did, and what changed by itself."]));
    box.appendChild(el("table", { "class": "aui ws-table", "data-testid": "audit" }, [
      el("thead", {}, [el("tr", {}, ["When", "Who", "Side", "What", "Status"].map(function (h) {
        return el("th", {}, [h]);
      }))]), el("tbody")]));
    box.appendChild(el("ol", { "class": "aui-nav aui-nav-pagination", "data-testid": "audit-pages" }));
    load();
  }

  WS.history = { open: open, reload: function () { if (current) { load(); } } };
})();
