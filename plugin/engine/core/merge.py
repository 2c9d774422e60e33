"""Three-way merge of one link, field by field, against the base snapshot each side had at the last sync. Pure.

A side changed a field when its value differs from its own base. One side changed: its value is written to
the other side (through the rule's translation). Both changed to different values: the conflict policy picks
the winner (the newest change by changelog time, or a master side) and the losing value is recorded. One-way
fields always end equal to their source. Sets merge element by element, so a stale list never overwrites a
fresh one. The values we write become the new base, so our own writes coming back change nothing.
"""
from __future__ import annotations

from typing import Any

from plugin.engine.core.mapping import Rule, flows
from plugin.engine.core.model import UNMAPPED, Conflict, IssueRead, Plan, Problem, other
from plugin.engine.core.values import from_json, read, to_json, write


def _value(rule: Rule, issue: IssueRead) -> Any:
    if rule.key == "status":
        return issue.status_id
    return read(rule.kinds[issue.side], issue.fields.get(rule.ids[issue.side]))


def _base(rule: Rule, base: dict[str, Any], side: int) -> Any:
    stored = base.get(str(side), {})
    if rule.key not in stored:
        return UNMAPPED
    return stored[rule.key] if rule.key == "status" else from_json(rule.kinds[side], stored[rule.key])


def _winner(rule: Rule, issues: dict[int, IssueRead]) -> int:
    if rule.conflict in ("1", "2"):
        return int(rule.conflict)
    times = {side: issues[side].changed_at.get(rule.ids[side]) or issues[side].updated for side in (1, 2)}
    return 1 if (times[1] or "") >= (times[2] or "") else 2


def _set(plan: Plan, rule: Rule, side: int, value: Any) -> None:
    if rule.key == "status":
        plan.writes[side].status = value
    else:
        plan.writes[side].fields[rule.ids[side]] = write(rule.kinds[side], value)


def _record(plan: Plan, rule: Rule, values: dict[int, Any]) -> None:
    for side in (1, 2):
        plan.base[str(side)][rule.key] = to_json(values[side])


def _merge_set(plan: Plan, rule: Rule, now: dict[int, frozenset[str]], base: dict[int, Any]) -> None:
    result = dict(now)
    for source in (1, 2):
        target = other(source)
        if not flows(rule.direction, source):
            continue
        if base[source] is UNMAPPED or base[target] is UNMAPPED:  # first sync of this field: the source leads
            if rule.direction != "both" or source == 1:
                result[target] = rule.translate[source](now[source])
            continue
        added = rule.translate[source](now[source] - base[source])
        removed = rule.translate[source](base[source] - now[source])
        result[target] = (result[target] | added) - removed
        if rule.direction != "both":  # one-way: the target ends equal to its source
            result[target] = rule.translate[source](now[source])
    for side in (1, 2):
        if result[side] != now[side]:
            _set(plan, rule, side, result[side])
    _record(plan, rule, result)


def _merge_scalar(plan: Plan, rule: Rule, issues: dict[int, IssueRead], now: dict[int, Any],
                  base: dict[int, Any]) -> None:
    changed = {side: base[side] is UNMAPPED or now[side] != base[side] for side in (1, 2)}
    sources = [side for side in (1, 2) if flows(rule.direction, side)]
    if len(sources) == 1:
        source = sources[0]
    elif changed[1] and changed[2]:
        source = _winner(rule, issues)
        lost = now[other(source)]
        if rule.translate[source](now[source]) != lost and not (base[1] is UNMAPPED and base[2] is UNMAPPED):
            plan.conflicts.append(Conflict(rule.key, source, to_json(lost), to_json(now[source])))
    elif changed[1] or changed[2]:
        source = 1 if changed[1] else 2
    else:
        _record(plan, rule, now)
        return
    target = other(source)
    wanted = rule.translate[source](now[source])
    result = dict(now)
    if wanted is UNMAPPED:
        what = "status" if rule.key == "status" else f"value of {rule.label}" if rule.label else "value"
        shown = rule.value_name(source, to_json(now[source]))
        plan.problems.append(Problem(rule.key, target, f"The {what} {shown!r} of {rule.side_name(source)} has no "
                                                      f"counterpart on {rule.side_name(target)}: add it to the "
                                                      "mapping"))
    elif wanted != now[target]:
        _set(plan, rule, target, wanted)
        result[target] = wanted
    _record(plan, rule, result)


def merge(rules: list[Rule], issues: dict[int, IssueRead], base: dict[str, Any]) -> Plan:
    """The plan that makes both issues agree on every rule, starting from the stored base snapshot."""
    plan = Plan()
    for rule in rules:
        now = {side: _value(rule, issues[side]) for side in (1, 2)}
        before = {side: _base(rule, base, side) for side in (1, 2)}
        if rule.is_set:
            _merge_set(plan, rule, now, before)
        else:
            _merge_scalar(plan, rule, issues, now, before)
    return plan
