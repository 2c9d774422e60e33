"""Mask credentials in text before it is logged or shown: JWTs, secret query parameters, URL passwords."""
from __future__ import annotations

import re

MASK = "***"
# Query parameters whose values are credentials (Connect puts the page JWT in `jwt`; libpq and redis-py
# accept `password`).
_SECRET_PARAMETER = re.compile(
    r"(?i)(?<![A-Za-z0-9_.-])((?:jwt|password|passwd|pwd|secret|token|access_token|api_token|sharedSecret)=)"
    r"[^&\s\"'#;]*")
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@/\s]*(@)")
_JWT_SHAPE = re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def redact(text: str) -> str:
    """`text` with every JWT, secret query parameter value and URL password replaced by ***."""
    text = _SECRET_PARAMETER.sub(rf"\g<1>{MASK}", text)
    text = _URL_PASSWORD.sub(rf"\g<1>{MASK}\g<2>", text)
    return _JWT_SHAPE.sub(MASK, text)
