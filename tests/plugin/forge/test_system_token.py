"""The app system token: expiry from its exp claim (unverified) or 55 minutes, encrypted at rest, never shown."""
import base64
import json
from datetime import UTC, datetime, timedelta

from plugin.connect.secretbox import SecretBox
from plugin.forge import system_token

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _jwt(claims: dict) -> str:
    def b64(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{b64({'alg': 'RS256'})}.{b64(claims)}.c2lnbmF0dXJl"


def test_expiry_is_the_exp_claim():
    exp = NOW + timedelta(hours=2)
    token = system_token.received(_jwt({"exp": int(exp.timestamp()), "sub": "app"}), NOW)
    assert token.expires_at == exp and not token.expired(NOW)
    assert token.expired(exp - timedelta(seconds=10))


def test_an_opaque_token_lives_55_minutes_and_a_far_exp_is_bounded():
    assert system_token.received("opaque-token-value", NOW).expires_at == NOW + timedelta(minutes=55)
    assert system_token.received(_jwt({"exp": "soon"}), NOW).expires_at == NOW + timedelta(minutes=55)
    far = system_token.received(_jwt({"exp": 99999999999}), NOW)
    assert far.expires_at == NOW + system_token.MAX_LIFETIME


def test_absent_or_unusable_headers_give_no_token():
    assert system_token.received(None) is None
    assert system_token.received("   ") is None
    assert system_token.received("a b") is None
    assert system_token.received("x" * (system_token.MAX_TOKEN + 1)) is None


def test_sealed_encrypted_and_never_in_its_repr():
    box = SecretBox("k" * 40)
    token = system_token.received("the-secret-system-token", NOW)
    ciphertext, expires = system_token.seal(token, box)
    assert "the-secret-system-token" not in ciphertext and "the-secret-system-token" not in repr(token)
    back = system_token.unseal(ciphertext, expires.replace(tzinfo=None), box)
    assert back.value == "the-secret-system-token" and back.expires_at == expires
    assert system_token.unseal(None, None, box) is None
