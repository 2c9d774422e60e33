// The issue glance (and issue context): this issue's partner in each synchronization — its key, opening the
// partner site — the pair's state, when it last synced, and its open errors with Retry for the sync's admins.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var root = document.getElementById("ws-glance");
  if (!WS.transport.available()) { return; }
  function part(id) { return root.querySelector('[data-testid="' + id + '"]'); }
  var STATE = { linked: ["linked", "aui-lozenge-success"], creating: ["being created", "aui-lozenge-current"],
                tombstone: ["partner deleted", "aui-lozenge-removed"], unlinked: ["unlinked", ""] };

  function ago(iso) {
    if (!iso) { return "never"; }
    return WS.when(iso);
  }

  function retryButton(entry, error) {
    var button = el("button", { type: "button", "class": "aui-button aui-button-link", "data-testid": "retry" },
                    ["Retry"]);
    button.addEventListener("click", function () {
      button.setAttribute("aria-disabled", "true");
      WS.api("/api/synchronizations/" + encodeURIComponent(entry.synchronization.id) + "/errors/" +
             encodeURIComponent(error.id) + "/retry", { method: "POST" })
        .then(function () { WS.flag("success", "Retrying", "Work Sync syncs this issue again now."); },
              function (failure) { WS.flag("error", "Could not retry", failure.message); })
        .then(function () { setTimeout(load, 1500); });
    });
    return button;
  }

  function errorItem(entry, error) {
    var where = [error.issue && error.issue.key, error.field].filter(Boolean).join(" · ");
    return el("li", { "class": "ws-glance-error", "data-testid": "glance-error", "data-error-id": error.id }, [
      el("span", { "class": "aui-lozenge aui-lozenge-subtle aui-lozenge-removed", "data-testid": "error-category",
                   "data-category": error.category }, [WS.categoryName(error.category)]), " ",
      el("span", { "data-testid": "error-message" }, [error.message]),
      where ? el("span", { "class": "ws-hint" }, [" (" + where + ")"]) : null, " ",
      entry.canRetry ? retryButton(entry, error) : null
    ]);
  }

  function linkBlock(entry) {
    var partner = entry.partner;
    var state = STATE[entry.state] || [entry.state, ""];
    var target = partner.url
      ? el("a", { href: partner.url, target: "_blank", rel: "noopener noreferrer", "data-testid": "partner-link" },
           [partner.key])
      : el("span", { "data-testid": "partner-link" }, ["not created yet"]);
    return el("div", { "class": "ws-glance-link", "data-testid": "glance-link", "data-link-id": entry.link }, [
      el("div", {}, [el("strong", {}, ["Partner: "]), target,
                     el("span", { "class": "ws-site" }, [" on " + partner.site])]),
      el("div", {}, [el("span", { "class": "aui-lozenge " + state[1], "data-testid": "link-state" }, [state[0]]),
                     " ", el("span", { "class": "ws-hint", "data-testid": "last-sync" },
                             ["last synced " + ago(entry.lastSyncedAt)])]),
      el("div", { "class": "ws-hint", "data-testid": "synchronization" }, [
        "Synchronization " + entry.synchronization.name +
        (entry.synchronization.status === "running" ? "" : " (stopped: changes wait until it starts)")]),
      entry.errors.length ? el("ul", { "class": "ws-glance-errors", "data-testid": "glance-errors" },
                               entry.errors.map(function (error) { return errorItem(entry, error); })) : null
    ]);
  }

  function load() {
    return WS.api("/api/issues/" + encodeURIComponent(root.dataset.issueId) + "/links").then(function (answer) {
      var box = part("glance-links");
      box.textContent = "";
      answer.links.forEach(function (entry) { box.appendChild(linkBlock(entry)); });
      part("not-synced").hidden = answer.links.length > 0;
    }).catch(function (error) { WS.flag("error", "Work Sync could not read this issue's sync", error.message); });
  }

  // The panel is as tall as its content (the host resizes the frame), also when a Retry changes it.
  function fit() {
    WS.transport.resize("100%", String(Math.ceil(document.body.getBoundingClientRect().height)));
  }
  if (window.ResizeObserver) { new ResizeObserver(fit).observe(document.body); }
  load().then(fit);
})();
