"""The app system token (`x-forge-oauth-system`): opaque, kept encrypted, never logged nor put in a job payload.

Its expiry is read from its `exp` claim without verifying or trusting anything else in it (Atlassian says
tokens are opaque); a token without one is taken to live 55 minutes from receipt.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

HEADER = "x-forge-oauth-system"
DEFAULT_LIFETIME = timedelta(minutes=55)
MAX_LIFETIME = timedelta(hours=24)  # an `exp` further out than this is not believed either
MAX_TOKEN = 16 * 1024


class Box(Protocol):
    """What encrypts secrets at rest (plugin.connect.secretbox.SecretBox)."""

    def encrypt(self, plaintext: str) -> str: ...

    def decrypt(self, ciphertext: str) -> str: ...


@dataclass(frozen=True)
class SystemToken:
    """A token and when it stops working; its repr never shows the token."""

    value: str = field(repr=False)
    expires_at: datetime

    def expired(self, now: datetime | None = None, margin: timedelta = timedelta(seconds=30)) -> bool:
        """True once fewer than `margin` remain."""
        return (now or datetime.now(UTC)) + margin >= self.expires_at


def received(value: str | None, now: datetime | None = None) -> SystemToken | None:
    """The token of an `x-forge-oauth-system` header with its expiry, or None when absent or unusable."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_TOKEN or not value.isprintable() or " " in value:
        return None
    now = now or datetime.now(UTC)
    return SystemToken(value, expiry(value, now))


def expiry(value: str, now: datetime) -> datetime:
    """`exp` of the token read without verification (bounded by MAX_LIFETIME), else 55 minutes after `now`."""
    parts = value.split(".")
    if len(parts) == 3:
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
            exp = claims.get("exp") if isinstance(claims, dict) else None
            if isinstance(exp, (int, float)) and not isinstance(exp, bool):
                return min(datetime.fromtimestamp(exp, UTC), now + MAX_LIFETIME)
        except (ValueError, OverflowError, OSError):
            pass
    return now + DEFAULT_LIFETIME


def seal(token: SystemToken, box: Box) -> tuple[str, datetime]:
    """What to store: the encrypted token and its expiry."""
    return box.encrypt(token.value), token.expires_at


def unseal(ciphertext: str | None, expires_at: datetime | None, box: Box) -> SystemToken | None:
    """The stored token, or None when none was ever received."""
    if not ciphertext or expires_at is None:
        return None
    if expires_at.tzinfo is None:  # SQLite gives naive datetimes back
        expires_at = expires_at.replace(tzinfo=UTC)
    return SystemToken(box.decrypt(ciphertext), expires_at)
