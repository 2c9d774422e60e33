"""The one resolver of the reference data kept in `tests/reference/` (see its README)."""
from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
OPENAPI = "jira-platform-openapi.v3.json"
JWT_VECTORS = "connect-jwt-signed-urls.json"


def path(name: str) -> Path:
    """The path of a reference file inside the repository (its `.gz` form when compressed)."""
    for candidate in (REFERENCE_DIR / name, REFERENCE_DIR / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"reference file {name} is not in {REFERENCE_DIR} (see its README)")


@functools.cache
def load_json(name: str):
    """A reference JSON document, decompressed when stored as `.gz` (cached: treat it as read-only)."""
    found = path(name)
    raw = gzip.decompress(found.read_bytes()) if found.suffix == ".gz" else found.read_bytes()
    return json.loads(raw)


def jira_openapi() -> dict:
    """Atlassian's Jira Cloud platform OpenAPI description (v3)."""
    return load_json(OPENAPI)


def jwt_vectors() -> dict:
    """Atlassian's Connect JWT signed-URL vectors."""
    return load_json(JWT_VECTORS)
