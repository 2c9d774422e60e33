"""Match a REST request path to the OpenAPI path template of its operation (v2 and `latest` read as v3), and build
the committed operation tables (one per kind of scope) from Atlassian's OpenAPI description."""
from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

_VARIABLE = re.compile(r"\\\{[^/]+?\\\}")


def normalize(path: str) -> str:
    """v2 and `latest` REST paths map onto the v3 operation; trailing slash dropped."""
    path = re.sub(r"^/rest/api/(2|latest)/", "/rest/api/3/", path)
    return path.rstrip("/") or "/"


def compile_routes(table: dict[str, dict]) -> list[tuple[re.Pattern, str, dict]]:
    """(pattern, template, methods) per path template, the most literal templates first."""
    routes = []
    for template, methods in table.items():
        pattern = re.compile("^" + _VARIABLE.sub("[^/]+", re.escape(template)) + "$")
        literal = len([s for s in template.split("/") if s and not s.startswith("{")])
        routes.append((literal, pattern, template, methods))
    routes.sort(key=lambda r: (-r[0], r[2]))
    return [(p, t, m) for _, p, t, m in routes]


def find(routes, method: str, path: str) -> tuple[str, object] | None:
    """(path template, the table's value for the method) of the operation for `method path`, or None."""
    path, method = normalize(path), method.upper()
    for pattern, template, methods in routes:
        if pattern.match(path) and method in methods:
            return template, methods[method]
    return None


# --- the committed operation tables (Connect scopes, OAuth 2.0 scopes), generated from Atlassian's OpenAPI ---

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def build_table(openapi: dict, value_of) -> dict[str, dict]:
    """{path template: {METHOD: value_of(operation)}} for every operation of an OpenAPI description, sorted."""
    table = {}
    for template, item in openapi["paths"].items():
        operations = {method.upper(): value_of(operation) for method, operation in item.items() if method in METHODS}
        if operations:
            table[template] = dict(sorted(operations.items()))
    return dict(sorted(table.items()))


def render_table(table: dict) -> str:
    """A table as committed: one path per line, sorted, so that a new OpenAPI version diffs readably."""
    lines = [f"  {json.dumps(template)}: {json.dumps(operations)}" for template, operations in table.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def read_openapi(path: Path) -> dict:
    """An OpenAPI JSON file, gunzipped when it ends in `.gz`."""
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def regenerate(argv: list[str] | None, *, prog: str, doc: str | None, value_of, default_output: Path) -> None:
    """The command line of a table module: read an OpenAPI file, rewrite the committed table."""
    parser = argparse.ArgumentParser(prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("openapi", type=Path, help="jira-platform-openapi.v3.json (or .json.gz)")
    parser.add_argument("--output", type=Path, default=default_output)
    args = parser.parse_args(argv)
    table = build_table(read_openapi(args.openapi), value_of)
    args.output.write_text(render_table(table), encoding="utf-8")
    print(f"{args.output}: {len(table)} paths, {sum(len(ops) for ops in table.values())} operations")
