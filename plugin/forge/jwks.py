"""The public keys of Forge Invocation Tokens: Forge's JWKS, fetched and cached; an unknown `kid` refetches the
set at most once a minute, so that a flood of made-up kids cannot make us hammer the JWKS endpoint."""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable

import requests
from jwt.algorithms import RSAAlgorithm

from plugin.errors import AuthError, TransientError

_KID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,199}")
MAX_KEYS = 64


class Jwks:
    """RSA keys by kid from `url`; the set is kept `ttl` seconds, refetched for an unknown kid after `refresh`."""

    def __init__(self, url: str, *, ttl: float = 3600, refresh: float = 60, timeout: float = 5,
                 get: Callable[..., requests.Response] | None = None, clock: Callable[[], float] = time.monotonic):
        self.url, self.ttl, self.refresh, self.timeout = url, ttl, refresh, timeout
        self._get = get or requests.get
        self._clock = clock
        self._keys: dict[str, object] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.fetches = 0

    def public_key(self, kid: object):
        """The RSA public key for `kid`; AuthError if the JWKS does not hold it, TransientError if unreachable."""
        if not isinstance(kid, str) or not _KID.fullmatch(kid):
            raise AuthError("Forge invocation token has no valid key id (kid)")
        with self._lock:
            now = self._clock()
            fresh = self._fetched_at is not None and now - self._fetched_at < self.ttl
            if kid in self._keys and fresh:
                return self._keys[kid]
            if self._fetched_at is None or not fresh or now - self._fetched_at >= self.refresh:
                self._keys = self._fetch()
                self._fetched_at = now
            key = self._keys.get(kid)
        if key is None:
            raise AuthError("Forge invocation token key id is not in the Forge JWKS")
        return key

    def _fetch(self) -> dict[str, object]:
        self.fetches += 1
        try:
            response = self._get(self.url, timeout=self.timeout)
        except requests.RequestException as exc:
            raise TransientError(f"Forge JWKS unreachable: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise TransientError(f"Forge JWKS answered {response.status_code}")
        try:
            document = response.json()
        except ValueError:
            raise TransientError("Forge JWKS is not JSON") from None
        keys: dict[str, object] = {}
        for jwk in (document.get("keys") if isinstance(document, dict) else None) or []:
            if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or jwk.get("alg", "RS256") != "RS256":
                continue  # only RSA signing keys: an "oct" key must never become an HMAC secret
            if jwk.get("use", "sig") != "sig" or not isinstance(jwk.get("kid"), str):
                continue
            try:
                keys[jwk["kid"]] = RSAAlgorithm.from_jwk(json.dumps(jwk))
            except Exception:  # a malformed key is skipped, the others stay usable
                continue
            if len(keys) >= MAX_KEYS:
                break
        return keys
