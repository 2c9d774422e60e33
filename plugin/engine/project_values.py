"""Components and versions a write names that the target project lacks: created there when the mapping row says
"create missing", and their descriptions kept equal when it says "keep names and descriptions in sync".

Everything is decided from both sides' cached metadata (no read per change); what this pass creates or changes is
put into that cached metadata at once, so the next change names it without asking Jira again.
"""
from __future__ import annotations

from typing import Any

from plugin.engine import where
from plugin.engine.core.model import other
from plugin.engine.passes import SyncPass
from plugin.errors import WorkSyncError

KINDS = ("components", "versions")
SINGULAR = {"components": "component", "versions": "version"}


def _rows(run: SyncPass, side: int) -> list[tuple[dict, str]]:
    """The component and version rows writing into `side` that ask for anything, with the target field's kind."""
    meta = run.compiled.meta[side]
    found = []
    for row in run.compiled.document["fields"]:
        if not (row.get("createMissing") or row.get("syncDetails")):
            continue
        field = meta.fields.get(row[str(side)]["id"])
        if field is not None and field.kind in KINDS:
            found.append((row, field.kind))
    return found


def _wins(row: dict, source: int) -> bool:
    """Whether `source`'s names and descriptions are the ones kept (one-way into the other side, or its master)."""
    if row["direction"] == "both":
        return row.get("conflict") == str(source)
    return row["direction"] == f"{source}→{other(source)}"


def prepare(run: SyncPass, side: int, fields: dict[str, Any], issue_key: str | None = None) -> None:
    """Before `fields` are written to `side`: add the components and versions they name that `side` lacks (rows with
    createMissing), and bring descriptions into line (rows with syncDetails). A refusal is an open error row of the
    issue, and the write goes on (Jira then names what is still missing)."""
    source = other(side)
    target_meta, source_meta = run.compiled.meta[side], run.compiled.meta[source]
    for row, kind in _rows(run, side):
        fid = row[str(side)]["id"]
        if fid not in fields:
            continue
        names = [item["name"] for item in fields[fid] or [] if isinstance(item, dict) and item.get("name")]
        theirs = source_meta.named(kind)
        for name in names:
            description = source_meta.descriptions.get(kind, {}).get(theirs.get(name.lower(), ""), "")
            existing = target_meta.named(kind).get(name.lower())
            try:
                if existing is None and row.get("createMissing"):
                    with where.at(side, f"adding the {SINGULAR[kind]} {name} to {target_meta.project_key}",
                                  None, issue_key):
                        created = _create(run, side, kind, name, description)
                    target_meta.remember(kind, created)
                elif existing is not None and row.get("syncDetails") and _wins(row, source) and \
                        name.lower() in theirs and \
                        target_meta.descriptions.get(kind, {}).get(existing, "") != description:
                    with where.at(side, f"describing the {SINGULAR[kind]} {name} of {target_meta.project_key} as in "
                                        f"{source_meta.project_key}", None, issue_key):
                        changed = _update(run, side, kind, existing, {"description": description})
                    target_meta.remember(kind, changed)
            except WorkSyncError as exc:
                run.problem(category="configuration", side=side, issue_key=issue_key, field=fid, permanent=True,
                            message=f"The {SINGULAR[kind]} {name} could not be added to or changed in "
                                    f"{target_meta.project_key}: {exc}. Grant the app Administer Projects there, or "
                                    "add it by hand")


def _create(run: SyncPass, side: int, kind: str, name: str, description: str) -> dict:
    meta, jira = run.compiled.meta[side], run.jira(side)
    if kind == "versions":
        return jira.create_version(meta.project_id, name, description)
    return jira.create_component(meta.project_key, name, description)


def _update(run: SyncPass, side: int, kind: str, item_id: str, changes: dict) -> dict:
    jira = run.jira(side)
    return jira.update_version(item_id, changes) if kind == "versions" else jira.update_component(item_id, changes)
