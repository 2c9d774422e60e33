// The Configure page's Issue links tab: the `issueLinks` section (direction, same-name mapping, link types paired
// by hand). Absent from a document means off; the tab writes the section once a direction is chosen.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var root = document.getElementById("ws-configure");
  var form = root.querySelector("form[data-links-form]");
  var ctx = null;

  function section() {
    if (!ctx.doc.issueLinks) { ctx.doc.issueLinks = { direction: "none", sameName: true, types: [] }; }
    return ctx.doc.issueLinks;
  }

  function label(side) {
    return ctx.sides[side].key + " (" + side + ")" + (ctx.sides[side].mine ? " — this site" : " — partner");
  }

  function typesOf(side) { return (ctx.meta[side] && ctx.meta[side].linkTypes) || []; }

  function pairs() {
    var holder = form.querySelector("[data-link-type-pairs]");
    var links = ctx.doc.issueLinks || { types: [] };
    var rows = links.types || [];
    holder.textContent = "";
    var body = el("tbody");
    rows.forEach(function (row, n) {
      var cells = ["1", "2"].map(function (side) {
        var select = WS.configControls.picker(typesOf(side), row[side], function (picked) {
          if (picked) { row[side] = picked; } else { delete row[side]; }
          ctx.changed();
        }, { "aria-label": "Link type of side " + side, "data-testid": "link-type-" + side });
        return el("td", {}, [select]);
      });
      var remove = WS.configControls.removeButton("Remove this pair", function () {
        rows.splice(n, 1);
        ctx.changed();
        pairs();
      });
      body.appendChild(el("tr", { "data-testid": "link-type-pair" }, cells.concat([el("td", {}, [remove])])));
    });
    if (rows.length) {
      holder.appendChild(el("table", { "class": "aui ws-pairs" }, [el("thead", {}, [el("tr", {}, [
        el("th", {}, [label("1")]), el("th", {}, [label("2")]), el("th", {}, [])])]), body]));
    }
    var add = el("button", { type: "button", "class": "aui-button", "data-testid": "add-link-type-pair" },
                 ["Pair link types"]);
    add.addEventListener("click", function () {
      var links = section();
      links.types = links.types || [];
      links.types.push({});
      ctx.changed();
      pairs();
    });
    holder.appendChild(el("div", { "class": "ws-buttons" }, [add]));
  }

  function render(context) {
    ctx = context;
    var links = ctx.doc.issueLinks || { direction: "none", sameName: true, types: [] };
    var slot = form.querySelector("[data-direction-of=issueLinks]");
    slot.textContent = "";
    slot.appendChild(WS.configControls.directionToggle(links.direction, function (direction) {
      section().direction = direction;
      ctx.changed();
    }, { sides: ctx.sides, off: true, label: "issue links direction", testid: "issueLinks-direction" }));
    form.elements.sameName.checked = links.sameName !== false;
    pairs();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", function (event) {
    if (!ctx || event.target.name !== "sameName") { return; }
    section().sameName = form.elements.sameName.checked;
    ctx.changed();
  });

  WS.configLinks = { render: render };
})();
