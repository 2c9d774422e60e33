"""Public keys of Atlassian's signed-install key server, fetched by kid and cached (unknown kids too)."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from urllib.parse import quote

import requests
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from plugin.errors import AuthError, TransientError

# Starts with a letter or digit: "." and ".." would otherwise make us fetch the key server's parent path.
_KID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_CACHE_LIMIT = 256


class InstallKeys:
    """Fetches `{base_url}/{kid}` (a PEM public key), keeps it for `ttl` seconds and an unknown kid for `miss_ttl`."""

    def __init__(self, base_url: str, *, ttl: float = 3600, miss_ttl: float = 300, timeout: float = 5,
                 get: Callable[..., requests.Response] | None = None):
        self.base_url = base_url.rstrip("/")
        self.ttl = ttl
        self.miss_ttl = miss_ttl
        self.timeout = timeout
        self._get = get or requests.get
        self._cache: dict[str, tuple[float, object | None]] = {}  # kid -> (expires, key or None if unknown)
        self._lock = threading.Lock()

    def public_key(self, kid: object):
        """The RSA public key for `kid`; AuthError if the key server does not know it."""
        if not isinstance(kid, str) or not _KID.fullmatch(kid):
            raise AuthError("install JWT has no valid key id (kid)")
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(kid)
        if cached and cached[0] > now:
            if cached[1] is None:
                raise AuthError("install JWT key id is unknown to the install key server")
            return cached[1]
        key = self._fetch(kid)
        with self._lock:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
            self._cache[kid] = (now + (self.ttl if key is not None else self.miss_ttl), key)
        if key is None:
            raise AuthError("install JWT key id is unknown to the install key server")
        return key

    def _fetch(self, kid: str):
        """The key, or None when the key server answers 404."""
        try:
            response = self._get(f"{self.base_url}/{quote(kid, safe='')}", timeout=self.timeout)
        except requests.RequestException as exc:
            raise TransientError(f"install key server unreachable: {type(exc).__name__}") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise TransientError(f"install key server answered {response.status_code}")
        try:
            return load_pem_public_key(response.content)
        except ValueError:
            raise AuthError("install key server returned no valid public key") from None
