"""The operation → OAuth 2.0 scope table kept in the package, and the script that regenerates it.

    python -m jirasim.forge.scope_table path/to/jira-platform-openapi.v3.json[.gz]

reads Atlassian's OpenAPI description and rewrites `jirasim/forge/scope_table.json`: for each path template,
its methods with the scopes of their `x-atlassian-oauth2-scopes` (`current`: classic, `beta`: granular), or
null when an operation does not accept OAuth 2.0 at all.
"""
from __future__ import annotations

import argparse
import gzip
import json
from importlib import resources
from pathlib import Path

TABLE_FILE = "scope_table.json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


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
    table = {}
    for template, item in openapi["paths"].items():
        operations = {method.upper(): _scopes(operation) for method, operation in item.items() if method in METHODS}
        if operations:
            table[template] = dict(sorted(operations.items()))
    return dict(sorted(table.items()))


def render(table: dict) -> str:
    """The table as committed: one path per line, sorted, so that a new OpenAPI version diffs readably."""
    lines = [f"  {json.dumps(template)}: {json.dumps(operations)}" for template, operations in table.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def packaged_text() -> str:
    """The committed table file, as shipped inside the package."""
    return resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")


def load() -> dict[str, dict[str, dict | None]]:
    """The committed table."""
    return json.loads(packaged_text())


def read_openapi(path: Path) -> dict:
    """An OpenAPI JSON file, gunzipped when it ends in `.gz`."""
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def main(argv: list[str] | None = None) -> None:
    """Regenerate the committed table from an OpenAPI file."""
    parser = argparse.ArgumentParser(prog="python -m jirasim.forge.scope_table", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("openapi", type=Path, help="jira-platform-openapi.v3.json (or .json.gz)")
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name(TABLE_FILE))
    args = parser.parse_args(argv)
    table = build(read_openapi(args.openapi))
    args.output.write_text(render(table), encoding="utf-8")
    print(f"{args.output}: {len(table)} paths, {sum(len(ops) for ops in table.values())} operations")


if __name__ == "__main__":
    main()
