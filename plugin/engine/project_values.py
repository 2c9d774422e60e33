"""Components and versions a write names: followed to their partner on the target side, created there when the
mapping row says "create missing", and their names, descriptions and (versions) dates and released/archived flags
kept equal when it says "keep names and descriptions in sync" and the source side's values win.

A value and its partner are paired (`value_links`) when first matched by name or created, and followed by id from
then on: a value renamed on one side is renamed on the other, never created there a second time. A write is decided
from both sides' cached metadata (no read per change); a pass that writes no such field compares the values its
issue carries as just read (`follow`). What is created or changed is put into the cached metadata at once, so the
next change names it without asking Jira again.
"""
from __future__ import annotations

from typing import Any

from plugin.config.metadata import SideMetadata
from plugin.engine import value_links, where
from plugin.engine.core.model import IssueRead, other
from plugin.engine.core.value_details import KEPT, changes
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


def _items(meta: SideMetadata, kind: str) -> dict[str, str]:
    return meta.components if kind == "components" else meta.versions


def _value(meta: SideMetadata, kind: str, key: str) -> dict:
    """A component or version as the cached metadata knows it: name, description, and a version's dates and flags."""
    found = {"name": _items(meta, kind).get(key), "description": meta.descriptions.get(kind, {}).get(key, "")}
    return {**found, **meta.version_details.get(key, {})} if kind == "versions" else found


def _reread(run: SyncPass, side: int, kind: str, issue_key: str | None) -> None:
    """Read one side's components or versions anew into its cached metadata (one call for the whole write)."""
    meta, jira = run.compiled.meta[side], run.jira(side)
    with where.at(side, f"reading the {kind} of {meta.project_key}", None, issue_key):
        meta.replace(kind, jira.project_versions(meta.project_id) if kind == "versions"
                     else jira.project_components(meta.project_id))


def prepare(run: SyncPass, side: int, fields: dict[str, Any], issue_key: str | None = None) -> None:
    """Before `fields` are written to `side`: name each paired component and version by its partner's id (renaming
    and updating the partner first where the row keeps details and the source wins), add those `side` lacks (rows
    with createMissing), and pair what is matched or added. A refusal is an open error row of the issue, and the
    write goes on (Jira then names what is still missing)."""
    source = other(side)
    source_meta, target_meta = run.compiled.meta[source], run.compiled.meta[side]
    for row, kind in _rows(run, side):
        fid = row[str(side)]["id"]
        if not fields.get(fid):
            continue
        names = [item["name"] for item in fields[fid] if isinstance(item, dict) and item.get("name")]
        source_field = source_meta.fields.get(row[str(source)]["id"])
        same_kind = source_field is not None and source_field.kind == kind  # else its names are no values there
        # The cache is minutes old: a name it does not know is most likely a value renamed on the source since,
        # which must be followed to its partner and not created there. One read answers every name of this write.
        if same_kind and any(name.lower() not in source_meta.named(kind) for name in names):
            _reread(run, source, kind, issue_key)
        paired = value_links.pairs(run.session, run.sync.id, kind)
        theirs = source_meta.named(kind) if same_kind else {}
        partners = [paired[source].get(theirs.get(name.lower(), "")) for name in names]
        if any(p is not None and p not in _items(target_meta, kind) for p in partners):
            _reread(run, side, kind, issue_key)  # a partner another process added, or one deleted in Jira
        written = {name: _one(run, row, kind, side, name, theirs.get(name.lower()), paired, issue_key)
                   for name in names}
        fields[fid] = [written.get(item.get("name"), item) if isinstance(item, dict) else item
                       for item in fields[fid]]


