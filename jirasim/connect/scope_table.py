"""The compact operation → Connect scope table kept in the package, and the script that regenerates it.

    python -m jirasim.connect.scope_table path/to/jira-platform-openapi.v3.json[.gz]

reads Atlassian's OpenAPI description and rewrites `jirasim/connect/scope_table.json`: for each path
template, its methods with their `x-atlassian-connect-scope` (null when an operation has none).
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from jirasim import optable

TABLE_FILE = "scope_table.json"


def _scope(operation: dict) -> str | None:
    return operation.get("x-atlassian-connect-scope")


def build(openapi: dict) -> dict[str, dict[str, str | None]]:
    """{path template: {METHOD: scope or None}} for every operation of an OpenAPI description."""
    return optable.build_table(openapi, _scope)


def packaged_text() -> str:
    """The committed table file, as shipped inside the package."""
    return resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")


def load() -> dict:
    """The committed table."""
    return json.loads(packaged_text())


def main(argv: list[str] | None = None) -> None:
    """Regenerate the committed table from an OpenAPI file."""
    optable.regenerate(argv, prog="python -m jirasim.connect.scope_table", doc=__doc__, value_of=_scope,
                       default_output=Path(__file__).with_name(TABLE_FILE))


if __name__ == "__main__":
    main()
