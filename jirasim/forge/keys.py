"""The Forge invocation-token key pair and its JWKS (served at `{sim}/_forge/.well-known/jwks.json`)."""
from __future__ import annotations

import json
import threading
import uuid

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class SigningKey:
    """An RSA key identified by a `kid`, as in Forge's JWKS."""

    def __init__(self):
        self.kid = f"forge/invocation-token/{uuid.uuid4()}"
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        """The public key as a JWK with `kid`, `alg` and `use`."""
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


_lock = threading.Lock()
_key: SigningKey | None = None


def current() -> SigningKey:
    """The process-wide invocation-token key (created on first use)."""
    global _key
    with _lock:
        if _key is None:
            _key = SigningKey()
        return _key


def jwks() -> dict:
    """The JWKS document: `{"keys": [jwk]}`."""
    return {"keys": [current().jwk()]}
