"""Self-made Forge keys and FITs for unit tests (the simulator is never imported by plugin tests of the protocol)."""
from __future__ import annotations

import json
import time
import uuid

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

APP_ID = "ari:cloud:ecosystem::app/8db33809-1f32-48bb-8c52-5877dab48107"
OTHER_APP = "ari:cloud:ecosystem::app/11111111-2222-3333-4444-555555555555"
CLOUD_ID = "d0d52620-3203-4cfa-8db5-f2587155f0dd"
INSTALLATION = "ari:cloud:ecosystem::installation/0a3a7799-53ae-4a5b-9e7e-03338980abb5"
API_BASE = f"https://api.atlassian.com/ex/jira/{CLOUD_ID}"


class Key:
    def __init__(self, kid: str | None = None):
        self.kid = kid or f"forge/invocation-token/{uuid.uuid4()}"
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        return {**json.loads(RSAAlgorithm.to_jwk(self.private.public_key())), "kid": self.kid, "alg": "RS256",
                "use": "sig"}


def claims(*, app_id=APP_ID, installation=INSTALLATION, api_base=API_BASE, context=None, principal=None,
           ttl=25, nbf_in=0, **extra) -> dict:
    now = int(time.time())
    body = {"app": {"id": app_id, "installationId": installation, "apiBaseUrl": api_base, "appVersion": "1.0.0",
                    "module": {"type": "core:endpoint", "key": "events"}},
            "aud": app_id, "iss": "forge/invocation-token", "iat": now, "nbf": now + nbf_in, "exp": now + ttl,
            "jti": uuid.uuid4().hex}
    if context is not None:
        body["context"] = context
    if principal is not None:
        body["principal"] = principal
    body.update(extra)
    return body


def mint(key: Key, body: dict, *, headers: dict | None = None) -> str:
    return pyjwt.encode(body, key.private, algorithm="RS256", headers={"kid": key.kid, **(headers or {})})


class FakeJwks:
    """A JWKS endpoint in memory: `get` counts the fetches."""

    def __init__(self, *keys: Key):
        self.keys = list(keys)
        self.fetches = 0

    def get(self, url, timeout):
        self.fetches += 1
        return _Response({"keys": [k.jwk() for k in self.keys]})


class _Response:
    status_code = 200

    def __init__(self, body):
        self._body = body

    def json(self):
        return self._body
