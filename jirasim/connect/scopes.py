"""Connect scope enforcement: map a REST request to its operation's `x-atlassian-connect-scope` (scope_table.json)."""
from __future__ import annotations

import functools
import re

from jirasim import optable
from jirasim.connect import scope_table

HIERARCHY = ["READ", "WRITE", "DELETE", "PROJECT_ADMIN", "ADMIN"]
SEPARATE = {"ACT_AS_USER", "ACCESS_EMAIL_ADDRESSES"}
APP_ONLY_PREFIX = "/rest/atlassian-connect/1/"


@functools.lru_cache(maxsize=1)
def _routes():
    return optable.compile_routes(scope_table.load())


normalize = optable.normalize


def operation(method: str, path: str) -> tuple[str, str | None] | None:
    """(path template, scope or None) of the operation for `method path`, or None if unknown."""
    return optable.find(_routes(), method, path)


def implied(declared) -> set[str]:
    """Every scope granted by the declared descriptor scopes (ADMIN ⊃ PROJECT_ADMIN ⊃ DELETE ⊃ WRITE ⊃ READ)."""
    granted: set[str] = set()
    for scope in declared or ():
        scope = str(scope).upper().replace("-", "_")
        if scope in HIERARCHY:
            granted.update(HIERARCHY[:HIERARCHY.index(scope) + 1])
        elif scope in SEPARATE:
            granted.add(scope)
    return granted


def check(declared, method: str, path: str, app_key: str | None = None) -> str | None:
    """None when allowed, else a reason why an app with `declared` scopes may not call `method path`."""
    found = operation(method, path)
    norm = normalize(path)
    if found is None:
        return f"No Connect scope is defined for {method.upper()} {norm}"
    template, scope = found
    if scope in (None, "NONE") and norm.startswith(APP_ONLY_PREFIX):
        own = re.match(r"^/rest/atlassian-connect/1/addons/([^/]+)", norm)
        if own and own.group(1) != app_key:
            return "An app may only access its own app properties"
        return None
    if scope in (None, "NONE", "INACCESSIBLE"):
        return f"{method.upper()} {template} is not accessible to Connect apps"
    if scope not in implied(declared):
        return f"The app does not have the required scope '{scope}' for {method.upper()} {template}"
    return None
