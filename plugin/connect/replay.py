"""Memory of accepted install tokens: the signed-install qsh covers the method and path, not the body, so a
token must never be accepted twice."""
from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.models import SeenInstallToken, utcnow


def _segment_bytes(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def canonical_digest(token: str) -> str:
    """SHA-256 of what a token means, not of its text: header and payload segments (which the signature covers)
    and the signature's decoded bytes, so that `==` padding or other spellings of one signature are one token."""
    header, payload, signature = (token.split(".") + ["", ""])[:3]
    try:
        signature_bytes = _segment_bytes(signature.rstrip("="))
    except (ValueError, TypeError):
        signature_bytes = signature.encode("utf-8")
    return hashlib.sha256(b".".join([header.encode("utf-8"), payload.encode("utf-8"), signature_bytes])).hexdigest()


def remember_install_token(session: Session, token: str, claims: dict, *, leeway: int,
                           now: datetime | None = None) -> bool:
    """Record an accepted install token until it can no longer be accepted; False if it was seen before.

    Call it first in the transaction that acts on the token: a copy that races in rolls the session back.
    """
    current = now or utcnow()
    session.execute(delete(SeenInstallToken).where(SeenInstallToken.expires_at < current))
    digest = canonical_digest(token)
    if session.get(SeenInstallToken, digest) is not None:
        return False
    expires = datetime.fromtimestamp(claims["exp"] + leeway, UTC)
    session.add(SeenInstallToken(token_sha256=digest, expires_at=expires))
    try:
        session.flush()
    except IntegrityError:  # the same token, accepted by another process a moment ago
        session.rollback()
        return False
    return True
