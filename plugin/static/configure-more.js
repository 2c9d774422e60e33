// The Configure page's Sub-tasks and worklogs tab: the `hierarchy` section (a direction; sub-tasks and children
// follow their parent) and the `worklogs` section (a direction, and anonymous or by user mapping). Absent from a
// document means off; the tab writes a section once a direction is chosen.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var root = document.getElementById("ws-configure");
  var form = root.querySelector("form[data-more-form]");
  var ctx = null;

  function worklogs() {
    if (!ctx.doc.worklogs) { ctx.doc.worklogs = { direction: "none", mode: "anonymous" }; }
    return ctx.doc.worklogs;
  }

  function toggle(name, current, testid, what, set) {
    var slot = form.querySelector("[data-direction-of=" + name + "]");
    slot.textContent = "";
    slot.appendChild(WS.configControls.directionToggle(current, function (direction) {
      set(direction);
      ctx.changed();
    }, { sides: ctx.sides, off: true, label: what, testid: testid }));
  }

  function render(context) {
    ctx = context;
    var hierarchy = ctx.doc.hierarchy || { direction: "none" };
    toggle("hierarchy", hierarchy.direction, "hierarchy-direction", "sub-tasks and parents direction",
           function (direction) { ctx.doc.hierarchy = { direction: direction }; });
    var logs = ctx.doc.worklogs || { direction: "none", mode: "anonymous" };
    toggle("worklogs", logs.direction, "worklogs-direction", "worklogs direction",
           function (direction) { worklogs().direction = direction; });
    form.elements.worklogMode.value = logs.mode || "anonymous";
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("change", function (event) {
    if (!ctx || event.target.name !== "worklogMode") { return; }
    worklogs().mode = form.elements.worklogMode.value;
    ctx.changed();
  });

  WS.configMore = { render: render };
})();
