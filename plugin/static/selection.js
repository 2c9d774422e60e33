// Which synchronizations are selected for bulk start/stop: single rows (by id, across pages) or every one in one
// status (the API's "all in status S", however many pages). Start or Stop is offered only when all selected share
// one status; otherwise both are greyed out and their tooltip says why.
(function () {
  "use strict";
  var WS = window.WorkSync;

  function label(status) { return WS.STATUS[status].text; }

  function Selection() {
    this.ids = new Map();  // id → the synchronization as last listed (its status and actions)
    this.status = null;    // every synchronization in this status …
    this.count = 0;        // … of which there are this many
  }

  Selection.prototype.has = function (sync) {
    return this.status ? sync.status === this.status : this.ids.has(sync.id);
  };

  Selection.prototype.size = function () { return this.status ? this.count : this.ids.size; };

  Selection.prototype.clear = function () { this.ids.clear(); this.status = null; this.count = 0; };

  // Pick single rows: a status selection becomes the rows of it that the page shows.
  Selection.prototype.set = function (syncs, on, shown) {
    var self = this;
    if (this.status) {
      var status = this.status;
      this.clear();
      shown.forEach(function (sync) { if (sync.status === status) { self.ids.set(sync.id, sync); } });
    }
    syncs.forEach(function (sync) { if (on) { self.ids.set(sync.id, sync); } else { self.ids.delete(sync.id); } });
  };

  Selection.prototype.allInStatus = function (status, count) {
    this.clear();
    this.status = status;
    this.count = count;
  };

  // Keep the listed state of selected rows current (after a refresh).
  Selection.prototype.update = function (syncs) {
    var self = this;
    syncs.forEach(function (sync) { if (self.ids.has(sync.id)) { self.ids.set(sync.id, sync); } });
  };

  Selection.prototype.forget = function (id) { this.ids.delete(id); };

  // The body of POST /api/synchronizations/bulk for `action`.
  Selection.prototype.request = function (action, project) {
    if (this.status) {
      var body = { action: action, status: this.status };
      if (project) { body.project = project; }
      return body;
    }
    return { action: action, ids: Array.from(this.ids.keys()) };
  };

  Selection.prototype.describe = function () {
    if (!this.status) { return this.ids.size + " selected"; }
    return (this.count === 1 ? "The only " : "All " + this.count + " ") + label(this.status) +
      " synchronization" + (this.count === 1 ? "" : "s") + " selected";
  };

  // {start: null | reason, stop: null | reason, show: [...]}: which bulk buttons show, and why one is greyed out.
  Selection.prototype.offer = function () {
    var statuses = this.status ? [this.status] : Array.from(new Set(Array.from(this.ids.values(), function (s) {
      return s.status;
    }))).sort();
    if (statuses.length === 0) { return { show: [] }; }
    if (statuses.length > 1) {
      var mixed = "The selected synchronizations are in different states (" + statuses.map(label).join(", ") +
        "): select only stopped ones to start them, or only running ones to stop them.";
      return { show: ["start", "stop"], start: mixed, stop: mixed };
    }
    if (statuses[0] === "stopped") {
      var unready = Array.from(this.ids.values()).filter(function (s) { return s.actions.indexOf("start") < 0; });
      return { show: ["start"], start: unready.length ? "Cannot start " + unready.map(function (s) {
        return "'" + s.name + "'";
      }).join(", ") + ": no published configuration yet. Configure " + (unready.length === 1 ? "it" : "them") +
        " first." : null };
    }
    if (statuses[0] === "running") { return { show: ["stop"], stop: null }; }
    var other = "Only stopped synchronizations can be started and only running ones stopped; the selected ones are " +
      label(statuses[0]) + ".";
    return { show: ["start", "stop"], start: other, stop: other };
  };

  WS.Selection = Selection;
})();
