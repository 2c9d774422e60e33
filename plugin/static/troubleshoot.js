// Troubleshoot one synchronization (#/synchronizations/ID/troubleshoot): the analysis (every check with what it
// found and what to do), the errors table (filters, Retry, Ignore, Resync, Retry all, pages) and the history
// (troubleshoot-history.js), for both sides' admins.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var PER_PAGE = 25;
  var ORDER = { fail: 0, warn: 1, pass: 2 };  // what needs attention first
  var RESULT = { pass: ["pass", "aui-lozenge-success"], warn: ["warning", "aui-lozenge-moved"],
                 fail: ["fail", "aui-lozenge-removed"] };
  var TRIGGER = { webhook: "webhook", poll: "poll", retry: "Retry", resync: "Resync", start: "initial sync",
                  initial: "initial sync", existing: "initial sync",
                  recheck: "an edit made while it synced" };
  // The error categories (the API's values) in words, as the filter and the rows show them (pages.js).
  var CATEGORIES = WS.CATEGORIES;
  var CATEGORY = {};
  CATEGORIES.forEach(function (c) { CATEGORY[c[0]] = c[1]; });
  // After Retry, Retry all or Resync the job runs on a worker: the table, the banner and the history are read
  // again now and then a few times, until the outcome is in (each step waits longer, the last after 30 s).
  var FOLLOW_UP_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  var current = null;  // {id, sync, view, state, category, page}

  function base() { return "/api/synchronizations/" + encodeURIComponent(current.id); }
  function part(id) { return current.view.querySelector('[data-testid="' + id + '"]'); }
  function when(iso) { return WS.when(iso); }
  function sideName(side) {
    if (!current.sync || !side) { return ""; }
    var mine = side === current.sync.side;
    var which = mine ? current.sync.project : current.sync.partner;
    return which.key + (mine ? " (this side)" : " (partner)");
  }

  function checkRow(check) {
    var result = RESULT[check.state];
    return el("tr", { "data-testid": "check", "data-check": check.id, "data-side": check.side || "",
                      "data-state": check.state }, [
      el("td", {}, [check.title]),
      el("td", {}, [el("span", { "class": "aui-lozenge " + result[1], "data-testid": "check-state" }, [result[0]])]),
      el("td", { "data-testid": "check-message" }, [WS.localTimes(check.message)].concat(check.details.length
        ? [el("ul", { "class": "ws-details-list" }, check.details.map(function (d) {
          return el("li", {}, [WS.localTimes(d)]);
        }))]
        : [])),
      el("td", { "data-testid": "check-fix" }, [WS.localTimes(check.fix || "")])
    ]);
  }

  function analyze() {
    var body = part("checks").querySelector("tbody");
    body.textContent = "";
    part("analysis-status").textContent = "Checking both sites…";
    var asked = current;
    WS.api(base() + "/analysis").then(function (answer) {
      if (asked !== current) { return; }
      var sorted = answer.checks.slice().sort(function (a, b) { return ORDER[a.state] - ORDER[b.state]; });
      sorted.forEach(function (check) { body.appendChild(checkRow(check)); });
      var failing = answer.checks.filter(function (c) { return c.state === "fail"; }).length;
      var warning = answer.checks.filter(function (c) { return c.state === "warn"; }).length;
      part("analysis-status").textContent = (failing || warning
        ? failing + " failed, " + warning + " with a warning, " : "Every check passed, ") +
        "checked " + when(answer.checkedAt) + ".";
    }).catch(function (error) {
      if (asked === current) { part("analysis-status").textContent = "Could not analyze: " + error.message; }
    });
  }

  // The errors table, the banner and the history as they are now.
  function refresh() {
    loadErrors();
    if (WS.notices && WS.notices.reload) { WS.notices.reload(); }
    if (WS.history) { WS.history.reload(); }
  }

  // Refresh now and, while this page stays open, again as the worker gets to the retried issues; the analysis
  // (which asks both sites again, so it costs Jira calls) once, after the worker had a moment.
  var ANALYZE_AFTER_MS = 4000;
  function followUp() {
    var asked = current;
    refresh();
    FOLLOW_UP_MS.forEach(function (delay) {
      setTimeout(function () { if (asked === current) { refresh(); } }, delay);
    });
    setTimeout(function () { if (asked === current) { analyze(); } }, ANALYZE_AFTER_MS);
  }

  function act(path, verb, done) {
    return WS.api(base() + path, { method: "POST" }).then(function (answer) {
      WS.flag("success", verb, done);
      return answer;
    }, function (error) { WS.flag("error", "Could not " + verb.toLowerCase(), error.message); })
      .then(followUp);
  }

  function actionButton(text, testid, onClick) {
    var button = el("button", { type: "button", "class": "aui-button aui-button-link", "data-testid": testid },
                    [text]);
    button.addEventListener("click", onClick);
    return button;
  }

  function errorRow(error) {
    var actions = [];
    if (error.category !== "conflict" && error.state !== "resolved") {
      actions.push(actionButton("Retry", "retry", function () {
        act("/errors/" + encodeURIComponent(error.id) + "/retry", "Retried", "Work Sync syncs the issue again now.");
      }));
      if (error.state === "open") {
        actions.push(actionButton("Ignore", "ignore", function () {
          act("/errors/" + encodeURIComponent(error.id) + "/ignore", "Ignored",
              "Hidden; Work Sync stops retrying it until the issue changes.");
        }));
      }
    }
    if (error.link) {
      actions.push(actionButton("Resync issue", "resync", function () {
        act("/links/" + encodeURIComponent(error.link) + "/resync", "Resyncing",
            "Work Sync reads both issues again and merges them.");
      }));
    }
    var where = [sideName(error.side), error.issue ? error.issue.key || error.issue.id : null, error.field]
      .filter(Boolean);
    var lost = error.detail && error.category === "conflict" && error.detail.lost !== undefined
      ? el("div", { "class": "ws-hint" }, ["Lost: " + JSON.stringify(error.detail.lost)]) : null;
    return el("tr", { "data-testid": "error-row", "data-error-id": error.id, "data-state": error.state }, [
      el("td", { "data-testid": "error-message" }, [error.message, lost]),
      el("td", { "data-testid": "error-where" }, [where.join(" · ")]),
      el("td", {}, [TRIGGER[error.trigger] || error.trigger || ""]),
      el("td", { "class": "ws-nowrap" }, [when(error.firstSeen), el("br"), when(error.lastSeen)]),
      el("td", { "data-testid": "error-count" }, [String(error.count)]),
      el("td", {}, [el("span", { "class": "aui-lozenge aui-lozenge-subtle", "data-testid": "error-category",
                                  "data-category": error.category },
                       [CATEGORY[error.category] || error.category])]),
      el("td", { "data-testid": "error-fix" }, [error.fix || ""]),
      el("td", { "class": "ws-col-actions" }, actions)
    ]);
  }

  function loadErrors() {
    var asked = current;
    return WS.api(base() + "/errors", { query: { state: current.state, category: current.category,
                                                 page: current.page, perPage: PER_PAGE } })
      .then(function (answer) {
        if (asked !== current) { return; }
        var body = part("errors").querySelector("tbody");
        body.textContent = "";
        answer.errors.forEach(function (error) { body.appendChild(errorRow(error)); });
        part("errors").hidden = answer.total === 0;
        part("no-errors").hidden = answer.total > 0;
        part("no-errors").textContent = current.state === "open" ? "No open error." : "Nothing here.";
        part("retry-all").hidden = current.state !== "open" || answer.total === 0;
        WS.pager(part("error-pages"), current.page, PER_PAGE, answer.total, function (n) {
          current.page = n;
          loadErrors();
        });
      }).catch(function (error) { WS.flag("error", "Could not list the errors", error.message); });
  }

  function select(testid, label, options, value, onChange) {
    var node = el("select", { "class": "select", "data-testid": testid, "aria-label": label },
                  options.map(function (o) { return el("option", { value: o[0], selected: o[0] === value }, [o[1]]); }));
    node.addEventListener("change", function () { onChange(node.value); });
    return node;
  }

  // An AUI form (its selects and checkboxes styled as Jira's) that never submits.
  function aui(form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    return form;
  }

  function build(view) {
    view.textContent = "";
    var states = [["open", "Open"], ["ignored", "Ignored"], ["resolved", "Resolved"], ["all", "All"]];
    var categories = [["", "Every category"]].concat(CATEGORIES);
    var retryAll = el("button", { type: "button", "class": "aui-button", "data-testid": "retry-all", hidden: true },
                      ["Retry all"]);
    retryAll.addEventListener("click", function () {
      var body = current.category ? { category: current.category } : undefined;
      WS.api(base() + "/errors/retry-all", { method: "POST", body: body }).then(function (answer) {
        WS.flag("success", "Retrying " + answer.retried + " error" + (answer.retried === 1 ? "" : "s"),
                "Work Sync syncs their issues again now.");
      }, function (error) { WS.flag("error", "Could not retry them", error.message); }).then(followUp);
    });
    var again = el("button", { type: "button", "class": "aui-button aui-button-link", "data-testid": "analyze" },
                   ["Analyze again"]);
    again.addEventListener("click", analyze);
    [
      el("div", { "class": "ws-configure-head" }, [
        el("h2", { "data-testid": "view-title" }, ["Troubleshoot"]),
        el("a", { "class": "aui-button aui-button-link ws-back", href: "#/", "data-testid": "back" },
           ["Back to synchronizations"])]),
      el("section", { "data-testid": "analysis" }, [
        el("h3", {}, ["Analysis ", again]),
        el("p", { "class": "ws-hint", "data-testid": "analysis-status" }),
        el("table", { "class": "aui ws-table", "data-testid": "checks" }, [
          el("thead", {}, [el("tr", {}, [el("th", {}, ["Check"]), el("th", {}, ["Result"]),
                                         el("th", {}, ["What was found"]), el("th", {}, ["What to do"])])]),
          el("tbody")])]),
      el("section", { "data-testid": "errors-section" }, [
        el("h3", {}, ["Errors"]),
        aui(el("form", { "class": "aui ws-toolbar ws-config-toolbar", "data-testid": "error-filters" }, [
          select("error-state", "State", states, current.state, function (v) {
            current.state = v; current.page = 1; loadErrors();
          }),
          select("error-category", "Category", categories, current.category || "", function (v) {
            current.category = v || null; current.page = 1; loadErrors();
          }),
          retryAll])),
        el("p", { "class": "empty", "data-testid": "no-errors", hidden: true }),
        el("table", { "class": "aui ws-table", "data-testid": "errors", hidden: true }, [
          el("thead", {}, [el("tr", {}, ["Error", "Where", "Triggered by", "First / last", "Count", "Category",
                                         "What to do", ""].map(function (h) { return el("th", {}, [h]); }))]),
          el("tbody")]),
        el("ol", { "class": "aui-nav aui-nav-pagination", "data-testid": "error-pages" })]),
      el("section", { "data-testid": "history" })
    ].forEach(function (node) { view.appendChild(node); });
  }

  function open(id, view) {
    current = { id: id, sync: null, view: view, state: "open", category: null, page: 1 };
    build(view);
    view.hidden = false;
    var asked = current;
    WS.api("/api/synchronizations/" + encodeURIComponent(id)).then(function (sync) {
      if (asked !== current) { return; }
      current.sync = sync;
      part("view-title").textContent = "Troubleshoot: " + sync.name;
      loadErrors();
    }).catch(function (error) { WS.flag("error", "Could not open the synchronization", error.message); });
    analyze();
    if (WS.history) { WS.history.open(id, part("history")); }
  }

  function close() { current = null; }

  WS.troubleshoot = { open: open, close: close };
})();
