"""Canonical request and query string hash (qsh) of Atlassian Connect JWTs; pure, no Flask."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote, urlsplit

CONTEXT_QSH = "context-qsh"


def _encode(value: str) -> str:
    # RFC 3986: unreserved characters stay, everything else (space, '*', '+') is %XX.
    return quote(value, safe="-_.~")


def canonical_path(path: str, base_path: str = "") -> str:
    """The request path relative to the app's (or site's) base path, as Connect canonicalises it."""
    base = base_path.rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):]
    if not path:
        path = "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path.replace("&", "%26")


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Sorted, percent-encoded query without the jwt parameter; repeated keys joined by commas."""
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        if key != "jwt":
            grouped.setdefault(key, []).append(value)
    # Keys and values are sorted before encoding, as Atlassian's reference implementation does.
    return "&".join(
        f"{_encode(key)}={','.join(_encode(v) for v in sorted(values))}" for key, values in sorted(grouped.items())
    )


def canonical_request(method: str, path: str, query: str | Mapping[str, str] | Iterable[tuple[str, str]] = "",
                      base_path: str = "") -> str:
    """`METHOD&path&query` as Connect defines it; `query` is a raw query string or pairs."""
    if isinstance(query, str):
        pairs = parse_qsl(query, keep_blank_values=True)
    elif isinstance(query, Mapping):
        pairs = list(query.items())
    else:
        pairs = list(query)
    return f"{method.upper()}&{canonical_path(path, base_path)}&{canonical_query(pairs)}"


def qsh(method: str, path: str, query: str | Mapping[str, str] | Iterable[tuple[str, str]] = "",
        base_path: str = "") -> str:
    """SHA-256 hex digest of the canonical request."""
    return hashlib.sha256(canonical_request(method, path, query, base_path).encode("utf-8")).hexdigest()


def qsh_for_url(method: str, url: str, base_url: str = "") -> str:
    """qsh of a full URL, relative to `base_url`'s path."""
    parts = urlsplit(url)
    return qsh(method, parts.path, parts.query, urlsplit(base_url).path if base_url else "")