def _one(run: SyncPass, row: dict, kind: str, side: int, name: str, source_id: str | None,
         paired: dict[int, dict[str, str]], issue_key: str | None) -> dict:
    """How the write names one value on `side` (its partner's id, or its name), after creating or updating it."""
    source = other(side)
    source_meta, target_meta = run.compiled.meta[source], run.compiled.meta[side]
    partner = paired[source].get(source_id) if source_id else None
    if partner is not None and partner not in _items(target_meta, kind):  # deleted on `side`: matched anew by name
        value_links.unpair(run.session, run.sync.id, kind, side, partner)
        paired[side].pop(partner, None)
        partner = None
    existing = partner or target_meta.named(kind).get(name.lower())
    keeps = bool(row.get("syncDetails")) and _wins(row, source) and source_id is not None
    try:
        if existing is None and row.get("createMissing"):
            like = _value(source_meta, kind, source_id) if source_id else {}
            with where.at(side, f"adding the {SINGULAR[kind]} {name} to {target_meta.project_key}", None, issue_key):
                created = _create(run, side, kind, name, like, keeps)
            target_meta.remember(kind, created)
            existing = str(created["id"])
        if partner is None and existing is not None and source_id is not None:
            if existing in paired[side]:  # matched by name, but paired with another value: leave it as it is
                keeps = False
            else:
                value_links.record(run.session, run.sync.id, kind, {source: source_id, side: existing})
                paired[source][source_id], paired[side][existing] = existing, source_id
        if existing is not None and source_id is not None and keeps:
            body = changes(kind, _value(source_meta, kind, source_id), _value(target_meta, kind, existing))
            if body:
                _apply(run, kind, side, existing, body, issue_key)
    except WorkSyncError as exc:
        _refused(run, row, kind, side, name, exc, issue_key)
    return {"id": partner} if partner is not None else {"name": name}


def follow(run: SyncPass, issues: dict[int, IssueRead], written: dict[int, dict[str, Any]]) -> None:
    """The paired components and versions a linked pair carries in fields this pass does not write: where the row
    keeps details and the issue's side wins, each partner is made equal to the value as that issue gives it.

    A value renamed, dated or released in Jira changes no issue; this is where the change follows, from the issue
    just read (fresh, unlike the cached metadata), with no read of its own and one query for the pairs."""
    for side in (1, 2):
        source = other(side)
        target_meta = run.compiled.meta[side]
        for row, kind in _rows(run, side):
            if not row.get("syncDetails") or not _wins(row, source) or row[str(side)]["id"] in written.get(side, {}):
                continue
            carried = [item for item in issues[source].fields.get(row[str(source)]["id"]) or []
                       if isinstance(item, dict) and item.get("id") and item.get("name")]
            paired = value_links.pairs(run.session, run.sync.id, kind)[source] if carried else {}
            for item in carried:
                partner = paired.get(str(item["id"]))
                if partner is None or partner not in _items(target_meta, kind):
                    continue
                body = changes(kind, item, _value(target_meta, kind, partner))
                if body:
                    try:
                        _apply(run, kind, side, partner, body, issues[side].key)
                    except WorkSyncError as exc:
                        _refused(run, row, kind, side, item["name"], exc, issues[side].key)


def _apply(run: SyncPass, kind: str, side: int, item_id: str, body: dict, issue_key: str | None) -> None:
    """Change a value of `side` by `body` (a PUT) and take the answer into the cached metadata."""
    meta, theirs = run.compiled.meta[side], run.compiled.meta[other(side)]
    with where.at(side, f"making the {SINGULAR[kind]} {_items(meta, kind).get(item_id)} of {meta.project_key} as "
                        f"in {theirs.project_key} ({', '.join(sorted(body))})", None, issue_key):
        meta.remember(kind, _update(run, side, kind, item_id, body))


def _refused(run: SyncPass, row: dict, kind: str, side: int, name: str, exc: WorkSyncError,
             issue_key: str | None) -> None:
    run.problem(category="configuration", side=side, issue_key=issue_key, field=row[str(side)]["id"], permanent=True,
                message=f"The {SINGULAR[kind]} {name} could not be added to or changed in "
                        f"{run.compiled.meta[side].project_key}: {exc}. Grant the app Administer Projects there, or "
                        "add or change it by hand")


def _create(run: SyncPass, side: int, kind: str, name: str, like: dict, keeps: bool) -> dict:
    """The value added to `side` with the source's description (and, when details are kept, a version's dates and
    flags in the same call)."""
    meta, jira = run.compiled.meta[side], run.jira(side)
    if kind == "versions":
        details = {key: like[key] for key in KEPT["versions"] if key != "description" and keeps and like.get(key)}
        return jira.create_version(meta.project_id, name, like.get("description") or "", details)
    return jira.create_component(meta.project_key, name, like.get("description") or "")


def _update(run: SyncPass, side: int, kind: str, item_id: str, changes: dict) -> dict:
    jira = run.jira(side)
    return jira.update_version(item_id, changes) if kind == "versions" else jira.update_component(item_id, changes)
