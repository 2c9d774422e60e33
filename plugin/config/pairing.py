"""The `pairing` section of a configuration: what is wrong with it, each problem with its JSON path (and, for
uploaded pairs, the line). Pure; the engine also checks uploads against Jira (keys that exist) with `pair_problems`."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plugin.config.metadata import SideMetadata

TEXT_KINDS = ("text", "doc")


def pair_problems(pairs: list, projects: dict[int, str], known: dict[int, set[str]] | None = None
                  ) -> list[dict[str, Any]]:
    """What is wrong with uploaded pairs, each with its line number (1 = the first pair): a key of another project,
    a key paired twice, and (when `known` holds each side's existing keys) a key no issue has."""
    problems: list[dict[str, Any]] = []
    seen: dict[int, dict[str, int]] = {1: {}, 2: {}}
    for line, pair in enumerate(pairs, start=1):
        for side, key in zip((1, 2), pair, strict=True):
            if key.rsplit("-", 1)[0] != projects[side]:
                problems.append({"line": line, "side": side, "key": key,
                                 "message": f"line {line}: {key} is not an issue of {projects[side]} (side {side})"})
            elif known is not None and key not in known[side]:
                problems.append({"line": line, "side": side, "key": key,
                                 "message": f"line {line}: {key} does not exist in {projects[side]} (or is no "
                                            "existing issue of a synced type that Work Sync can see)"})
            elif key in seen[side]:
                problems.append({"line": line, "side": side, "key": key,
                                 "message": f"line {line}: {key} is paired twice (lines {seen[side][key]} and "
                                            f"{line})"})
            else:
                seen[side][key] = line
    return problems


def problems(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    """The section's problems against both sides' metadata."""
    section = document.get("pairing") or {}
    by = section.get("by", "none")
    if by == "none":
        return
    if document.get("existingIssues") != "sync":
        yield {"path": "/pairing/by", "message": "Pairing is part of syncing existing issues: set existingIssues to "
                                                 "sync, or pairing to none"}
    if by == "key-field":
        chosen = section.get("field") or {}
        if not chosen:
            yield {"path": "/pairing/field", "message": "Pick the field (on either side) that holds the other side's "
                                                        "issue key"}
        for side, ref in sorted(chosen.items()):
            found = meta[side].fields.get(ref["id"])
            if found is None:
                yield {"path": f"/pairing/field/{side}",
                       "message": f"Field '{ref.get('name') or ref['id']}' does not exist in {meta[side].project_key} "
                                  f"on side {side}: pick another one"}
            elif found.kind not in TEXT_KINDS:
                yield {"path": f"/pairing/field/{side}",
                       "message": f"'{found.name}' cannot hold an issue key: pick a text field"}
    if by == "csv":
        pairs = section.get("pairs") or []
        if not pairs:
            yield {"path": "/pairing/pairs", "message": "Upload the CSV of key pairs (side 1's key, side 2's key)"}
        projects = {int(side): meta[side].project_key for side in ("1", "2")}
        for problem in pair_problems(pairs, projects):
            yield {"path": f"/pairing/pairs/{problem['line'] - 1}/{problem['side'] - 1}", "message": problem["message"]}
