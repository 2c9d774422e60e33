"""The operation → OAuth 2.0 scope table kept in the package, and the script that regenerates it.

    python -m jirasim.forge.scope_table path/to/jira-platform-openapi.v3.json[.gz]

reads Atlassian's OpenAPI description and rewrites `jirasim/forge/scope_table.json`: for each path template,
its methods with the scopes of their `x-atlassian-oauth2-scopes` (`current`: classic, `beta`: granular), or
null when an operation does not accept OAuth 2.0 at all.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from jirasim import optable

TABLE_FILE = "scope_table.json"


def _scopes(operation: dict) -> dict | None:
    """{"current": [...], "beta": [...]} of an operation, or None when its security has no OAuth2."""
    if not any("OAuth2" in entry for entry in operation.get("security") or []):
        return None
    found = {"current": [], "beta": []}
    for entry in operation.get("x-atlassian-oauth2-scopes") or []:
        state = "beta" if str(entry.get("state")).lower() == "beta" else "current"
        found[state] = sorted(entry.get("scopes") or [])
    return found


def build(openapi: dict) -> dict[str, dict[str, dict | None]]:
    """{path template: {METHOD: scopes or None}} for every operation of an OpenAPI description."""
    return optable.build_table(openapi, _scopes)


def packaged_text() -> str:
    """The committed table file, as shipped inside the package."""
    return resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")


def load() -> dict:
    """The committed table."""
    return json.loads(packaged_text())


def main(argv: list[str] | None = None) -> None:
    """Regenerate the committed table from an OpenAPI file."""
    optable.regenerate(argv, prog="python -m jirasim.forge.scope_table", doc=__doc__, value_of=_scopes,
                       default_output=Path(__file__).with_name(TABLE_FILE))


if __name__ == "__main__":
    main()
