"""Shared secrets are encrypted at rest and only the right key opens them."""
import pytest

from plugin.connect.secretbox import SecretBox


def test_round_trip_and_ciphertext_hides_the_secret():
    box = SecretBox("k" * 40)
    ciphertext = box.encrypt("the-shared-secret")
    assert "the-shared-secret" not in ciphertext
    assert box.decrypt(ciphertext) == "the-shared-secret"


def test_another_key_cannot_decrypt():
    with pytest.raises(ValueError, match="APP_SECRET_KEY"):
        SecretBox("j" * 40).decrypt(SecretBox("k" * 40).encrypt("s"))
