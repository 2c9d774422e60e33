// The configuration document as the Configure page edits it: merging the suggestion, checks before saving, where
// each of the API's problems belongs (by its JSON path), and how a received draft's changes read. No DOM here.
(function () {
  "use strict";
  var WS = window.WorkSync;

  var ROW_SECTIONS = ["issueTypes", "fields", "statuses"];
  var TAB_OF = { issueTypes: "types", fields: "fields", statuses: "statuses", users: "users",
                 comments: "content", attachments: "content", filters: "filters", existingIssues: "filters",
                 deletes: "filters", pairing: "filters", issueLinks: "links", hierarchy: "more", worklogs: "more" };
  var SECTION_NAMES = { issueTypes: "Work types", fields: "Fields", statuses: "Statuses", users: "Users",
                        comments: "Comments", attachments: "Attachments", filters: "Filters",
                        existingIssues: "Existing work items", deletes: "Deletes", issueLinks: "Issue links",
                        hierarchy: "Sub-tasks and parents", worklogs: "Worklogs",
                        pairing: "Pairing" };
  var TRANSFORMS = { copy: "copy", valueMap: "value map", toText: "to text" };
  var MAPPABLE_VALUES = ["priority", "option", "options"];
  // A field's kind (the API's value) by the name Jira gives that type of field.
  var KIND_NAMES = { text: "Short text", doc: "Paragraph (rich text)", number: "Number", date: "Date picker",
                     datetime: "Date time picker", option: "Select list (single choice)",
                     options: "Select list (multiple choices)", labels: "Labels", user: "User picker",
                     priority: "Priority", components: "Components", versions: "Version picker" };
  var CHOICE_NAMES = { issueTypes: "work type", fields: "field", statuses: "status" };

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  function ref(choice) { return choice ? { id: choice.id, name: choice.name } : null; }

  // A document with the suggestion's users, comments, attachments, filters and choices, and no rows yet.
  function startFrom(suggestion) {
    var doc = clone(suggestion);
    ROW_SECTIONS.forEach(function (section) { doc[section] = []; });
    return doc;
  }

  function ids(rows, side) {
    var found = new Set();
    rows.forEach(function (row) { if (row[side]) { found.add(row[side].id); } });
    return found;
  }

  // Pairs of `from` whose options are not paired yet on either side go into `into`; returns how many.
  function mergePairs(into, from) {
    into.pairs = into.pairs || [];
    var taken1 = ids(into.pairs, "1"), taken2 = ids(into.pairs, "2");
    var added = 0;
    (from.pairs || []).forEach(function (pair) {
      if (!taken1.has(pair["1"].id) && !taken2.has(pair["2"].id)) { into.pairs.push(clone(pair)); added += 1; }
    });
    return added;
  }

  // Add every row of the suggestion whose two sides are both unmapped yet, and the value pairs a mapped select
  // or priority is missing. Returns how many rows and pairs were added; nothing already there changes.
  function merge(doc, suggestion) {
    var added = 0;
    ROW_SECTIONS.forEach(function (section) {
      var rows = doc[section];
      var taken1 = ids(rows, "1"), taken2 = ids(rows, "2");
      suggestion[section].forEach(function (row) {
        var same = rows.filter(function (mine) {
          return mine["1"] && mine["2"] && mine["1"].id === row["1"].id && mine["2"].id === row["2"].id;
        })[0];
        if (same) {
          if (section === "fields" && same.transform && same.transform.type === "valueMap" &&
              row.transform && row.transform.type === "valueMap") {
            added += mergePairs(same.transform, row.transform);
          }
        } else if (!taken1.has(row["1"].id) && !taken2.has(row["2"].id)) {
          rows.push(clone(row));
          added += 1;
        }
      });
    });
    return added;
  }

  // What a field row does to values: a value map (options paired by name) for selects and priorities, else copy.
  function defaultTransform(kind1, kind2, choices1, choices2) {
    if (MAPPABLE_VALUES.indexOf(kind1) < 0 || MAPPABLE_VALUES.indexOf(kind2) < 0) { return { type: "copy" }; }
    return { type: "valueMap", pairs: pairsByName(choices1, choices2) };
  }

  function pairsByName(choices1, choices2) {
    var byName = new Map();
    choices2.forEach(function (choice) {
      var key = choice.name.trim().toLowerCase();
      if (!byName.has(key)) { byName.set(key, choice); }
    });
    var pairs = [];
    choices1.forEach(function (choice) {
      var other = byName.get(choice.name.trim().toLowerCase());
      if (other) { pairs.push({ "1": ref(choice), "2": ref(other) }); byName.delete(choice.name.trim().toLowerCase()); }
    });
    return pairs;
  }

  // Problems the page finds itself before saving: a row or value pair with a side left unchosen.
  function unchosen(doc) {
    var found = [];
    ROW_SECTIONS.forEach(function (section) {
      doc[section].forEach(function (row, index) {
        ["1", "2"].forEach(function (side) {
          if (!row[side]) {
            found.push({ path: "/" + section + "/" + index + "/" + side,
                         message: "Choose a " + CHOICE_NAMES[section] + " on side " + side + ", or remove the row." });
          }
        });
        (section === "fields" && row.transform && row.transform.pairs || []).forEach(function (pair, n) {
          ["1", "2"].forEach(function (side) {
            if (!pair[side]) {
              found.push({ path: "/fields/" + index + "/transform/pairs/" + n + "/" + side,
                           message: "Choose a value on side " + side + " for this pair, or remove the pair." });
            }
          });
        });
      });
    });
    return found;
  }

  function rowLabel(row) {
    function name(side) { return row[side] ? row[side].name || row[side].id : "…"; }
    return name("1") + " ↔ " + name("2");
  }

  // The API's problems, each kept with the row it names (rows are objects of the document, so a problem stays with
  // its row when others are added or removed) or with its section; `where` says it for the summary.
  function Problems(list, doc) {
    var self = this;
    this.rows = new Map();
    this.list = (list || []).map(function (problem) {
      var parts = problem.path.split("/").slice(1);
      var section = parts[0] || "";
      var rows = ROW_SECTIONS.indexOf(section) >= 0 ? doc[section] : null;
      var row = rows && /^\d+$/.test(parts[1] || "") ? rows[Number(parts[1])] : null;
      var placed = { path: problem.path, message: problem.message, section: section, row: row || null,
                     rest: row ? parts.slice(2).join("/") : parts.slice(1).join("/") };
      if (row) {
        if (!self.rows.has(row)) { self.rows.set(row, []); }
        self.rows.get(row).push(placed);
      }
      return placed;
    });
  }

  Problems.prototype.ofRow = function (row) { return this.rows.get(row) || []; };

  // The problems still standing in `doc` (those of removed rows are gone).
  Problems.prototype.current = function (doc) {
    return this.list.filter(function (p) { return !p.row || doc[p.section].indexOf(p.row) >= 0; });
  };

  Problems.prototype.where = function (problem) {
    var name = SECTION_NAMES[problem.section];
    if (!name) { return "The configuration"; }
    if (problem.row) { return name + " · " + rowLabel(problem.row); }
    var rest = problem.rest.split("/").map(function (part) { return /^[12]$/.test(part) ? "side " + part : part; });
    return problem.rest ? name + " · " + rest.join(" ") : name;
  };

  function transformText(transform) {
    transform = transform || { type: "copy" };
    var text = TRANSFORMS[transform.type] || transform.type;
    if (transform.type === "valueMap") {
      var n = (transform.pairs || []).length;
      text += " (" + n + " pair" + (n === 1 ? "" : "s") + (transform.default ? ", a default" : "") + ")";
    }
    return text;
  }

  function direction(value) { return value === "both" ? "both ways" : value === "none" ? "off" : value; }

  // A value of a whole section, briefly: texts as they are, lists joined, sizes in MB, objects key by key.
  function brief(value, key) {
    if (value === null || value === undefined || value === "") { return "—"; }
    if (key === "maxSize" && typeof value === "number") { return Math.round(value / 1048576 * 100) / 100 + " MB"; }
    if (key === "direction") { return direction(value); }
    if (typeof value !== "object") { return String(value); }
    if (Array.isArray(value)) {
      return value.length ? value.map(function (item) { return brief(item); }).join(", ") : "none";
    }
    var text = Object.keys(value).map(function (name) { return name + ": " + brief(value[name], name); }).join("; ");
    return key ? "(" + text + ")" : text;
  }

  function rowDetails(row) {
    var parts = [direction(row.direction || "both")];
    if (row.transform) { parts.push(transformText(row.transform)); }
    if (row.conflict && (row.direction || "both") === "both") { parts.push(conflictText(row.conflict)); }
    return parts.join(" · ");
  }

  function conflictText(conflict) {
    return conflict === "newest" ? "the newest change wins" : "side " + conflict + " wins";
  }

  // What one change of a received draft does, in a line: a row's settings, or a section's keys before → after.
  function describe(change) {
    var rows = ROW_SECTIONS.indexOf(change.section) >= 0;
    if (change.change !== "changed") {
      var row = change.after || change.before;
      return rows ? rowDetails(row) : brief(row);
    }
    if (rows) { return rowDetails(change.before) + " → " + rowDetails(change.after); }
    var before = change.before || {}, after = change.after || {};
    if (typeof after !== "object" || typeof before !== "object") { return brief(before) + " → " + brief(after); }
    var keys = Object.keys(before).concat(Object.keys(after)).filter(function (key, i, all) {
      return all.indexOf(key) === i && JSON.stringify(before[key]) !== JSON.stringify(after[key]);
    });
    return keys.map(function (key) {
      return key + ": " + brief(before[key], key) + " → " + brief(after[key], key);
    }).join("; ");
  }

  WS.config = {
    KIND_NAMES: KIND_NAMES,
    ROW_SECTIONS: ROW_SECTIONS, TAB_OF: TAB_OF, SECTION_NAMES: SECTION_NAMES, TRANSFORMS: TRANSFORMS,
    MAPPABLE_VALUES: MAPPABLE_VALUES, clone: clone, ref: ref, startFrom: startFrom, merge: merge, mergePairs: mergePairs,
    defaultTransform: defaultTransform, pairsByName: pairsByName, unchosen: unchosen, rowLabel: rowLabel,
    Problems: Problems, describe: describe, conflictText: conflictText
  };
})();
