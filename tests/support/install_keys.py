"""A real HTTP install-key server (like connect-install-keys.atlassian.com) and RS256 install tokens."""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import jwt
from atlassian_jwt.url_utils import hash_url
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

from jirasim.testing import loopback_server


class KeyServer:
    """Serves PEM public keys by kid over HTTP and signs install tokens with the matching private keys."""

    def __init__(self):
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.kid = self.new_key()
        self.url = ""
        self.requests = 0

    def new_key(self) -> str:
        """Create another key pair; returns its kid."""
        kid = str(uuid.uuid4())
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    def wsgi(self, environ, start_response):
        request = Request(environ)
        self.requests += 1
        key = self.keys.get(request.path.strip("/"))
        if key is None:
            return Response("not found", status=404)(environ, start_response)
        pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return Response(pem, mimetype="application/x-pem-file")(environ, start_response)

    def install_token(self, *, client_key: str, audience: str, method: str = "POST", path: str = "/lifecycle/installed",
                      query: str = "", kid: str | None = None, key: rsa.RSAPrivateKey | None = None,
                      lifetime: int = 180, iat: float | None = None, claims: dict | None = None) -> str:
        """An RS256 lifecycle token as Jira signs it (overrides let tests forge bad ones)."""
        now = int(time.time() if iat is None else iat)
        body = {"iss": client_key, "aud": [audience], "iat": now, "exp": now + lifetime,
                "qsh": hash_url(method, f"{path}?{query}" if query else path), "sub": "jira-connect-lifecycle"}
        body.update(claims or {})
        kid = kid or self.kid
        signing_key = key or self.keys.get(kid) or self.keys[self.kid]
        return jwt.encode(body, signing_key, algorithm="RS256", headers={"kid": kid})


@contextmanager
def running_key_server() -> Iterator[KeyServer]:
    """A KeyServer listening on 127.0.0.1 in a background thread."""
    keys = KeyServer()
    with loopback_server(keys.wsgi) as url:
        keys.url = url
        yield keys
