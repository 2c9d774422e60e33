// The Configure page's mapping tables (work types, fields, statuses): a row per pair with pickers of each side's
// choices by name, a direction toggle, and for fields who wins a conflict and a transform with its value-map editor.
// Every problem the API reported for a row is shown right below it.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var C = WS.config;
  var el = WS.el;
  var controls = WS.configControls;
  var picker = controls.picker, removeButton = controls.removeButton;

  var ADD_LABEL = { issueTypes: "Add work type pair", fields: "Add field pair", statuses: "Add status pair" };
  var CHOICE = { issueTypes: "work type", fields: "field", statuses: "status" };

  // ctx: {doc, meta: {"1", "2"}, sides: {"1": {key, mine}, "2"}, problems, changed(), expanded: Set of rows}
  var ctx = null;

  function sideName(side) { return ctx.sides[side].key + " (" + side + ")"; }

  function choicesOf(section, side) {
    var meta = ctx.meta[side];
    if (section === "issueTypes") { return meta.issueTypes; }
    if (section === "statuses") { return meta.statuses; }
    return meta.fields.map(function (field) {
      return { id: field.id, name: field.name, group: field.custom ? "Custom fields" : "System fields" };
    });
  }

  function fieldOf(side, ref) {
    return ref ? ctx.meta[side].fields.filter(function (field) { return field.id === ref.id; })[0] : null;
  }

  function valueChoices(side, ref) {
    if (!ref) { return []; }
    return ref.id === "priority" ? ctx.meta[side].priorities : ctx.meta[side].options[ref.id] || [];
  }

  function invalid(node, problems, rest) {
    if (problems.some(function (p) { return p.rest === rest || p.rest.indexOf(rest + "/") === 0; })) {
      node.setAttribute("aria-invalid", "true");
    }
    return node;
  }

  // Redraw one section, keeping the keyboard focus where it was.
  function redraw(section) {
    var focused = document.activeElement && document.activeElement.getAttribute("data-focus");
    render(section);
    var again = focused && document.querySelector('[data-focus="' + CSS.escape(focused) + '"]');
    if (again) { again.focus(); }
  }

  function edit(section, change) {
    change();
    ctx.changed();
    redraw(section);
  }

  function sideCell(section, row, index, side, problems) {
    var focus = section + ":" + index + ":" + side;
    var select = picker(choicesOf(section, side), row[side], function (picked) {
      edit(section, function () {
        row[side] = picked;
        if (section === "fields") { fieldPicked(row); }
      });
    }, { "data-side": side, "data-focus": focus, "aria-label": "Side " + side + " " + CHOICE[section] });
    var cell = el("td", {}, [invalid(select, problems, side)]);
    if (section === "fields") {
      var field = fieldOf(side, row[side]);
      cell.appendChild(el("div", { "class": "ws-kind", "data-testid": "kind-" + side, "data-kind": field ? field.kind : "" },
                          [field ? C.KIND_NAMES[field.kind] || field.kind : ""]));
    }
    return cell;
  }

  // A field picked anew: a value map of same-named options for two selects or priorities, else a copy.
  function fieldPicked(row) {
    var one = fieldOf("1", row["1"]), two = fieldOf("2", row["2"]);
    if (!one || !two) { return; }
    row.transform = C.defaultTransform(one.kind, two.kind, valueChoices("1", row["1"]), valueChoices("2", row["2"]));
  }

  function conflictCell(section, row, index) {
    var twoWay = (row.direction || "both") === "both";
    var select = el("select", { "class": "select", "data-testid": "conflict", "aria-label": "If both sides change it",
                                "data-focus": "fields:" + index + ":conflict", disabled: !twoWay,
                                title: twoWay ? null : "Only a two-way field can change on both sides" },
                    [el("option", { value: "newest" }, ["the newest change wins"]),
                     el("option", { value: "1" }, [ctx.sides["1"].key + " (1) wins"]),
                     el("option", { value: "2" }, [ctx.sides["2"].key + " (2) wins"])]);
    select.value = row.conflict || "newest";
    select.addEventListener("change", function () { edit(section, function () { row.conflict = select.value; }); });
    return el("td", {}, [twoWay ? select : el("span", { "class": "ws-kind" }, ["—"])]);
  }

  function transformCell(row, index, problems) {
    var transform = row.transform || { type: "copy" };
    var select = el("select", { "class": "select", "data-testid": "transform", "aria-label": "Transform",
                                "data-focus": "fields:" + index + ":transform" });
    Object.keys(C.TRANSFORMS).forEach(function (type) {
      select.appendChild(el("option", { value: type }, [C.TRANSFORMS[type]]));
    });
    select.value = transform.type;
    select.addEventListener("change", function () {
      edit("fields", function () {
        row.transform = { type: select.value };
        if (select.value === "valueMap") {
          row.transform.pairs = C.pairsByName(valueChoices("1", row["1"]), valueChoices("2", row["2"]));
          ctx.expanded.add(row);
        }
      });
    });
    var cell = el("td", {}, [invalid(select, problems, "transform")]);
    projectValueOptions(row, index, problems).forEach(function (node) { cell.appendChild(node); });
    if (transform.type === "valueMap") {
      var open = ctx.expanded.has(row);
      var count = (transform.pairs || []).length;
      var toggle = el("button", { type: "button", "class": "aui-button aui-button-link", "aria-expanded": String(open),
                                  "data-testid": "edit-values", "data-focus": "fields:" + index + ":values" },
                      [(open ? "Hide " : "Edit ") + count + " value pair" + (count === 1 ? "" : "s")]);
      toggle.addEventListener("click", function () {
        if (open) { ctx.expanded.delete(row); } else { ctx.expanded.add(row); }
        redraw("fields");
      });
      cell.appendChild(toggle);
    }
    return cell;
  }

  var PROJECT_VALUE_OPTIONS = [["createMissing", "Create missing values"],
                               ["syncDetails", "Keep names and descriptions in sync"]];

  // Component and version rows: AUI checkboxes "create missing values" and "keep names and descriptions in sync"
  // (shown while either side is such a field, or a box is ticked, so that a problem about it can be fixed here).
  function projectValueOptions(row, index, problems) {
    var kinds = ["1", "2"].map(function (side) { var field = fieldOf(side, row[side]); return field && field.kind; });
    var projectValues = kinds.some(function (kind) { return kind === "components" || kind === "versions"; });
    if (!projectValues && !row.createMissing && !row.syncDetails) { return []; }
    return PROJECT_VALUE_OPTIONS.map(function (option) {
      var key = option[0], id = "ws-" + key + "-" + index;
      var box = el("input", { "class": "checkbox", type: "checkbox", id: id, "data-testid": key,
                              "data-focus": "fields:" + index + ":" + key });
      box.checked = Boolean(row[key]);
      box.addEventListener("change", function () {
        edit("fields", function () { if (box.checked) { row[key] = true; } else { delete row[key]; } });
      });
      return el("div", { "class": "checkbox ws-project-values" }, [invalid(box, problems, key),
                                                                  el("label", { "for": id }, [option[1]])]);
    });
  }

  function valuePicker(row, index, side, current, onPick, focus, placeholder) {
    return picker(valueChoices(side, row[side]), current, function (picked) {
      edit("fields", function () { onPick(picked); });
    }, { "data-side": side, "data-focus": "fields:" + index + ":" + focus, "aria-label": "Side " + side + " value" },
    placeholder);
  }

  // The value map of a field row: ordered pairs of option values, and the default for a value without a pair.
  function valueMapRow(row, index, problems, columns) {
    var transform = row.transform;
    transform.pairs = transform.pairs || [];
    var pairs = el("tbody");
    transform.pairs.forEach(function (pair, n) {
      pairs.appendChild(el("tr", { "data-testid": "value-pair" }, [
        el("td", {}, [invalid(valuePicker(row, index, "1", pair["1"], function (v) { pair["1"] = v; }, "p" + n + ":1"),
                              problems, "transform/pairs/" + n + "/1")]),
        el("td", { "class": "ws-arrow" }, ["↔"]),
        el("td", {}, [invalid(valuePicker(row, index, "2", pair["2"], function (v) { pair["2"] = v; }, "p" + n + ":2"),
                              problems, "transform/pairs/" + n + "/2")]),
        el("td", {}, [removeButton("Remove this pair", function () {
          edit("fields", function () { transform.pairs.splice(n, 1); });
        })])
      ]));
    });
    var add = el("button", { type: "button", "class": "aui-button", "data-testid": "add-pair" }, ["Add pair"]);
    add.addEventListener("click", function () { edit("fields", function () { transform.pairs.push({ "1": null, "2": null }); }); });
    var same = el("button", { type: "button", "class": "aui-button aui-button-link", "data-testid": "pair-same-names" },
                  ["Pair the values with the same name"]);
    same.addEventListener("click", function () {
      edit("fields", function () {
        C.mergePairs(transform, { pairs: C.pairsByName(valueChoices("1", row["1"]), valueChoices("2", row["2"])) });
      });
    });
    var fallback = transform["default"] || {};
    function setDefault(side) {
      return function (picked) {
        var next = Object.assign({}, transform["default"] || {});
        if (picked) { next[side] = picked; } else { delete next[side]; }
        if (Object.keys(next).length) { transform["default"] = next; } else { delete transform["default"]; }
      };
    }
    var defaults = el("div", { "class": "ws-defaults" }, [
      el("span", {}, ["A value without a pair becomes, on " + sideName("1") + ": "]),
      invalid(valuePicker(row, index, "1", fallback["1"], setDefault("1"), "d1", "nothing"), problems, "transform/default/1"),
      el("span", {}, [" and on " + sideName("2") + ": "]),
      invalid(valuePicker(row, index, "2", fallback["2"], setDefault("2"), "d2", "nothing"), problems, "transform/default/2")
    ]);
    defaults.querySelectorAll("select").forEach(function (select, i) {
      select.setAttribute("data-testid", "default-" + (i + 1));
    });
    return el("tr", { "class": "ws-valuemap", "data-testid": "value-map" }, [el("td", { colspan: columns }, [
      el("table", { "class": "aui ws-pairs" }, [el("thead", {}, [el("tr", {}, [
        el("th", {}, [sideName("1")]), el("th", {}, []), el("th", {}, [sideName("2")]), el("th", {}, [])])]), pairs]),
      el("div", { "class": "ws-buttons" }, [add, same]), defaults])]);
  }

  function problemRow(problems, columns) {
    return el("tr", { "class": "ws-row-problems", "data-testid": "row-problems" }, [
      el("td", { colspan: columns }, problems.map(function (p) { return el("div", { "class": "error" }, [p.message]); }))]);
  }

  function rowNodes(section, row, index, columns) {
    var problems = ctx.problems.ofRow(row);
    var cells = [
      sideCell(section, row, index, "1", problems),
      el("td", {}, [controls.directionToggle(row.direction || "both", function (direction) {
        edit(section, function () {
          row.direction = direction;
          if (section === "fields" && direction === "both" && !row.conflict) { row.conflict = "newest"; }
        });
      }, { sides: ctx.sides, focus: section + ":" + index + ":direction" })]),
      sideCell(section, row, index, "2", problems)
    ];
    if (section === "fields") { cells.push(conflictCell(section, row, index), transformCell(row, index, problems)); }
    cells.push(el("td", { "class": "ws-col-actions" }, [removeButton("Remove this pair", function () {
      edit(section, function () { ctx.doc[section].splice(ctx.doc[section].indexOf(row), 1); });
    })]));
    var name = function (side) { return row[side] ? row[side].name || row[side].id : ""; };
    var nodes = [el("tr", { "data-testid": "mapping-row", "data-side1": name("1"), "data-side2": name("2"),
                            "class": problems.length ? "ws-has-problems" : null }, cells)];
    if (problems.length) { nodes.push(problemRow(problems, columns)); }
    if (section === "fields" && row.transform && row.transform.type === "valueMap" &&
        (ctx.expanded.has(row) || problems.some(function (p) { return p.rest.indexOf("transform/") === 0; }))) {
      ctx.expanded.add(row);
      nodes.push(valueMapRow(row, index, problems, columns));
    }
    return nodes;
  }

  function render(section) {
    var container = document.querySelector('#ws-configure [data-section="' + section + '"]');
    var headers = [sideName("1") + (ctx.sides["1"].mine ? " — this site" : " — partner"), "Direction",
                   sideName("2") + (ctx.sides["2"].mine ? " — this site" : " — partner")];
    if (section === "fields") { headers.push("If both change it", "Transform"); }
    headers.push("");
    var body = el("tbody");
    ctx.doc[section].forEach(function (row, index) {
      rowNodes(section, row, index, headers.length).forEach(function (node) { body.appendChild(node); });
    });
    if (!ctx.doc[section].length) {
      body.appendChild(el("tr", {}, [el("td", { colspan: headers.length, "class": "ws-hint" },
                                        ["Nothing paired yet: add a pair, or map all with the same name."])]));
    }
    var add = el("button", { type: "button", "class": "aui-button", "data-testid": "add-row" }, [ADD_LABEL[section]]);
    add.addEventListener("click", function () {
      var row = { "1": null, "2": null, direction: "both" };
      if (section === "fields") { row.conflict = "newest"; row.transform = { type: "copy" }; }
      edit(section, function () { ctx.doc[section].push(row); });
      var first = container.querySelector('[data-focus="' + section + ":" + (ctx.doc[section].length - 1) + ':1"]');
      if (first) { first.focus(); }
    });
    container.textContent = "";
    // In an AUI form, so that its selects and checkboxes look like Jira's (it never submits).
    var form = el("form", { "class": "aui ws-mapping-form", novalidate: true }, [
      el("table", { "class": "aui ws-mapping", "data-testid": "mapping-" + section }, [
        el("thead", {}, [el("tr", {}, headers.map(function (h) { return el("th", {}, [h]); }))]), body]),
      el("div", { "class": "ws-buttons" }, [add])]);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    container.appendChild(form);
  }

  // Draw every mapping table for `context` (kept: later edits redraw from it).
  function renderAll(context) {
    ctx = context;
    C.ROW_SECTIONS.forEach(render);
  }

  WS.configTables = { renderAll: renderAll };
})();
