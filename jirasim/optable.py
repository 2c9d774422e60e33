"""Match a REST request path to the OpenAPI path template of its operation (v2 and `latest` read as v3)."""
from __future__ import annotations

import re

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
