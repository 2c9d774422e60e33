// The Configure page's pairing control (Filters tab, beside Existing work items): the `pairing` section — none, the
// same summary, a key field per side, or key pairs (typed, or read from a CSV file) — and its dry run
// (POST …/pairing/preview), which also checks a CSV line by line. Absent from a document means none.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var root = document.getElementById("ws-configure");
  var box = root.querySelector("[data-pairing]");
  var form = box.closest("form");
  function part(id) { return box.querySelector('[data-testid="' + id + '"]'); }
  var KEY = /^[A-Z][A-Z0-9_]{0,254}-[0-9]{1,18}$/;
  var TEXT_KINDS = ["text", "doc"];
  var SHOWN = 50;  // pairs and refusals listed by the preview (the counts say the rest)
  var ctx = null;

  function section() { return ctx.doc.pairing || { by: "none" }; }

  function sideName(side) { return ctx.sides[side].key + " (" + side + ")"; }

  // Pairs as the CSV text holds them (side 1's key, side 2's key a line; other lines are left to the server's check).
  function pairsOf(text) {
    return text.split(/\r?\n/).map(function (line) {
      return line.split(",").map(function (cell) { return cell.trim().toUpperCase(); }).filter(Boolean);
    }).filter(function (cells) {
      return cells.length === 2 && KEY.test(cells[0]) && KEY.test(cells[1]);
    });
  }

  function setBy(by) {
    var was = ctx.doc.pairing || {};
    if (by === "none") {
      if (ctx.doc.pairing) { ctx.doc.pairing = { by: "none" }; }
    } else {
      var next = { by: by, unpaired: was.unpaired || "create" };
      if (by === "key-field" && was.field && Object.keys(was.field).length) { next.field = was.field; }
      if (by === "csv") { next.pairs = was.pairs || pairsOf(part("pairing-csv").value); }
      ctx.doc.pairing = next;
    }
    ctx.changed();
    show();
  }

  function fieldPicker(side) {
    var current = (section().field || {})[side] || null;
    var choices = ((ctx.meta[side] || {}).fields || []).filter(function (field) {
      return TEXT_KINDS.indexOf(field.kind) >= 0;
    }).map(function (field) {
      return { id: field.id, name: field.name, group: field.custom ? "Custom fields" : "System fields" };
    });
    return WS.configControls.picker(choices, current, function (picked) {
      var pairing = ctx.doc.pairing;
      var field = Object.assign({}, pairing.field || {});
      if (picked) { field[side] = picked; } else { delete field[side]; }
      if (Object.keys(field).length) { pairing.field = field; } else { delete pairing.field; }
      ctx.changed();
    }, { id: "ws-pairing-field-" + side, "data-testid": "pairing-field-" + side,
         "aria-label": "Key field on " + sideName(side) }, "No key field on this side");
  }

  // Show what the section holds: the method, its own controls only, and whether existing issues are synced at all.
  function show() {
    var pairing = section();
    part("pairing-by").value = pairing.by;
    box.querySelectorAll("[data-pairing-for]").forEach(function (node) {
      node.hidden = node.getAttribute("data-pairing-for").split(" ").indexOf(pairing.by) < 0;
    });
    var existing = form.querySelector('input[name="existingIssues"]:checked');
    part("pairing-needs-existing").hidden = pairing.by === "none" || (existing && existing.value === "sync");
    part("pairing-unpaired").value = pairing.unpaired || "create";
  }

  function render(context) {
    ctx = context;
    ["1", "2"].forEach(function (side) {
      var slot = box.querySelector('[data-pairing-field="' + side + '"]');
      slot.textContent = "";
      slot.appendChild(fieldPicker(side));
    });
    part("pairing-csv").value = (section().pairs || []).map(function (pair) { return pair.join(","); }).join("\n");
    part("pairing-csv-problems").textContent = "";
    part("pairing-preview-result").textContent = "";
    show();
  }

  function lines(problems) {
    return problems.map(function (problem) {
      var text = problem.message;
      if (problem.line && text.indexOf("line " + problem.line) !== 0) { text = "line " + problem.line + ": " + text; }
      return el("div", { "data-testid": "pairing-line-problem" }, [text]);
    });
  }

  function listOf(title, items, testid, line) {
    if (!items.length) { return null; }
    var more = items.length > SHOWN ? " (the first " + SHOWN + ")" : "";
    return el("div", { "data-testid": testid }, [el("h5", {}, [title + more]),
      el("ul", {}, items.slice(0, SHOWN).map(function (item) { return el("li", {}, [line(item)]); }))]);
  }

  // The dry run's answer, in words: how many pairs, refusals and creates, then the pairs and refusals themselves.
  function showPreview(answer) {
    var slot = part("pairing-preview-result");
    slot.textContent = "";
    var n = answer.pairs.length;
    slot.appendChild(el("div", { "class": "aui-message aui-message-info" }, [
      el("p", { "data-testid": "pairing-preview-summary" }, [
        n + (n === 1 ? " pair" : " pairs") + ", " + answer.refused.length + " refused, " + answer.creates +
        (answer.creates === 1 ? " partner" : " partners") + " to create (" + answer.unpaired["1"] + " on " +
        sideName("1") + " and " + answer.unpaired["2"] + " on " + sideName("2") + " left unpaired). " +
        "Nothing is written until the synchronization first starts."]),
      listOf("Pairs", answer.pairs, "pairing-preview-pairs", function (pair) {
        return pair["1"].key + " ↔ " + pair["2"].key + " (by " + pair.by + ")";
      }),
      listOf("Refused (neither paired nor given a partner)", answer.refused, "pairing-preview-refused",
             function (row) {
               return row.key + ": " + row.reason + (row.candidates.length ? " — " + row.candidates.join(", ") : "");
             })]));
  }

  function failed(error) {
    var body = error.body || {};
    var slot = part("pairing-preview-result");
    slot.textContent = "";
    slot.appendChild(el("div", { "class": "aui-message aui-message-error", "data-testid": "pairing-preview-error" },
                        [el("p", {}, [error.message])].concat(lines(body.problems || []))));
  }

  function preview(withCsv) {
    var button = part(withCsv ? "pairing-check" : "pairing-preview"), page = ctx;
    var body = { pairing: section() };
    if (withCsv) { body.csv = part("pairing-csv").value; }
    button.setAttribute("aria-busy", "true");
    return WS.api(ctx.base + "/pairing/preview", { method: "POST", body: body }).then(function (answer) {
      button.removeAttribute("aria-busy");  // first: the page's buttons wait while anything is busy
      if (ctx !== page) { return; }
      if (withCsv) {
        ctx.doc.pairing.pairs = answer.pairsFromCsv;
        ctx.changed();
        var problems = part("pairing-csv-problems");
        problems.textContent = "";
        lines(answer.problems).forEach(function (node) { problems.appendChild(node); });
      }
      showPreview(answer);
    }, function (error) {
      button.removeAttribute("aria-busy");
      if (ctx === page) { failed(error); }
    });
  }

  part("pairing-by").addEventListener("change", function () { if (ctx) { setBy(part("pairing-by").value); } });
  part("pairing-unpaired").addEventListener("change", function () {
    if (!ctx || !ctx.doc.pairing) { return; }
    ctx.doc.pairing.unpaired = part("pairing-unpaired").value;
    ctx.changed();
  });
  part("pairing-csv").addEventListener("input", function () {
    if (!ctx || !ctx.doc.pairing) { return; }
    ctx.doc.pairing.pairs = pairsOf(part("pairing-csv").value);
    part("pairing-csv-problems").textContent = "";
    ctx.changed();
  });
  part("pairing-file").addEventListener("change", function () {
    var file = part("pairing-file").files[0];
    if (!file || !ctx) { return; }
    file.text().then(function (text) {
      part("pairing-csv").value = text;
      part("pairing-csv").dispatchEvent(new Event("input", { bubbles: true }));
      return preview(true);
    });
  });
  part("pairing-check").addEventListener("click", function () { if (ctx) { preview(true); } });
  part("pairing-preview").addEventListener("click", function () { if (ctx) { preview(false); } });
  form.addEventListener("change", function (event) {
    if (ctx && event.target.name === "existingIssues") { show(); }
  });

  WS.configPairing = { render: render };
})();
