// Controls of the Configure page: a direction toggle, a picker of one side's choices by name, a remove button.
(function () {
  "use strict";
  var WS = window.WorkSync;
  var el = WS.el;

  var DIRECTIONS = [["both", "both"], ["1→2", "1 → 2"], ["2→1", "2 → 1"]];

  function explain(direction, sides) {
    function sideName(side) { return sides[side].key + " (" + side + ")"; }
    if (direction === "both") { return "Both ways: a change on either side reaches the other"; }
    if (direction === "none") { return "Not synchronized"; }
    var from = direction.charAt(0), to = direction.charAt(2);
    return "One way: only from " + sideName(from) + " to " + sideName(to);
  }

  // Buttons both / 1 → 2 / 2 → 1 (and off, with `off`), the chosen one pressed; options: sides (whose project keys
  // the tooltips name), off, label, testid, focus.
  function directionToggle(value, onPick, options) {
    options = options || {};
    var choices = DIRECTIONS.concat(options.off ? [["none", "off"]] : []);
    var group = el("div", { "class": "aui-buttons ws-direction", role: "group",
                            "aria-label": options.label || "Direction", "data-testid": options.testid || "direction" });
    choices.forEach(function (choice) {
      var button = el("button", { type: "button", "class": "aui-button", "aria-pressed": String(choice[0] === value),
                                  title: explain(choice[0], options.sides), "data-direction": choice[0],
                                  "data-focus": options.focus ? options.focus + ":" + choice[0] : null },
                      [choice[1]]);
      button.addEventListener("click", function () {
        group.querySelectorAll("button").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        onPick(choice[0]);
      });
      group.appendChild(button);
    });
    return group;
  }

  // A <select> of choices ({id, name}, optionally grouped by `group`) with `current` chosen; a current value the
  // project no longer has stays visible as such. onPick receives {id, name} or null.
  function picker(choices, current, onPick, attributes, placeholder) {
    var select = el("select", Object.assign({ "class": "select" }, attributes));
    select.appendChild(el("option", { value: "" }, [placeholder || "Choose…"]));
    var known = choices.some(function (choice) { return current && choice.id === current.id; });
    if (current && !known) {
      select.appendChild(el("option", { value: current.id }, [(current.name || current.id) + " (not in the project)"]));
    }
    var groups = {};
    choices.forEach(function (choice) {
      var parent = select;
      if (choice.group) {
        parent = groups[choice.group] || (groups[choice.group] = select.appendChild(el("optgroup", { label: choice.group })));
      }
      parent.appendChild(el("option", { value: choice.id }, [choice.name]));
    });
    select.value = current ? current.id : "";
    select.addEventListener("change", function () {
      var found = choices.filter(function (choice) { return choice.id === select.value; })[0];
      onPick(found ? WS.config.ref(found) : select.value && current ? current : null);
    });
    return select;
  }

  function removeButton(label, onRemove) {
    var button = el("button", { type: "button", "class": "aui-button aui-button-subtle ws-remove",
                                "aria-label": label, title: label, "data-testid": "remove" },
                    [el("span", { "class": "aui-icon aui-icon-small aui-iconfont-delete" }, ["Remove"])]);
    button.addEventListener("click", onRemove);
    return button;
  }

  WS.configControls = { directionToggle: directionToggle, picker: picker, removeButton: removeButton };
})();
