"""HS256 verification: every way a token can be wrong is refused with a reason."""
import time

import jwt as pyjwt
import pytest

from plugin.connect import jwt as connect_jwt
from plugin.connect.qsh import qsh
from plugin.errors import AuthError

SECRET = "a-shared-secret-that-is-long-enough-0123456789"
REQUEST = connect_jwt.Request("GET", "/app/pages/admin", "lic=none&tz=UTC")


def _token(**overrides):
    now = int(time.time())
    claims = {"iss": "client-1", "iat": now, "exp": now + 120, "sub": "user-1",
              "qsh": qsh("GET", "/pages/admin", "lic=none&tz=UTC")}
    claims.update(overrides)
    return pyjwt.encode({k: v for k, v in claims.items() if v is not None}, SECRET, algorithm="HS256")


def _verify(token, request=REQUEST, **options):
    secrets = {"client-1": SECRET}
    return connect_jwt.verify(token, secrets.get, request, base_path="/app", **options)


def test_a_token_signed_for_this_request_verifies():
    verified = _verify(_token())
    assert (verified.issuer, verified.subject) == ("client-1", "user-1")


def test_minted_tokens_verify_for_the_request_they_were_minted_for():
    token = connect_jwt.mint("client-1", SECRET, "GET", "/app/pages/admin", "tz=UTC&lic=none", base_path="/app")
    assert _verify(token).issuer == "client-1"


# Each case builds its token when the test runs (a token built at collection could expire before it is used).
@pytest.mark.parametrize("make, reason", [
    (lambda: pyjwt.encode({"iss": "client-1", "qsh": "x"}, key=None, algorithm="none"), "algorithm"),
    (lambda: _token(iss="client-2"), "not an installed"),
    (lambda: pyjwt.encode({"iss": "client-1", "iat": int(time.time()), "exp": int(time.time()) + 60, "qsh": "x"},
                          "another-secret-of-sufficient-length-000000", algorithm="HS256"), "signature"),
    (lambda: _token(exp=int(time.time()) - 3600, iat=int(time.time()) - 4000), "expired"),
    (lambda: _token(iat=int(time.time()) + 3600, exp=int(time.time()) + 4000), "future"),
    (lambda: _token(qsh=qsh("GET", "/pages/project-settings", "lic=none&tz=UTC")), "hash"),
    (lambda: _token(qsh=qsh("POST", "/pages/admin", "lic=none&tz=UTC")), "hash"),
    (lambda: _token(qsh=qsh("GET", "/pages/admin", "lic=none&tz=Europe/Paris")), "hash"),
    (lambda: _token(qsh=None), "qsh"),
    (lambda: _token(exp=None), "exp"),
    (lambda: _token(qsh="context-qsh"), "context token"),
    (lambda: "not-a-jwt", "malformed"),
], ids=["alg-none", "issuer", "signature", "expired", "future", "path", "method", "query", "no-qsh", "no-exp",
        "context", "malformed"])
def test_bad_tokens_are_refused_with_a_reason(make, reason):
    with pytest.raises(AuthError, match=reason):
        _verify(make())


def test_rs256_token_is_refused_on_an_hs256_route():
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = pyjwt.encode({"iss": "client-1", "qsh": "x"}, key, algorithm="RS256")
    with pytest.raises(AuthError, match="HS256"):
        _verify(token)


def test_context_routes_accept_only_context_tokens():
    assert _verify(_token(qsh="context-qsh"), context_qsh=True).subject == "user-1"
    with pytest.raises(AuthError, match="hash"):
        _verify(_token(), context_qsh=True)


def test_small_clock_skew_is_tolerated():
    now = int(time.time())
    assert _verify(_token(iat=now + 30, exp=now + 150)).issuer == "client-1"
    assert _verify(_token(iat=now - 200, exp=now - 30)).issuer == "client-1"
