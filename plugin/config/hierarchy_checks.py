"""Checks of the `hierarchy` and `worklogs` sections against both sides' metadata. Pure: every problem says what to do.

Issue type levels are mapped per side: a sub-task type (hierarchyLevel -1) only to a sub-task type, and sub-task types
only while hierarchy is on (a sub-task cannot be created without its parent)."""
from __future__ import annotations

from collections.abc import Iterator

from plugin.config.metadata import SideMetadata

SIDES = ("1", "2")
LEVEL_NAMES = {-1: "sub-task", 0: "standard", 1: "epic"}


def _level_name(level: int) -> str:
    return LEVEL_NAMES.get(level, f"level {level}")


def hierarchy_on(document: dict) -> bool:
    """Whether the document carries parents (in any direction)."""
    return (document.get("hierarchy") or {}).get("direction", "none") != "none"


def level(meta: SideMetadata, type_id: str) -> int:
    """The hierarchy level of an issue type of that side (0 when the site does not say)."""
    return meta.levels.get(type_id, 0)


def hierarchy_problems(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    """Issue type rows whose levels do not match, and sub-task types mapped while hierarchy is off."""
    on = hierarchy_on(document)
    for index, row in enumerate(document["issueTypes"]):
        if not all(row[side]["id"] in meta[side].issue_types for side in SIDES):
            continue  # a missing type is reported by the issue type checks
        levels = {side: level(meta[side], row[side]["id"]) for side in SIDES}
        names = {side: row[side].get("name") or meta[side].issue_types[row[side]["id"]] for side in SIDES}
        if (levels["1"] < 0) != (levels["2"] < 0):
            sub, std = ("1", "2") if levels["1"] < 0 else ("2", "1")
            yield {"path": f"/issueTypes/{index}",
                   "message": f"'{names[sub]}' is a sub-task type in {meta[sub].project_key} (side {sub}) and "
                              f"'{names[std]}' a {_level_name(levels[std])} type in {meta[std].project_key} (side "
                              f"{std}): map sub-task types only to sub-task types — pick a sub-task type on side "
                              f"{std}, or remove the row"}
        elif levels["1"] < 0 and not on:
            yield {"path": f"/issueTypes/{index}",
                   "message": f"Sub-tasks ('{names['1']}' ↔ '{names['2']}') need their parent synced first: turn on "
                              "Hierarchy in Configure → Sub-tasks and worklogs, or remove the row"}
        elif on and levels["1"] != levels["2"]:
            yield {"path": f"/issueTypes/{index}",
                   "message": f"'{names['1']}' is a {_level_name(levels['1'])} type in {meta['1'].project_key} and "
                              f"'{names['2']}' a {_level_name(levels['2'])} type in {meta['2'].project_key}: with "
                              "Hierarchy on, map types of the same level, so that a parent on one side can be a "
                              "parent on the other"}


def worklog_problems(document: dict) -> Iterator[dict]:
    """A worklog mode by user mapping needs a mapping that can find people: a copy on a Forge site is then written
    as the mapped person; on a Connect site (Jira logs work only as the caller) by Work Sync's user, naming them."""
    section = document.get("worklogs") or {}
    if section.get("direction", "none") == "none" or section.get("mode", "anonymous") != "user":
        return
    users = document["users"]
    if not users.get("match") and not users.get("pairs"):
        yield {"path": "/worklogs/mode",
               "message": "Worklogs by user need a user mapping that finds people (match by account or e-mail, or "
                          "pairs) in Configure → Users: add one, or log worklogs anonymously. (With one, a copy on "
                          "a Forge site is written as the mapped person; on a Connect site, where Jira logs work "
                          "only as the caller, by Work Sync's user, naming them.)"}
