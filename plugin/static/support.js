// Create support ZIP (#/synchronizations/ID/support-zip): what the bundle holds, the choice to include issue data,
// and the download (only the synchronization's admins get it; it never holds a secret or an e-mail address).
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var HOLDS = ["the definition and status of the synchronization, as both sides see it",
               "the published configuration (every version) and both sides' drafts",
               "the history of actions and automatic changes",
               "the newest errors: where, what, why, when and how often",
               "the linked pairs (issue keys and ids) and the analysis of the Troubleshoot page",
               "the queue, Work Sync's version, its dependencies' versions and its settings"];

  function open(id, view) {
    view.textContent = "";
    view.hidden = false;
    var title = el("h2", { "data-testid": "view-title" }, ["Create support ZIP"]);
    var box = el("input", { type: "checkbox", "class": "checkbox", id: "ws-issue-data", "data-testid": "issue-data" });
    var button = el("button", { type: "button", "class": "aui-button aui-button-primary", "data-testid": "download" },
                    ["Download ZIP"]);
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-busy") === "true") { return; }
      button.setAttribute("aria-busy", "true");
      WS.download("/api/synchronizations/" + encodeURIComponent(id) + "/support.zip",
                  box.checked ? { issueData: "true" } : null)
        .then(function (name) { WS.flag("success", "Support ZIP ready", name + " was downloaded."); },
              function (error) { WS.flag("error", "Could not create the support ZIP", error.message); })
        .then(function () { button.removeAttribute("aria-busy"); });
    });
    [
      el("div", { "class": "ws-configure-head" }, [title,
        el("a", { "class": "aui-button aui-button-link ws-back", href: "#/", "data-testid": "back" },
           ["Back to synchronizations"])]),
      el("p", {}, ["A ZIP file to send to whoever supports Work Sync for you. It holds:"]),
      el("ul", { "data-testid": "bundle-contents" }, HOLDS.map(function (text) { return el("li", {}, [text]); })),
      el("div", { "class": "aui-message aui-message-info" }, [el("p", {}, [
        "It never holds a shared secret, a token, a password or an e-mail address. Issue content (field values) " +
        "is left out unless you include it below."])]),
      el("div", { "class": "aui" }, [
        el("div", { "class": "checkbox" }, [box, el("label", { "for": "ws-issue-data" }, [
          "Include issue data (field values of linked issues and values that lost a conflict)"])])]),
      el("div", { "class": "ws-buttons" }, [button])
    ].forEach(function (node) { view.appendChild(node); });
    WS.api("/api/synchronizations/" + encodeURIComponent(id)).then(function (sync) {
      title.textContent = "Create support ZIP: " + sync.name;
    }).catch(function (error) { WS.flag("error", "Could not open the synchronization", error.message); });
  }

  WS.support = { open: open };
})();
