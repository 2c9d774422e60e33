"""Screens: which fields a create, edit or transition may set in a project (Jira answers 400 for any other)."""
from __future__ import annotations

from jirasim.store.values import READ_ONLY, cannot_set

SCREENS = ("create", "edit")
# Jira's default "resolve" screen: transitions into a done status show it, the others have no screen.
RESOLVE_SCREEN = ("assignee", "fixVersions")


def settable(site) -> list[str]:
    """Every field a default screen shows: the site's fields less the read-only ones, in the site's order."""
    return [fid for fid, f in site.fields.items() if fid not in READ_ONLY and f.orderable]


def screen_fields(site, project, screen: str) -> list[str]:
    """The field ids on a project's create or edit screen."""
    hidden = project.screens.create_hidden if screen == "create" else project.screens.edit_hidden
    excluded = hidden | ({"project"} if screen == "edit" else set())
    return [fid for fid in settable(site) if fid not in excluded]


def transition_fields(site, project, transition) -> list[str] | None:
    """The field ids on a transition's screen, or None when the transition has no screen."""
    if transition.id in project.screens.transitions:
        chosen = project.screens.transitions[transition.id]
        return None if chosen is None else [f for f in settable(site) if f in chosen]
    if site.statuses[transition.to_id].category.key == "done":
        return [f for f in RESOLVE_SCREEN if f in site.fields]
    return None


def remove_field(project, screen: str, field_id: str) -> None:
    """Take a field off a project's create or edit screen (as an admin editing the screen would)."""
    if screen not in SCREENS:
        raise ValueError(f"unknown screen {screen!r}")
    (project.screens.create_hidden if screen == "create" else project.screens.edit_hidden).add(field_id)


def set_transition_screen(project, transition_id: str, field_ids) -> None:
    """Give a transition a screen with these fields (None: no screen)."""
    project.screens.transitions[str(transition_id)] = None if field_ids is None else set(field_ids)


def off_screen(requested, allowed) -> dict:
    """Jira's field errors for every requested field id not on the screen (`allowed` None: no screen)."""
    allowed = set(allowed or ())
    return {fid: cannot_set(fid) for fid in requested if fid not in allowed}
