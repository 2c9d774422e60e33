// The Configure page of one synchronization (#/synchronizations/ID/configure): loads its configuration and both
// sides' metadata, edits the document in the tabs, maps all with the same name, saves (immediate mode publishes),
// shows the problems on their rows and in a summary, and asks before unsaved changes are left behind.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var C = WS.config;
  var el = WS.el;
  var root = document.getElementById("ws-configure");
  function part(id) { return root.querySelector('[data-testid="' + id + '"]'); }
  var buttons = { map: part("map-same-names"), refresh: part("refresh"), save: part("save"), send: part("send") };
  var leave = document.getElementById("ws-leave-dialog");
  var TAB_TITLES = {};
  root.querySelectorAll("#ws-config-tabs a[data-tab]").forEach(function (a) { TAB_TITLES[a.dataset.tab] = a.textContent; });

  // The open page: {id, sync, meta, sides, answer, doc, start, problems, expanded, dirty}; null when closed.
  var current = null;
  var pendingHash = null;

  function hashOf(id) { return "#/synchronizations/" + encodeURIComponent(id) + "/configure"; }

  function base() { return "/api/synchronizations/" + encodeURIComponent(current.id); }

  function sidesOf(sync) {
    var sides = {};
    sides[String(sync.side)] = { key: sync.project.key, site: sync.project.site, mine: true };
    sides[String(3 - sync.side)] = { key: sync.partner.key, site: sync.partner.site, mine: false };
    return sides;
  }

  function busy(button, on) {
    if (on) { button.setAttribute("aria-busy", "true"); } else { button.removeAttribute("aria-busy"); }
    refreshButtons();
  }

  function setDirty(dirty) {
    current.dirty = dirty;
    part("dirty").hidden = !dirty;
    refreshButtons();
  }

  function refuse(button, reason) {
    button.setAttribute("aria-disabled", reason ? "true" : "false");
    if (reason) { button.title = reason; } else { button.removeAttribute("title"); }
  }

  function refreshButtons() {
    if (!current || !current.answer) { return; }
    var answer = current.answer, working = root.querySelector("[aria-busy=true]");
    var closed = current.sync.actions.indexOf("configure") < 0 ? "It cannot be configured now." : null;
    refuse(buttons.map, closed || (working ? "Wait a moment." : null));
    refuse(buttons.save, closed || (working ? "Wait a moment." : null));
    buttons.send.hidden = answer.mode !== "review";
    var sendRefusal = closed || (working ? "Wait a moment." : null) ||
      (answer.draftStatus === "draft_received" ? "Accept or decline the partner's draft first." : null) ||
      (!current.dirty && answer.draftStatus === "draft_sent" ? "Your draft waits for the partner." : null) ||
      (!current.dirty && !answer.draft ? "Change something first: there is nothing new to send." : null);
    refuse(buttons.send, sendRefusal);
  }

  function showTab(tab) { AJS.tabs.change(jQuery('#ws-config-tabs a[data-tab="' + tab + '"]')); }

  // Show where a problem is: its tab, and its row or form element.
  function reveal(problem) {
    showTab(C.TAB_OF[problem.section] || "types");
    var target;
    if (problem.row) {
      var index = current.doc[problem.section].indexOf(problem.row);
      target = root.querySelectorAll('[data-testid="mapping-' + problem.section + '"] [data-testid="mapping-row"]')[index];
    } else {
      target = Array.from(root.querySelectorAll("[data-problem-for]")).filter(function (slot) {
        return slot.textContent.indexOf(problem.message) >= 0;
      })[0];
    }
    if (target) {
      target.scrollIntoView({ block: "center" });
      var control = target.querySelector("[aria-invalid=true], select, input") ||
        target.parentElement.querySelector("select, input, textarea");
      if (control) { control.focus(); }
    }
  }

  function renderProblems() {
    var list = current.problems.current(current.doc);
    var box = part("problems");
    box.textContent = "";
    box.hidden = !list.length;
    var perTab = {};
    list.forEach(function (p) { var tab = C.TAB_OF[p.section]; if (tab) { perTab[tab] = (perTab[tab] || 0) + 1; } });
    root.querySelectorAll("#ws-config-tabs a[data-tab]").forEach(function (a) {
      var count = perTab[a.dataset.tab];
      a.textContent = "";
      a.appendChild(el("strong", {}, [TAB_TITLES[a.dataset.tab], count ? el("span", {
        "class": "aui-badge ws-tab-problems", "data-testid": "tab-problems", title: "Problems to fix" }, [String(count)])
        : null]));
    });
    if (!list.length) { return; }
    var until = current.answer.mode === "immediate" ? "before it can be published" : "before you can send it";
    box.appendChild(el("div", { "class": "aui-message aui-message-error", role: "alert" }, [
      el("p", { "class": "title" }, [el("strong", { "data-testid": "problems-title" }, [
        list.length + (list.length === 1 ? " problem to fix " : " problems to fix ") + until])]),
      el("ul", {}, list.map(function (problem) {
        var show = el("button", { type: "button", "class": "aui-button aui-button-link ws-show" }, ["Show"]);
        show.addEventListener("click", function () { reveal(problem); });
        return el("li", { "data-testid": "problem" }, [el("strong", {}, [current.problems.where(problem)]),
                                                      ": " + problem.message + " ", show]);
      }))]));
  }

  function changed() {
    if (!current.dirty) { setDirty(true); }
    refreshButtons();
  }

  function renderEditor() {
    var context = { doc: current.doc, meta: current.meta, sides: current.sides, problems: current.problems,
                    expanded: current.expanded, changed: changed, base: base() };
    WS.configTables.renderAll(context);
    WS.configSections.renderAll(context);
    WS.configLinks.render(context);
    WS.configMore.render(context);
    WS.configPairing.render(context);
    renderProblems();
  }

  // Show an answer of the API; `reload` takes its document into the editor (else the editor keeps its own).
  function show(answer, reload) {
    current.answer = answer;
    if (reload) {
      var doc = answer.draft || answer.published;
      current.doc = doc ? C.clone(doc) : current.doc || C.clone(current.start);
      current.expanded = new Set();
      current.problems = new C.Problems(answer.problems, current.doc);
      setDirty(false);
    }
    part("config-loading").hidden = true;
    part("config-toolbar").hidden = false;
    part("config-tabs").hidden = false;
    WS.configReview.render(current);
    renderEditor();
    refreshButtons();
  }

  // The answer to a save of the document the editor holds: its problems are the editor's rows'.
  function saved(answer, problems) {
    current.answer = answer;
    current.problems = new C.Problems(problems, current.doc);
    setDirty(false);
    show(answer, false);
  }

  function failed(error, title) {
    var body = error.body || {};
    if (body.configuration) { saved(body.configuration, body.problems); } else if (body.problems) {
      current.problems = new C.Problems(body.problems, current.doc);
      renderEditor();
    }
    WS.flag("error", body.configuration ? "Saved as a draft, not published" : title || "Not saved", error.message);
  }

  // Save the editor's document; resolves to the answer, or null when it was refused (the flag says why).
  function save() {
    var missing = C.unchosen(current.doc);
    if (missing.length) {
      current.problems = new C.Problems(missing, current.doc);
      renderEditor();
      WS.flag("error", "Not saved", "Some rows lack a choice: choose it, or remove the row.");
      return Promise.resolve(null);
    }
    var page = current, before = current.answer.draftStatus;
    var partner = current.sides[String(3 - current.sync.side)].key;
    busy(buttons.save, true);
    return WS.api(base() + "/configuration", { method: "PUT", body: current.doc }).then(function (answer) {
      if (current !== page) { return null; }  // left meanwhile
      saved(answer, answer.problems);
      if (answer.mode === "immediate") {
        WS.flag("success", "Configuration published", "Version " + answer.version + " is live for both sides.");
      } else {
        WS.flag("success", "Draft saved", answer.problems.length ? "Fix its problems before you send it."
          : before === "draft_sent" ? "It was withdrawn from " + partner + " until you send it again."
          : "Send it to " + partner + " when it is ready.");
      }
      return answer;
    }, function (error) {
      if (current === page) { failed(error); }
      return null;
    }).then(function (answer) { busy(buttons.save, false); return answer; });
  }

  function mapSameNames() {
    var page = current;
    busy(buttons.map, true);
    WS.api(base() + "/configuration/suggestion").then(function (suggestion) {
      if (current !== page) { return; }
      var added = C.merge(current.doc, suggestion);
      if (added) { changed(); }
      renderEditor();
      WS.flag(added ? "success" : "info", added ? added + " pairs added" : "Nothing more to pair", added
        ? "Everything with the same name on both sides is paired: check it and save."
        : "Everything with the same name on both sides is paired already.");
    }).catch(function (error) {
      WS.flag("error", "Could not pair them", error.message);
    }).then(function () { busy(buttons.map, false); });
  }

  function refresh() {
    var page = current;
    busy(buttons.refresh, true);
    Promise.all([WS.api(base() + "/metadata", { query: { refresh: "true" } }),
                 WS.api(base() + "/configuration", { query: { refresh: "true" } })]).then(function (answers) {
      if (current !== page) { return; }
      current.meta = answers[0];
      show(answers[1], !current.dirty);
      WS.flag("success", "Both projects read again", current.dirty ? "Save to check your changes against them." : "");
    }).catch(function (error) {
      WS.flag("error", "Could not read the projects", error.message);
    }).then(function () { busy(buttons.refresh, false); });
  }

  function clicked(button, run) {
    button.addEventListener("click", function () {
      if (current && button.getAttribute("aria-disabled") !== "true") { run(); }
    });
  }
  clicked(buttons.save, save);
  clicked(buttons.map, mapSameNames);
  clicked(buttons.refresh, refresh);
  clicked(buttons.send, function () { WS.configReview.openSend(); });

  WS.configReview.connect({
    current: function () { return current; },
    call: function (action, body) {
      return WS.api(base() + "/configuration/" + action, { method: "POST", body: body });
    },
    saveIfChanged: function () { return current.dirty ? save() : Promise.resolve(current.answer); },
    answered: function (answer) { if (current) { show(answer, !current.dirty); } },
    failed: failed
  });

  // Open the page of synchronization `id` (nothing happens when it is open already).
  function open(id) {
    if (current && current.id === id && !root.hidden) { return; }
    var opening = current = { id: id, dirty: false, expanded: new Set(), problems: new C.Problems([], {}) };
    var path = base();
    root.hidden = false;
    ["config-toolbar", "config-tabs", "received", "problems", "dirty"].forEach(function (id) { part(id).hidden = true; });
    ["config-state", "sides", "mode"].forEach(function (id) { part(id).textContent = ""; });
    part("configure-title").textContent = "Configure";
    part("config-draft-status").textContent = "";
    part("config-loading").hidden = false;
    showTab("types");
    Promise.all([WS.api(path), WS.api(path + "/configuration"), WS.api(path + "/metadata")]).then(function (r) {
      opening.sync = r[0];
      opening.meta = r[2];
      opening.sides = sidesOf(r[0]);
      if (r[1].draft || r[1].published) { return r[1]; }
      return WS.api(path + "/configuration/suggestion").then(function (suggestion) {
        opening.start = C.startFrom(suggestion);
        return r[1];
      });
    }).then(function (answer) {
      if (current === opening) { show(answer, true); }
    }).catch(function (error) {
      if (current !== opening) { return; }
      part("config-loading").hidden = true;
      part("config-state").appendChild(el("div", { "class": "aui-message aui-message-error" }, [
        el("p", {}, ["Could not open the configuration: " + error.message])]));
    });
  }

  function close() {
    root.hidden = true;
    current = null;
  }

  // True when leaving for `hash` must wait: there are unsaved changes, so the page stays and asks first.
  function holds(hash) {
    if (!current || root.hidden || !current.dirty || hash === hashOf(current.id)) { return false; }
    pendingHash = hash;
    history.replaceState(null, "", hashOf(current.id));
    AJS.dialog2(leave).show();
    return true;
  }

  leave.querySelector('[data-testid="stay"]').addEventListener("click", function () {
    pendingHash = null;
    AJS.dialog2(leave).hide();
  });
  leave.querySelector('[data-testid="leave"]').addEventListener("click", function () {
    setDirty(false);
    AJS.dialog2(leave).hide();
    location.hash = pendingHash || "#/";
  });
  window.addEventListener("beforeunload", function (event) {
    if (current && current.dirty && !root.hidden) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  WS.configure = { open: open, close: close, holds: holds };
})();
