"""Atlassian's own files from the npm package `@forge/manifest`, when the simulator is given them.

The package's licence forbids shipping it, so the simulator never downloads it: a test (or a person) points the
World at an unpacked copy (`AtlassianFiles.from_package(dir)`, or `POST /_sim/forge/manifest-schema`). With it,
install validates the manifest against `out/schema/manifest-schema.json` (the schema's own complaints, by
path) and checks trigger subscriptions against `out/mapping/product-event-to-scope-mapping.json` as
`forge lint` does.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMA = "out/schema/manifest-schema.json"
MAPPING = "out/mapping/product-event-to-scope-mapping.json"


class AtlassianFiles:
    """The manifest schema and the product-event → scope mapping of one `@forge/manifest` version."""

    def __init__(self, schema: dict, mapping: dict, source: str = ""):
        self.source = source
        self.validator = jsonschema.Draft7Validator(schema)
        self.mapping = {e["productEvent"]: e.get("oAuthScopes") or {} for e in mapping.get("mapping") or []}

    @classmethod
    def from_package(cls, package_dir: str | Path) -> AtlassianFiles:
        """Read both files from an unpacked `@forge/manifest` (the directory holding its `package.json`)."""
        root = Path(package_dir)
        version = json.loads((root / "package.json").read_text(encoding="utf-8")).get("version", "?")
        return cls(json.loads((root / SCHEMA).read_text(encoding="utf-8")),
                   json.loads((root / MAPPING).read_text(encoding="utf-8")), f"@forge/manifest@{version}")

    def schema_problems(self, data: dict) -> list[dict]:
        """The schema's complaints about a manifest document: `{"path", "message"}`, in document order."""
        errors = sorted(self.validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
        return [{"path": ".".join(str(p) for p in e.absolute_path), "message": e.message} for e in errors]

    def missing_event_scopes(self, triggers, scopes) -> list[dict]:
        """What `forge lint` reports for trigger events whose scopes the manifest lacks (current or beta set)."""
        problems = []
        for trigger in triggers:
            for event in trigger.events:
                required = self.mapping.get(event) or {}
                for scope in _missing(set(scopes), required):
                    problems.append({"path": "permissions.scopes",
                                     "message": f"Trigger event: '{event}' requires '{scope}' scope"})
        return problems

    def as_dict(self) -> dict:
        """JSON form for the control API."""
        return {"source": self.source, "events": len(self.mapping)}


def _missing(granted: set, required: dict) -> list[str]:
    """The missing `current` scopes, unless the `beta` (or `deprecated`) set is granted in full."""
    current = list(required.get("current") or [])
    missing = [s for s in current if s not in granted]
    if not missing:
        return []
    for alternative in (required.get("beta"), required.get("deprecated")):
        if alternative and all(s in granted for s in alternative):
            return []
    return missing
