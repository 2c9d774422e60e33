// The synchronizations overview: one page of the project's (or the site's) synchronizations, each with its
// status, open errors and a ••• menu, bulk start/stop above the table, the banner (notices.js), and the views of
// one synchronization: Configure (configure.js), Troubleshoot (troubleshoot.js) and Create support ZIP (support.js).
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var PER_PAGE = 25;
  var root = document.getElementById("ws-overview");
  var project = root.dataset.project || null;
  function part(id) { return root.querySelector('[data-testid="' + id + '"]'); }
  var list = part("list"), rows = part("rows"), empty = part("empty"), view = part("view");
  var bulk = part("bulk"), selectPage = part("select-page");
  var buttons = { start: part("bulk-start"), stop: part("bulk-stop") };
  var menus = document.getElementById("ws-menus");
  var selection = new WS.Selection();
  var shown = [];  // the synchronizations on the page now
  var page = 1;

  var VERB = { start: ["start", "started"], stop: ["stop", "stopped"] };

  function can(sync, action) { return sync.actions.indexOf(action) >= 0; }

  // Accepting happens from the partner's project page, or from the admin page (a same-site request shows as sent).
  function answerable(sync) { return can(sync, "accept") && (sync.status === "incoming_request" || !project); }

  function startRefusal(sync) {
    return { request_sent: "The partner has not accepted it yet.",
             incoming_request: "Accept the request first.",
             declined: "It was declined: delete it." }[sync.status] ||
      "It has no published configuration yet: configure it first.";
  }

  function menuItem(text, action, refusal) {
    return el("aui-item-link", { "data-action": action, disabled: Boolean(refusal), title: refusal || null }, [text]);
  }

  function menuLink(text, sync, path, refusal) {
    var href = refusal ? null : "#/synchronizations/" + encodeURIComponent(sync.id) + "/" + path;
    return el("aui-item-link", { href: href, disabled: Boolean(refusal), title: refusal || null }, [text]);
  }

  function menu(sync) {
    var first = [];
    if (answerable(sync)) { first.push(menuItem("View request", "request")); }
    if (sync.status === "running") {
      first.push(menuItem("Stop", "stop", can(sync, "stop") ? null : "You may not stop it."));
    } else {
      first.push(menuItem("Start", "start", can(sync, "start") ? null : startRefusal(sync)));
    }
    first.push(menuItem("Edit", "edit", can(sync, "edit") ? null : "You may not edit it."));
    first.push(menuLink("Configure", sync, "configure",
                        can(sync, "configure") ? null : "It can be configured once the partner has accepted it."));
    first.push(menuLink("Troubleshoot", sync, "troubleshoot"));
    first.push(menuLink("Create support ZIP", sync, "support-zip"));
    var node = el("aui-dropdown-menu", { id: "ws-menu-" + sync.id }, [
      el("aui-section", {}, first),
      el("aui-section", {}, [menuItem("Delete", "delete", can(sync, "delete") ? null : "You may not delete it.")])
    ]);
    node.addEventListener("click", function (event) {
      var item = event.target.closest("aui-item-link[data-action]");
      if (!item || item.hasAttribute("disabled")) { return; }
      event.preventDefault();
      act(sync, item.getAttribute("data-action"));
    });
    return node;
  }

  // A warning badge with the open errors, leading to the Troubleshoot page.
  function errorBadge(sync) {
    if (!sync.openErrors) { return null; }
    return el("a", { "class": "aui-lozenge aui-lozenge-moved ws-badge", "data-testid": "error-badge",
                     href: "#/synchronizations/" + encodeURIComponent(sync.id) + "/troubleshoot",
                     title: "Open Troubleshoot" },
              [sync.openErrors + " error" + (sync.openErrors === 1 ? "" : "s")]);
  }

  // The initial sync of one started on this page: shown under its status at once ("starting…"), then as
  // GET …/progress tells, asked right away and every few seconds until it is done (n/a: none is planned).
  var progress = {}, following = {};  // sync id → {state, done, total}; sync id → its timer
  var PROGRESS_MS = 2000;

  function items(n) { return n + " work item" + (n === 1 ? "" : "s"); }

  function progressNote(id) {
    var p = progress[id];
    if (!p) { return null; }
    var text = p.state === "running" ? "Initial sync: " + p.done + " of " + items(p.total)
      : p.state === "done" ? "Initial sync done: " + items(p.done) : "Initial sync: starting…";
    return el("div", { "class": "ws-note", "data-testid": "initial-progress", "data-state": p.state }, [text]);
  }

  function showProgress(id) {
    var tr = rows.querySelector('tr[data-sync-id="' + CSS.escape(id) + '"]');
    if (!tr) { return; }
    var old = tr.querySelector('[data-testid="initial-progress"]');
    if (old) { old.remove(); }
    var note = progressNote(id);
    if (note) { tr.querySelector('[data-testid="status"]').parentNode.appendChild(note); }
  }

  function followProgress(id) {
    clearTimeout(following[id]);
    var running = shown.some(function (sync) { return sync.id === id && sync.status === "running"; });
    if (progress[id].state !== "starting" && !running) { delete progress[id]; showProgress(id); return; }
    var again = function () { following[id] = setTimeout(function () { followProgress(id); }, PROGRESS_MS); };
    if (list.hidden) { again(); return; }  // another view is open: ask once the list is back
    WS.api("/api/synchronizations/" + encodeURIComponent(id) + "/progress").then(function (answer) {
      if (answer.state === "n/a") { delete progress[id]; } else { progress[id] = answer; }
      showProgress(id);
      if (answer.state === "pending" || answer.state === "running") { again(); }
    }, again);
  }

  // Right after Start: the initial sync shown as starting, then its progress. The rows themselves are drawn once,
  // by the list's reload that follows every action (drawing them twice closed a menu opened in between).
  function started(syncs) {
    syncs.forEach(function (sync) {
      progress[sync.id] = { state: "starting", done: 0, total: 0 };
      shown = shown.map(function (s) { return s.id === sync.id ? sync : s; });
      showProgress(sync.id);
      followProgress(sync.id);
    });
  }

  function row(sync) {
    var status = WS.STATUS[sync.status];
    var boxId = "ws-select-" + sync.id;
    var box = el("input", { type: "checkbox", "class": "checkbox", id: boxId, "data-testid": "select",
                            "aria-label": "Select " + sync.name });
    box.checked = selection.has(sync);
    box.addEventListener("change", function () {
      selection.set([sync], box.checked, shown);
      refreshSelection();
    });
    var notes = [];
    if (sync.status === "declined") {
      notes.push(el("div", { "class": "ws-note", "data-testid": "declined-note" }, ["Please delete it."]));
      if (sync.declineMessage) {
        notes.push(el("div", { "class": "ws-note", "data-testid": "decline-message" },
                      ["The partner wrote: " + sync.declineMessage]));
      }
    }
    var actions = [];
    if (answerable(sync)) {
      var view = el("button", { type: "button", "class": "aui-button", "data-testid": "view-request" },
                    ["View request"]);
      view.addEventListener("click", function () { act(sync, "request"); });
      actions.push(view);
    }
    actions.push(el("button", { type: "button", "aria-controls": "ws-menu-" + sync.id, "data-testid": "actions",
                                "class": "aui-button aui-button-subtle aui-dropdown2-trigger " +
                                         "aui-dropdown2-trigger-arrowless",
                                "aria-label": "Actions for " + sync.name },
                   [el("span", { "class": "aui-icon aui-icon-small aui-iconfont-more" }, ["•••"])]));
    menus.appendChild(menu(sync));
    return el("tr", { "data-testid": "sync-row", "data-sync-id": sync.id }, [
      el("td", {}, [el("div", { "class": "checkbox" }, [box, el("label", { "for": boxId }, ["\u00a0"])])]),
      el("td", {}, [el("div", { "class": "ws-name", "data-testid": "name" }, [sync.name]),
                    sync.description ? el("div", { "class": "ws-description", "data-testid": "description" },
                                          [sync.description]) : null]),
      project ? null : el("td", { "data-testid": "local-project" }, [sync.project.key]),  // the site-wide list
      el("td", { "data-testid": "partner" }, [el("div", {}, [sync.partner.key]),
                                             el("div", { "class": "ws-site" },
                                                [sync.sameSite ? "this site" : sync.partner.site])]),
      el("td", {}, [el("span", { "class": "aui-lozenge " + status.lozenge, "data-testid": "status" },
                       [status.text]), errorBadge(sync)].concat(notes, [progressNote(sync.id)])),
      el("td", { "data-testid": "draft-status", "data-draft-status": sync.draftStatus }, [
        WS.draftLabel({ status: sync.status, draftStatus: sync.draftStatus, mode: sync.mode, version: sync.configurationVersion,
                        draftSaved: sync.draftSaved })[0]]),
      el("td", { "class": "ws-col-actions" }, actions)
    ]);
  }

  function pageLink(number, text, className) {
    return el("li", { "class": className || null },
              [el("a", { href: "#/?page=" + number, "aria-label": "Page " + number }, [text])]);
  }

  function pager(total) {
    var last = Math.max(1, Math.ceil(total / PER_PAGE));
    var from = (page - 1) * PER_PAGE + 1;
    part("range").textContent = total ? from + "–" + Math.min(total, page * PER_PAGE) + " of " + total : "";
    var pages = part("pages");
    pages.textContent = "";
    pages.hidden = last === 1;
    if (last === 1) { return; }
    if (page > 1) { pages.appendChild(pageLink(page - 1, "Previous", "aui-nav-previous")); }
    var numbers = [1, page - 1, page, page + 1, last].filter(function (n, i, all) {
      return n >= 1 && n <= last && all.indexOf(n) === i;
    }).sort(function (a, b) { return a - b; });
    numbers.forEach(function (n, i) {
      if (i > 0 && n - numbers[i - 1] > 1) { pages.appendChild(el("li", {}, ["…"])); }
      pages.appendChild(n === page ? el("li", { "class": "aui-nav-selected", "aria-current": "page" }, [String(n)])
                                   : pageLink(n, String(n)));
    });
    if (page < last) { pages.appendChild(pageLink(page + 1, "Next", "aui-nav-next")); }
  }

  function refreshSelection() {
    rows.querySelectorAll('[data-testid="select"]').forEach(function (box, i) { box.checked = selection.has(shown[i]); });
    var picked = shown.filter(function (sync) { return selection.has(sync); }).length;
    selectPage.checked = shown.length > 0 && picked === shown.length;
    selectPage.indeterminate = picked > 0 && picked < shown.length;
    bulk.hidden = selection.size() === 0;
    part("selection").textContent = selection.describe();
    var offer = selection.offer();
    ["start", "stop"].forEach(function (action) {
      var button = buttons[action];
      var refusal = offer[action];
      button.hidden = offer.show.indexOf(action) < 0;
      button.setAttribute("aria-disabled", refusal ? "true" : "false");
      WS.tooltip(button, refusal || "");
    });
  }

  function render(answer) {
    shown = answer.synchronizations;
    selection.update(shown);
    menus.textContent = "";
    rows.textContent = "";
    shown.forEach(function (sync) { rows.appendChild(row(sync)); });
    var first = answer.total === 0 && page === 1;
    var elsewhere = /^#\/synchronizations\//.test(location.hash);  // a view opened while the list was loading
    empty.hidden = elsewhere || !first;
    list.hidden = elsewhere || first;
    pager(answer.total);
    refreshSelection();
  }

  function load() {
    WS.notices.load(project);
    return WS.api("/api/synchronizations", { query: { project: project, page: page, perPage: PER_PAGE } })
      .then(function (answer) {
        if (answer.synchronizations.length === 0 && page > 1) {
          location.hash = "#/?page=" + Math.max(1, Math.ceil(answer.total / PER_PAGE));
          return;
        }
        render(answer);
      }).catch(function (error) { WS.flag("error", "Could not list the synchronizations", error.message); });
  }

  // After creating one: the first page, where a first synchronization replaces the empty state.
  function firstPage() {
    if (page === 1 && view.hidden) { load(); } else { location.hash = "#/"; }
  }

  function act(sync, action) {
    if (action === "request" || action === "edit") { WS.dialogs.open(action, sync, load); return; }
    if (action === "delete") {
      WS.dialogs.open("remove", sync, function () { selection.forget(sync.id); load(); });
      return;
    }
    WS.api("/api/synchronizations/" + encodeURIComponent(sync.id) + "/" + action, { method: "POST" })
      .then(function (answer) {
        WS.flag("success", "Synchronization " + VERB[action][1], action === "start"
          ? "Changes now synchronize between the two projects." : "Changes wait until it is started again.");
        if (action === "start") { started([answer]); }
      }, function (error) {
        WS.flag("error", "Could not " + VERB[action][0] + " the synchronization", error.message);
      }).then(load);
  }

  function bulkAction(action) {
    if (buttons[action].getAttribute("aria-disabled") === "true") { return; }
    WS.api("/api/synchronizations/bulk", { method: "POST", body: selection.request(action, project) })
      .then(function (answer) {
        var n = answer.synchronizations.length;
        WS.flag("success", n + " synchronization" + (n === 1 ? "" : "s") + " " + VERB[action][1]);
        selection.clear();
        if (action === "start") { started(answer.synchronizations); }
      }, function (error) {
        WS.flag("error", "Could not " + VERB[action][0] + " the synchronizations", error.message);
      }).then(load);
  }

  function selectInStatus(status) {
    WS.api("/api/synchronizations", { query: { project: project, status: status, perPage: 1 } })
      .then(function (answer) {
        selection.allInStatus(status, answer.total);
        refreshSelection();
      }).catch(function (error) { WS.flag("error", "Could not select them", error.message); });
  }

  function showView(id, kind) {
    list.hidden = true;
    empty.hidden = true;
    if (kind === "troubleshoot") { WS.troubleshoot.open(id, view); } else { WS.support.open(id, view); }
  }

  function route() {
    if (WS.configure.holds(location.hash)) { return; }  // unsaved changes: the Configure page asks first
    var hash = location.hash.replace(/^#/, "");
    var match = hash.match(/^\/synchronizations\/([^/?]+)\/(configure|troubleshoot|support-zip)$/);
    if (match && match[2] === "configure") {
      list.hidden = empty.hidden = view.hidden = true;
      WS.configure.open(decodeURIComponent(match[1]));
      return;
    }
    WS.configure.close();
    WS.troubleshoot.close();
    if (match) { showView(decodeURIComponent(match[1]), match[2]); return; }
    view.hidden = true;
    page = Math.max(1, parseInt(new URLSearchParams(hash.split("?")[1] || "").get("page"), 10) || 1);
    load();
  }

  part("list-form").addEventListener("submit", function (event) { event.preventDefault(); });
  selectPage.addEventListener("change", function () {
    if (!selectPage.checked && selection.status) { selection.clear(); } else {
      selection.set(shown, selectPage.checked, shown);
    }
    refreshSelection();
  });
  document.getElementById("ws-select-menu").addEventListener("click", function (event) {
    var item = event.target.closest("aui-item-link[data-select]");
    if (!item) { return; }
    event.preventDefault();
    var choice = item.getAttribute("data-select");
    if (choice === "none") { selection.clear(); refreshSelection(); return; }
    if (choice === "page") { selection.clear(); selection.set(shown, true, shown); refreshSelection(); return; }
    selectInStatus(choice);
  });
  part("clear-selection").addEventListener("click", function () { selection.clear(); refreshSelection(); });
  Object.keys(buttons).forEach(function (action) {
    buttons[action].addEventListener("click", function () { bulkAction(action); });
  });
  root.querySelectorAll("[data-open=create]").forEach(function (button) {
    button.addEventListener("click", function () {
      WS.dialogs.open("create", null, firstPage);
    });
  });
  window.addEventListener("hashchange", route);
  if (WS.transport.available()) { route(); }
})();
