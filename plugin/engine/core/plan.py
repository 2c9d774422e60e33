"""Plans: what creating the partner of a new issue would write, and what syncing a linked pair would write. Pure."""
from __future__ import annotations

from typing import Any

from plugin.engine.core.mapping import Rule, flows
from plugin.engine.core.merge import merge
from plugin.engine.core.model import UNMAPPED, IssueRead, Plan, Problem, other
from plugin.engine.core.values import read, to_json, write


def for_new_issue(rules: list[Rule], status: Rule | None, types: dict[str, str], source: IssueRead,
                  target_project: str) -> Plan:
    """The partner issue to create on the other side of `source` (nothing when its type is not mapped that way)."""
    plan = Plan()
    target = other(source.side)
    type_id = types.get(source.type_id)
    if type_id is None:
        return plan
    fields = {"project": {"id": target_project}, "issuetype": {"id": type_id}}
    for rule in rules:
        if not flows(rule.direction, source.side):
            continue
        raw = read(rule.kinds[source.side], source.fields.get(rule.ids[source.side]))
        value = rule.translate[source.side](raw)
        if value is UNMAPPED:
            shown = rule.value_name(source.side, raw) if isinstance(raw, str) else None
            plan.problems.append(Problem(rule.key, target, f"The value {'' if shown is None else repr(shown) + ' '}"
                                                          f"of {rule.label or rule.ids[source.side]} on "
                                                          f"{rule.side_name(source.side)} has no counterpart on "
                                                          f"{rule.side_name(target)}: add it to the mapping",
                                         permanent=False))
            continue
        if value not in (None, frozenset()):
            fields[rule.ids[target]] = write(rule.kinds[target], value)
    wanted_status = status.translate[source.side](source.status_id) if status is not None else UNMAPPED
    plan.create = {"side": target, "fields": fields, "status": None if wanted_status is UNMAPPED else wanted_status}
    return plan


def base_after_create(rules: list[Rule], status: Rule | None, source: IssueRead, created: IssueRead,
                      apps: dict[int, str | None] | None = None, since: str = "") -> dict[str, Any]:
    """The base snapshot of a pair we just created: each side's values as read, except where someone other than
    Work Sync (`apps`: its account per side) changed a field meanwhile — a window a crash makes long:
    - on the new issue, after our create: there the base is what the create wrote;
    - on the source, after the create was planned (`since`, when its intent was stored; a create resumed after a
      crash reads the source anew): there the base is the new issue's value in the source's terms.
    Either way the next merge sees their change and carries it across, instead of storing two different values as
    agreed."""
    apps = apps or {}
    base: dict[str, dict[str, Any]] = {"1": {}, "2": {}}
    edited = {change.field for change in created.changes if change.author != apps.get(created.side)}
    moved = {change.field for change in source.changes
             if since and change.when > since and change.author != apps.get(source.side)}
    for issue in (source, created):
        for rule in rules:
            base[str(issue.side)][rule.key] = to_json(read(rule.kinds[issue.side],
                                                           issue.fields.get(rule.ids[issue.side])))
        if status is not None:
            base[str(issue.side)]["status"] = issue.status_id
    for rule in rules:
        if not flows(rule.direction, source.side):
            continue  # the create wrote nothing of it: as read is right
        if rule.ids[created.side] in edited:
            wrote = rule.translate[source.side](read(rule.kinds[source.side], source.fields.get(rule.ids[source.side])))
            if wrote is not UNMAPPED:
                base[str(created.side)][rule.key] = to_json(wrote)
        elif rule.ids[source.side] in moved:
            back = rule.translate[created.side](read(rule.kinds[created.side],
                                                     created.fields.get(rule.ids[created.side])))
            if back is UNMAPPED:
                del base[str(source.side)][rule.key]  # no earlier value to name: the merge takes it as changed
            else:
                base[str(source.side)][rule.key] = to_json(back)
    return base


def for_link(rules: list[Rule], status: Rule | None, issues: dict[int, IssueRead], base: dict[str, Any]) -> Plan:
    """The writes that make a linked pair agree again, and the new base snapshot."""
    return merge(rules + ([status] if status is not None else []), issues, base)
