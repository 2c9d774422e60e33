// The overview's AUI dialogs: create, edit, view a request (accept), decline, delete. Errors stay in the dialog,
// the API's message at the top and each of its problems below the field it names.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  // 400 bodies name fields the way the request body does; the forms name them by their JSON path.
  var FIELD_OF_ERROR = { site: "partner.site", partner: "partner.project" };

  function dialog(id) {
    var node = document.getElementById(id);
    return { node: node, aui: AJS.dialog2(node), form: node.querySelector("form"),
             error: node.querySelector('[data-testid="dialog-error"]') };
  }

  function clearErrors(d) {
    d.error.textContent = "";
    d.node.querySelectorAll("[data-error-for]").forEach(function (field) { field.textContent = ""; });
  }

  function showError(d, error) {
    var body = error.body || {};
    d.error.appendChild(el("div", { "class": "aui-message aui-message-error", role: "alert" },
                           [el("p", {}, [error.message])]));
    (body.problems || []).forEach(function (problem) { place(d, problem.path, problem.message); });
    Object.keys(body.errors || {}).forEach(function (name) {
      place(d, FIELD_OF_ERROR[name] || name, body.errors[name]);
    });
  }

  // A problem goes below the field it names; one about no field of this form stays in the message at the top.
  function place(d, path, message) {
    var slot = d.node.querySelector('[data-error-for="' + CSS.escape(path || "") + '"]');
    if (slot) { slot.textContent = message; }
  }

  // Send once at a time: the primary button is busy until the API answers.
  function submitting(d, button, call, done) {
    if (button.getAttribute("aria-disabled") === "true") { return; }
    clearErrors(d);
    button.setAttribute("aria-disabled", "true");
    button.setAttribute("aria-busy", "true");
    call().then(function (result) {
      d.aui.hide();
      done(result);
    }).catch(function (error) {
      showError(d, error);
    }).then(function () {
      button.removeAttribute("aria-disabled");
      button.removeAttribute("aria-busy");
    });
  }

  function onSubmit(d, handler) {
    d.form.addEventListener("submit", function (event) {
      event.preventDefault();
      handler(d.node.querySelector('button[type="submit"]'));
    });
  }

  document.querySelectorAll(".aui-dialog2 [data-dialog-close]").forEach(function (button) {
    button.addEventListener("click", function () { AJS.dialog2(button.closest(".aui-dialog2")).hide(); });
  });

  var create = dialog("ws-create-dialog");
  var siteGroup = create.node.querySelector("[data-partner-site]");
  create.form.addEventListener("change", function () {
    siteGroup.hidden = create.form.elements.where.value !== "other";
  });
  var done = { create: null, edit: null, request: null, decline: null, remove: null };
  var current = null;

  onSubmit(create, function (button) {
    var f = create.form.elements;
    var partner = { project: f["partner.project"].value.trim().toUpperCase() };
    if (f.where.value === "other") { partner.site = f["partner.site"].value.trim(); }
    var body = { name: f.name.value, description: f.description.value, mode: f.mode.value,
                 project: f.project.value.trim().toUpperCase(), partner: partner };
    submitting(create, button, function () {
      return WS.api("/api/synchronizations", { method: "POST", body: body });
    }, function (sync) {
      WS.flag("success", "Synchronization requested",
              "It waits for the partner project's admin to accept it.");
      done.create(sync);
    });
  });

  var edit = dialog("ws-edit-dialog");
  onSubmit(edit, function (button) {
    var f = edit.form.elements;
    submitting(edit, button, function () {
      return WS.api("/api/synchronizations/" + encodeURIComponent(current.id),
                    { method: "PATCH", body: { name: f.name.value, description: f.description.value } });
    }, function (sync) {
      WS.flag("success", "Synchronization saved");
      done.edit(sync);
    });
  });

  var request = dialog("ws-request-dialog");
  request.node.querySelector('[data-testid="accept"]').addEventListener("click", function (event) {
    submitting(request, event.currentTarget, function () {
      return WS.api("/api/synchronizations/" + encodeURIComponent(current.id) + "/accept", { method: "POST" });
    }, function (sync) {
      WS.flag("success", "Request accepted", sync.actions.indexOf("start") >= 0
        ? "The synchronization is stopped: start it when you are ready."
        : "The synchronization is stopped: configure it before you start it.");
      done.request(sync);
    });
  });
  request.node.querySelector('[data-testid="decline"]').addEventListener("click", function () {
    request.aui.hide();
    open("decline", current, done.request);
  });

  var decline = dialog("ws-decline-dialog");
  onSubmit(decline, function (button) {
    var message = decline.form.elements.message.value.trim();
    submitting(decline, button, function () {
      return WS.api("/api/synchronizations/" + encodeURIComponent(current.id) + "/decline",
                    { method: "POST", body: message ? { message: message } : {} });
    }, function (sync) {
      WS.flag("success", "Request declined", message ? "The requester sees your message." : "");
      done.decline(sync);
    });
  });

  var remove = dialog("ws-delete-dialog");
  remove.node.querySelector('[data-testid="delete-submit"]').addEventListener("click", function (event) {
    submitting(remove, event.currentTarget, function () {
      return WS.api("/api/synchronizations/" + encodeURIComponent(current.id), { method: "DELETE" });
    }, function () {
      WS.flag("success", "Synchronization deleted", "Work items already synchronized stay in Jira.");
      done.remove(current);
    });
  });

  function details(sync) {
    var partner = sync.partner.key + " on " + (sync.sameSite ? "this site" : sync.partner.site);
    var rows = [["Name", sync.name], ["Description", sync.description || "—"], ["From", partner],
                ["To", sync.project.key], ["Mode", sync.mode === "review"
                  ? "review: configuration changes go live when the other side accepts them"
                  : "immediate: a saved configuration is live at once"],
                ["Requested", WS.when(sync.createdAt)]];
    var list = request.node.querySelector('[data-testid="request-details"]');
    list.textContent = "";
    rows.forEach(function (row) { list.appendChild(el("dt", {}, [row[0]])); list.appendChild(el("dd", {}, [row[1]])); });
  }

  var DIALOGS = { create: create, edit: edit, request: request, decline: decline, remove: remove };

  // Open dialog `name` for `sync` (none for create); `then(result)` runs after the API accepted it.
  // The site-wide Create's project picker: the site's projects by key and name, read once per page load (a page of
  // 100 at a time, at most 10 pages; a larger site can still be searched by typing the key's first letters).
  var projectPicker = create.node.querySelector("[data-project-picker]");
  var projectsRead = null;
  function fillProjects() {
    if (!projectPicker || projectsRead) { return; }
    projectsRead = (function page(n, seen) {
      return WS.api("/api/projects", { query: { page: String(n), perPage: "100" } }).then(function (answer) {
        answer.projects.forEach(function (project) {
          projectPicker.appendChild(el("option", { value: project.key }, [project.name + " (" + project.key + ")"]));
        });
        seen += answer.projects.length;
        return seen < answer.total && answer.projects.length && n < 10 ? page(n + 1, seen) : seen;
      });
    })(1, 0).catch(function (error) {
      projectsRead = null;
      place(create, "project", "Could not list this site's projects: " + error.message);
    });
  }

  function open(name, sync, then) {
    var d = DIALOGS[name];
    current = sync;
    done[name] = then;
    clearErrors(d);
    if (d.form) { d.form.reset(); }
    if (name === "create") { siteGroup.hidden = true; fillProjects(); }
    if (name === "edit") {
      d.form.elements.name.value = sync.name;
      d.form.elements.description.value = sync.description;
    }
    if (name === "request") { details(sync); }
    if (name === "remove") { d.node.querySelector('[data-testid="delete-name"]').textContent = sync.name; }
    d.aui.show();
    var first = d.node.querySelector("input:not([type=hidden]):not([type=radio]), textarea");
    if (first && name !== "request" && name !== "remove") { first.focus(); }
  }

  WS.dialogs = { open: open };
})();
