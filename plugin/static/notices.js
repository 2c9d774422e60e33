// The banner above the overview: synchronizations with open errors, or with a side Work Sync cannot reach, each
// with a link to its Troubleshoot page. Shown on both sides' pages (a project's settings, the administration page).
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var box = document.querySelector('[data-testid="notices"]');

  function troubleshoot(notice) {
    return el("a", { href: "#/synchronizations/" + encodeURIComponent(notice.synchronization.id) + "/troubleshoot",
                     "data-testid": "notice-troubleshoot" }, ["Troubleshoot"]);
  }

  function item(notice) {
    var lines = [];
    if (notice.openErrors) {
      lines.push(notice.openErrors + " open error" + (notice.openErrors === 1 ? "" : "s"));
    }
    notice.unreachable.forEach(function (down) { lines.push(down.site + " cannot be reached: " + down.message); });
    return el("li", { "data-testid": "notice", "data-sync-id": notice.synchronization.id }, [
      el("strong", {}, [notice.synchronization.name]), ": " + lines.join("; ") + ". ", troubleshoot(notice)]);
  }

  var shownFor = null;  // the project whose banner shows (null: the site's)

  function load(project) {
    shownFor = project || null;
    if (!box) { return Promise.resolve(); }
    return WS.api("/api/notices", { query: { project: project } }).then(function (answer) {
      box.textContent = "";
      box.hidden = answer.notices.length === 0;
      if (!answer.notices.length) { return; }
      box.appendChild(el("div", { "class": "aui-message aui-message-warning", "data-testid": "banner" }, [
        el("p", { "class": "title" }, [el("strong", {}, ["Some synchronizations need attention"])]),
        el("ul", {}, answer.notices.map(item))]));
    }).catch(function () { box.hidden = true; });  // the banner is a hint: the list says the rest
  }

  // The banner again, for the same project (after Retry on the Troubleshoot page).
  WS.notices = { load: load, reload: function () { return load(shownFor); } };
})();
