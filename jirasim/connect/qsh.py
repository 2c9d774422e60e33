"""Connect query string hash (qsh): canonical request string and its SHA-256, as Jira computes it."""
from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, urlsplit

CONTEXT_QSH = "context-qsh"


def _encode(value: str) -> str:
    """RFC 3986 percent-encoding: only unreserved characters stay literal."""
    return quote(value, safe="-._~")


def canonical_path(path: str, base_path: str = "") -> str:
    """The path relative to `base_path`, '&' escaped, no trailing slash, '/' when empty."""
    base = (base_path or "").rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):]
    path = path.rstrip("/")
    if not path.startswith("/"):
        path = "/" + path
    return path.replace("&", "%26")


def canonical_query(params) -> str:
    """Sorted, encoded `key=v1,v2` pairs joined by '&'; the `jwt` parameter is left out."""
    grouped: dict[str, list[str]] = {}
    items = params.items() if isinstance(params, dict) else params
    for key, value in items:
        if key == "jwt":
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        grouped.setdefault(_encode(key), []).extend(str(v) for v in values)
    return "&".join(f"{k}={','.join(_encode(v) for v in sorted(vs))}" for k, vs in sorted(grouped.items()))


def canonical_request(method: str, path: str, params=(), base_path: str = "") -> str:
    """`METHOD&path&query` as defined by the Connect JWT specification."""
    return f"{method.upper()}&{canonical_path(path, base_path)}&{canonical_query(params)}"


def qsh(method: str, path: str, params=(), base_path: str = "") -> str:
    """Hex SHA-256 of the canonical request."""
    return hashlib.sha256(canonical_request(method, path, params, base_path).encode()).hexdigest()


def split_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """Path and decoded query pairs of a URL (blank values kept)."""
    parts = urlsplit(url)
    return parts.path, parse_qsl(parts.query, keep_blank_values=True)


def canonical_url(method: str, url: str, base_path: str = "") -> str:
    """Canonical request for a full URL."""
    path, params = split_url(url)
    return canonical_request(method, path, params, base_path)


def url_qsh(method: str, url: str, base_path: str = "") -> str:
    """qsh for a full URL relative to `base_path`."""
    path, params = split_url(url)
    return qsh(method, path, params, base_path)
