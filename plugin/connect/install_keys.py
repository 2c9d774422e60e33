"""Public keys of Atlassian's signed-install key server, fetched by kid and cached."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

import requests
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from plugin.errors import AuthError, TransientError

_KID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class InstallKeys:
    """Fetches `{base_url}/{kid}` (a PEM public key) and keeps it for `ttl` seconds."""

    def __init__(self, base_url: str, *, ttl: float = 3600, timeout: float = 5,
                 get: Callable[..., requests.Response] | None = None):
        self.base_url = base_url.rstrip("/")
        self.ttl = ttl
        self.timeout = timeout
        self._get = get or requests.get
        self._cache: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def public_key(self, kid: str):
        """The RSA public key for `kid`; AuthError if the key server does not know it."""
        if not isinstance(kid, str) or not _KID.match(kid):
            raise AuthError("install JWT has no valid key id (kid)")
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(kid)
            if cached and cached[0] > now:
                return cached[1]
        try:
            response = self._get(f"{self.base_url}/{kid}", timeout=self.timeout)
        except requests.RequestException as exc:
            raise TransientError(f"install key server unreachable: {type(exc).__name__}") from None
        if response.status_code == 404:
            raise AuthError("install JWT key id is unknown to the install key server")
        if response.status_code != 200:
            raise TransientError(f"install key server answered {response.status_code}")
        try:
            key = load_pem_public_key(response.content)
        except ValueError:
            raise AuthError("install key server returned no valid public key") from None
        with self._lock:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[kid] = (now + self.ttl, key)
        return key
