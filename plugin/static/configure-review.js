// The Configure page's head (which side is which, the mode) and review mode: where the drafts stand (sent,
// received, declined with the partner's message, published), the partner's received draft with what it changes,
// accept, decline with a message, and send.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var C = WS.config;
  var el = WS.el;
  var root = document.getElementById("ws-configure");
  function part(id) { return root.querySelector('[data-testid="' + id + '"]'); }
  var page = null;  // the Configure page: {current(), call(action, body), saveIfChanged(), answered(answer), failed(error)}

  var CHANGE_LOZENGE = { added: "aui-lozenge-success", changed: "aui-lozenge-current", removed: "aui-lozenge-removed" };

  function message(kind, title, lines, testid) {
    return el("div", { "class": "aui-message aui-message-" + kind, "data-testid": testid || "config-message" },
              [el("p", { "class": "title" }, [el("strong", {}, [title])])].concat(lines.filter(Boolean)));
  }

  function partnerKey(state) { return state.sides[String(3 - state.sync.side)].key; }

  function version(answer) { return answer.version ? "Version " + answer.version : "Nothing"; }

  function stateMessage(state) {
    var answer = state.answer, partner = partnerKey(state);
    if (state.sync.actions.indexOf("configure") < 0) {
      return message("warning", "It cannot be configured now", [
        el("p", {}, ["It can be configured once the partner has accepted the request."])]);
    }
    if (answer.mode === "immediate") {
      if (!answer.draft) { return null; }
      return message("warning", "Your last save is not live", [
        el("p", {}, ["It was kept as a draft because of the problems listed: fix them and save again. " +
                     version(answer) + " stays live."])]);
    }
    var based = answer.draft && answer.draftBaseVersion !== answer.version
      ? el("p", {}, ["Your draft was made on " + (answer.draftBaseVersion ? "version " + answer.draftBaseVersion
                                                                           : "nothing published") +
                     "; version " + answer.version + " was published since: check it before you send it."]) : null;
    switch (answer.draftStatus) {
      case "draft_sent":
        return message("info", "Your draft was sent to " + partner, [
          el("p", {}, ["It waits for " + partner + "'s admins to accept or decline it. Saving a change withdraws it " +
                       "until you send it again."])]);
      case "draft_received":
        return message("info", partner + " sent you a draft", [
          el("p", {}, ["See below what it changes, then accept it (it goes live for both sides) or decline it " +
                       "with a message."])]);
      case "declined":
        return message("warning", partner + " declined your draft", [
          answer.declineMessage ? el("p", { "data-testid": "decline-message" },
                                     ["They wrote: " + answer.declineMessage]) : null,
          el("p", {}, ["Change it and send it again."]), based]);
      case "draft_published":
        return message("success", version(answer) + " is live for both sides", [
          answer.draft ? el("p", {}, ["You have a saved draft that is not sent yet: send it when it is ready."]) : null,
          based]);
      default:
        return message("info", "Nothing is published yet", [
          el("p", {}, ["Pair what should synchronize (start with Map all with the same name), save it as your " +
                       "draft and send it to " + partner + ": it goes live when they accept it."])]);
    }
  }

  function receivedPanel(state) {
    var answer = state.answer, panel = part("received");
    panel.hidden = !answer.received;
    if (!answer.received) { return; }
    var partner = partnerKey(state);
    part("received-title").textContent = "Draft from " + partner + " (the partner)";
    var note = part("received-message");
    note.hidden = !answer.message;
    note.textContent = answer.message ? partner + " wrote: " + answer.message : "";
    var problems = part("received-problems");
    problems.textContent = "";
    var found = new C.Problems(answer.receivedProblems || [], answer.received);
    if (found.list.length) {
      problems.appendChild(message("warning", "It no longer fits the projects", [
        el("ul", {}, found.list.map(function (p) { return el("li", {}, [found.where(p) + ": " + p.message]); })),
        el("p", {}, ["It cannot be accepted: decline it with a note."])]));
    }
    var body = panel.querySelector("tbody");
    body.textContent = "";
    (answer.diff || []).forEach(function (change) {
      body.appendChild(el("tr", { "data-testid": "diff-row", "data-change": change.change }, [
        el("td", {}, [el("span", { "class": "aui-lozenge " + CHANGE_LOZENGE[change.change] }, [change.change])]),
        el("td", {}, [C.SECTION_NAMES[change.section] || change.section]),
        el("td", { "data-testid": "diff-label" }, [C.ROW_SECTIONS.indexOf(change.section) >= 0 ? change.label : ""]),
        el("td", { "class": "ws-diff-what" }, [C.describe(change)])]));
    });
    if (!(answer.diff || []).length) {
      body.appendChild(el("tr", {}, [el("td", { colspan: 4 }, ["It is the same as the published configuration."])]));
    }
  }

  // The title, the draft status and version, which side is which, and the mode.
  function renderHead(state) {
    var sync = state.sync, answer = state.answer;
    part("configure-title").textContent = "Configure: " + sync.name;
    var lozenge = part("config-draft-status");
    var label = WS.draftLabel({ draftStatus: answer.draftStatus, mode: answer.mode, version: answer.version,
                                draftSaved: Boolean(answer.draft) && answer.draftStatus !== "draft_sent" &&
                                  answer.draftStatus !== "declined" });
    lozenge.textContent = label[0];
    lozenge.setAttribute("data-draft-status", answer.draftStatus);
    lozenge.className = "aui-lozenge " + label[1];
    var sides = part("sides");
    sides.textContent = "";
    ["1", "2"].forEach(function (side) {
      var info = state.sides[side];
      sides.appendChild(el("dt", {}, ["Side " + side]));
      sides.appendChild(el("dd", { "data-testid": "side-" + side }, [
        info.key + " on " + info.site + (info.mine ? " — this site, your project"
          : sync.sameSite ? " — the partner, on this site too" : " — the partner")]));
    });
    part("mode").textContent = answer.mode === "review"
      ? "Review mode: you save a draft and send it to the partner; it goes live for both sides when they accept it."
      : "Immediate mode: saving publishes the configuration for both sides at once.";
  }

  // The page's head, the draft status as this side sees it, and what is in review.
  function render(state) {
    renderHead(state);
    var box = part("config-state");
    box.textContent = "";
    var shown = stateMessage(state);
    if (shown) { box.appendChild(shown); }
    receivedPanel(state);
  }

  function dialog(id) {
    var node = document.getElementById(id);
    return { node: node, aui: AJS.dialog2(node), form: node.querySelector("form"),
             error: node.querySelector('[data-testid="dialog-error"]'),
             submit: node.querySelector('button[type="submit"]') };
  }

  function busy(button, on) {
    if (on) { button.setAttribute("aria-disabled", "true"); button.setAttribute("aria-busy", "true"); } else {
      button.removeAttribute("aria-disabled");
      button.removeAttribute("aria-busy");
    }
  }

  // Submit a message dialog once at a time; a refusal with problems closes it (they show on their rows).
  function onMessage(d, run) {
    d.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (d.submit.getAttribute("aria-disabled") === "true") { return; }
      d.error.textContent = "";
      busy(d.submit, true);
      run(d.form.elements.message.value.trim()).then(function () { d.aui.hide(); }, function (error) {
        if (error.body && error.body.problems && error.status === 422 && error.body.problems[0].path !== "message") {
          d.aui.hide();
          page.failed(error, d === send ? "The draft was not sent" : "Not done");
          return;
        }
        d.error.appendChild(el("div", { "class": "aui-message aui-message-error", role: "alert" },
                               [el("p", {}, [error.message])]));
      }).then(function () { busy(d.submit, false); });
    });
  }

  function show(d) {
    d.form.reset();
    d.error.textContent = "";
    d.aui.show();
    d.form.elements.message.focus();
  }

  var send = dialog("ws-send-dialog");
  var decline = dialog("ws-decline-draft-dialog");

  onMessage(send, function (text) {
    var partner = partnerKey(page.current());
    return page.saveIfChanged().then(function (saved) {
      if (!saved) { return; }  // the save said why
      return page.call("send", text ? { message: text } : {}).then(function (answer) {
        page.answered(answer);
        WS.flag("success", "Draft sent", partner + "'s admins see it" + (text ? " with your message." : "."));
      });
    });
  });

  onMessage(decline, function (text) {
    var partner = partnerKey(page.current());
    return page.call("decline", text ? { message: text } : {}).then(function (answer) {
      page.answered(answer);
      WS.flag("success", "Draft declined", partner + " sees it declined" + (text ? " with your message" : "") +
              ", and can change it and send it again.");
    });
  });

  var accept = part("accept-draft");
  accept.addEventListener("click", function () {
    if (accept.getAttribute("aria-disabled") === "true") { return; }
    busy(accept, true);
    page.call("accept").then(function (answer) {
      page.answered(answer);
      WS.flag("success", "Draft accepted", "Version " + answer.version + " is live for both sides.");
    }, function (error) {
      WS.flag("error", "Could not accept the draft", error.message);
    }).then(function () { busy(accept, false); });
  });
  part("decline-draft").addEventListener("click", function () { show(decline); });

  WS.configReview = {
    render: render,
    connect: function (controller) { page = controller; },
    openSend: function () { show(send); }
  };
})();
