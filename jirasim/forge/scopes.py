"""OAuth 2.0 scope enforcement on the product API: the manifest's scopes against each operation's (scope_table.json)."""
from __future__ import annotations

import functools

from jirasim import optable
from jirasim.forge import scope_table


@functools.lru_cache(maxsize=1)
def _routes():
    return optable.compile_routes(scope_table.load())


def required(method: str, path: str) -> tuple[str, dict | None] | None:
    """(path template, {"current", "beta"} or None) of the operation for `method path`, or None if unknown."""
    return optable.find(_routes(), method, path)


def check(granted, method: str, path: str) -> str | None:
    """None when an app granted `granted` scopes may call `method path`, else why not.

    An operation is allowed when its classic (`current`) scopes are all granted, or its granular (`beta`) ones
    are; one that lists no scope at all needs only a valid token.
    """
    found = required(method, path)
    if found is None:
        return f"No OAuth 2.0 operation is defined for {method.upper()} {optable.normalize(path)}"
    template, scopes = found
    if scopes is None:
        return f"{method.upper()} {template} does not accept OAuth 2.0 tokens"
    granted = set(granted or ())
    current, beta = scopes.get("current") or [], scopes.get("beta") or []
    if not current and not beta:
        return None
    if (current and set(current) <= granted) or (beta and set(beta) <= granted):
        return None
    return f"{method.upper()} {template} needs {' '.join(current) or ' '.join(beta)}"
