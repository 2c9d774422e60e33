// The Configure page's forms for the document's whole sections: users, comments and attachments, filters, existing
// work items and deletes. The forms are in the template; this fills them from the document and writes edits back.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;
  var MB = 1024 * 1024;
  var root = document.getElementById("ws-configure");
  var forms = {};
  root.querySelectorAll("form[data-form]").forEach(function (form) { forms[form.dataset.form] = form; });

  var ctx = null;  // {doc, sides, problems, changed()}

  function radio(form, name, value) {
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) { input.checked = input.value === value; });
  }

  function checkedValue(form, name) {
    var found = form.querySelector('input[name="' + name + '"]:checked');
    return found ? found.value : null;
  }

  function megabytes(bytes) { return bytes === undefined ? "" : String(Math.round(bytes / MB * 100) / 100); }

  function userPairs() {
    var holder = forms.users.querySelector("[data-user-pairs]");
    var users = ctx.doc.users;
    users.pairs = users.pairs || [];
    var body = el("tbody");
    users.pairs.forEach(function (pair, n) {
      var inputs = ["1", "2"].map(function (side) { return el("td", {}, personPicker(pair, side)); });
      var remove = WS.configControls.removeButton("Remove this pair", function () {
        users.pairs.splice(n, 1);
        ctx.changed();
        userPairs();
      });
      body.appendChild(el("tr", { "data-testid": "user-pair" }, inputs.concat([el("td", {}, [remove])])));
    });
    var add = el("button", { type: "button", "class": "aui-button", "data-testid": "add-user-pair" }, ["Add pair of people"]);
    add.addEventListener("click", function () { users.pairs.push({ "1": "", "2": "" }); ctx.changed(); userPairs(); });
    holder.textContent = "";
    if (users.pairs.length) {
      holder.appendChild(el("table", { "class": "aui ws-pairs" }, [el("thead", {}, [el("tr", {}, [
        el("th", {}, [label("1")]), el("th", {}, [label("2")]), el("th", {}, [])])]), body]));
    }
    holder.appendChild(el("div", { "class": "ws-buttons" }, [add]));
  }

  // Names of the people picked on this page, by side and accountId (the document keeps the accountId alone).
  var names = { "1": {}, "2": {} };
  var searchTimer = null;

  // One side of a pair of people: who is chosen (their name, the accountId in a tooltip), and a search of that
  // side's people by name or e-mail (GET …/people) whose matches an AUI select offers.
  function personPicker(pair, side) {
    var id = pair[side] || "";
    var missing = Boolean(id) && names[side][id] === null;  // asked of Jira, who does not show the person
    var chosen = el("span", { "class": "ws-person", "data-testid": "user-pair-" + side, "data-account-id": id,
                              "data-missing": missing ? "true" : null },
                    [!id ? "Nobody chosen yet" : missing ? id + " (not found on this site)" : names[side][id] || id]);
    if (id) { WS.tooltip(chosen, id); }
    var search = el("input", { "class": "text medium-field", type: "search", autocomplete: "off",
                               placeholder: "Find a person by name", "data-testid": "user-search-" + side,
                               "aria-label": "Find a person on " + ctx.sides[side].key + " (" + side + ")" });
    var results = el("select", { "class": "select medium-field", "data-testid": "user-results-" + side, hidden: true,
                                 "aria-label": "People found on " + ctx.sides[side].key + " (" + side + ")" });
    search.addEventListener("input", function () {
      clearTimeout(searchTimer);
      var query = search.value.trim();
      if (!query) { results.hidden = true; return; }
      searchTimer = setTimeout(function () {
        WS.api(ctx.base + "/people", { query: { side: side, query: query, perPage: "20" } }).then(function (answer) {
          if (search.value.trim() !== query) { return; }
          results.textContent = "";
          results.appendChild(el("option", { value: "" }, [answer.people.length
            ? answer.people.length + (answer.more ? "+" : "") + " found: choose one…" : "Nobody matches"]));
          answer.people.forEach(function (person) {
            names[side][person.accountId] = person.displayName;
            results.appendChild(el("option", { value: person.accountId }, [person.displayName]));
          });
          results.hidden = false;
        }, function (error) { WS.flag("error", "Could not search people", error.message); });
      }, 250);
    });
    results.addEventListener("change", function () {
      if (!results.value) { return; }
      pair[side] = results.value;
      ctx.changed();
      userPairs();
    });
    return [el("div", {}, [chosen]), search, results];
  }

  // The names of the stored pairs' people not named yet: one lookup per side for all of them (GET …/people with
  // each accountId); whom Jira does not show keeps the accountId, marked as not found.
  function nameStoredPeople() {
    var asked = ctx;
    ["1", "2"].forEach(function (side) {
      var ids = (asked.doc.users.pairs || []).map(function (pair) { return pair[side]; }).filter(function (id, i, all) {
        return id && names[side][id] === undefined && all.indexOf(id) === i;
      });
      if (!ids.length) { return; }
      WS.api(asked.base + "/people", { query: { side: side, accountId: ids } }).then(function (answer) {
        ids.forEach(function (id) { names[side][id] = null; });
        answer.people.forEach(function (person) { names[side][person.accountId] = person.displayName; });
        if (ctx === asked) { userPairs(); }
      }, function (error) { WS.flag("error", "Could not name the people of the pairs", error.message); });
    });
  }

  function label(side) {
    return ctx.sides[side].key + " (" + side + ")" + (ctx.sides[side].mine ? " — this site" : " — partner");
  }

  function fillUsers() {
    var users = ctx.doc.users, form = forms.users;
    form.querySelectorAll('input[name="match"]').forEach(function (box) {
      box.checked = (users.match || []).indexOf(box.value) >= 0;
    });
    radio(form, "fallback", users.fallback.type);
    form.elements["fallback.1"].value = users.fallback["1"] || "";
    form.elements["fallback.2"].value = users.fallback["2"] || "";
    form.querySelectorAll("[data-fallback-users]").forEach(function (group) {
      group.hidden = users.fallback.type !== "user";
    });
    radio(form, "mentions", users.mentions || "map");  // absent: through the user mapping
    userPairs();
    nameStoredPeople();
  }

  function fillContent() {
    var form = forms.content, doc = ctx.doc;
    ["comments", "attachments"].forEach(function (section) {
      var slot = form.querySelector('[data-direction-of="' + section + '"]');
      slot.textContent = "";
      slot.appendChild(WS.configControls.directionToggle(doc[section].direction, function (direction) {
        doc[section].direction = direction;
        ctx.changed();
      }, { sides: ctx.sides, off: true, label: section + " direction", testid: section + "-direction" }));
    });
    radio(form, "visibility", doc.comments.visibility || "all");
    form.elements.attribution.value = doc.comments.attribution || "";
    form.elements.maxSize.value = megabytes(doc.attachments.maxSize);
    form.elements.exclude.value = (doc.attachments.exclude || []).join("\n");
    partnerAttachments(form.querySelector("[data-partner-attachments]"));
  }

  // Beside "Largest file": what the partner's site takes (its upload limit, or that attachments are off there).
  function partnerAttachments(slot) {
    var partners = ["1", "2"].filter(function (side) { return !ctx.sides[side].mine; });
    var name = function (side) { return ctx.sides[side].key + " (" + side + ")"; };
    slot.textContent = "";
    (partners.length ? partners : ["1", "2"]).forEach(function (side) {
      var attachments = (ctx.meta && ctx.meta[side] && ctx.meta[side].attachments) || {};
      var text = attachments.enabled === false ? "Attachments are turned off on " + name(side) + "'s site: " +
          "nothing is copied there." : attachments.uploadLimit ? name(side) + " takes files up to " +
          megabytes(attachments.uploadLimit) + " MB: a larger file is skipped, whatever you choose here." :
          name(side) + " does not say how large a file it takes.";
      slot.appendChild(el("div", { "data-testid": "partner-attachments-" + side,
                                   "class": attachments.enabled === false ? "ws-warning" : null }, [text]));
    });
  }

  function fillFilters() {
    var form = forms.filters, doc = ctx.doc;
    form.elements["filter.1"].value = doc.filters["1"] || "";
    form.elements["filter.2"].value = doc.filters["2"] || "";
    radio(form, "existingIssues", doc.existingIssues);
    radio(form, "deletes", doc.deletes);
  }

  // Each form edit goes into the document at once (the forms are filled anew whenever a document is loaded).
  var READERS = {
    users: function (form, target) {
      var users = ctx.doc.users;
      if (target.name === "match") {
        users.match = Array.from(form.querySelectorAll('input[name="match"]:checked'), function (box) { return box.value; });
      } else if (target.name === "fallback") {
        users.fallback = { type: checkedValue(form, "fallback") };
        fillUsers();
      } else if (target.name === "mentions") {
        users.mentions = checkedValue(form, "mentions") || "map";
      }
      if (users.fallback.type === "user") {
        ["1", "2"].forEach(function (side) {
          var value = form.elements["fallback." + side].value.trim();
          if (value) { users.fallback[side] = value; } else { delete users.fallback[side]; }
        });
      }
    },
    content: function (form) {
      var doc = ctx.doc, size = form.elements.maxSize.value;
      doc.comments.visibility = checkedValue(form, "visibility") || "all";
      doc.comments.attribution = form.elements.attribution.value;
      if (size === "" || isNaN(Number(size))) { delete doc.attachments.maxSize; } else {
        doc.attachments.maxSize = Math.round(Number(size) * MB);
      }
      doc.attachments.exclude = form.elements.exclude.value.split("\n").map(function (line) {
        return line.trim();
      }).filter(Boolean);
    },
    filters: function (form) {
      var doc = ctx.doc;
      ["1", "2"].forEach(function (side) { doc.filters[side] = form.elements["filter." + side].value.trim() || null; });
      doc.existingIssues = checkedValue(form, "existingIssues");
      doc.deletes = checkedValue(form, "deletes");
    }
  };

  Object.keys(forms).forEach(function (name) {
    forms[name].addEventListener("submit", function (event) { event.preventDefault(); });
    forms[name].addEventListener("input", function (event) {
      if (!ctx || !event.target.name) { return; }
      READERS[name](forms[name], event.target);
      ctx.changed();
    });
  });

  // Problems of whole sections go below the form element whose path is the longest start of theirs.
  function placeProblems() {
    var slots = Array.from(root.querySelectorAll("[data-problem-for]"));
    slots.forEach(function (slot) { slot.textContent = ""; });
    ctx.problems.current(ctx.doc).forEach(function (problem) {
      if (problem.row) { return; }
      var best = null;
      slots.forEach(function (slot) {
        var path = slot.getAttribute("data-problem-for");
        if ((problem.path === path || problem.path.indexOf(path + "/") === 0) &&
            (!best || path.length > best.getAttribute("data-problem-for").length)) { best = slot; }
      });
      if (best) { best.appendChild(el("div", {}, [problem.message])); }
    });
  }

  // Fill every form from `context`.doc, and show its problems.
  function renderAll(context) {
    ctx = context;
    root.querySelectorAll("[data-side-label]").forEach(function (node) {
      node.textContent = label(node.getAttribute("data-side-label"));
    });
    fillUsers();
    fillContent();
    fillFilters();
    placeProblems();
  }

  WS.configSections = { renderAll: renderAll };
})();
