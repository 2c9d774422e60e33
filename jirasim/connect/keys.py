"""The simulator's signed-install key pair and its key server (`GET /_keys/<kid>`)."""
from __future__ import annotations

import threading
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class KeyPair:
    """An RSA key pair identified by a `kid`, as on connect-install-keys.atlassian.com."""

    def __init__(self):
        self.kid = f"jirasim-{uuid.uuid4()}"
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


_lock = threading.Lock()
_keys: KeyPair | None = None


def current() -> KeyPair:
    """The process-wide key pair (created on first use)."""
    global _keys
    with _lock:
        if _keys is None:
            _keys = KeyPair()
        return _keys


def public_pem(kid: str) -> str | None:
    """The PEM public key for `kid`, or None when the kid is unknown."""
    keys = current()
    return keys.public_pem if kid == keys.kid else None
