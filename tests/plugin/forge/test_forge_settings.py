"""The Forge settings: FORGE_APP_ID, FORGE_JWKS_URL and FORGE_API_HOSTS, validated with a fix-it message."""
import pytest

from plugin.settings import DEFAULT_FORGE_JWKS_URL, Settings, SettingsError

APP_ID = "ari:cloud:ecosystem::app/8db33809-1f32-48bb-8c52-5877dab48107"


def test_forge_is_off_by_default_with_atlassians_defaults(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path)})
    assert settings.forge_app_id is None and not settings.forge_enabled
    assert settings.forge_jwks_url == DEFAULT_FORGE_JWKS_URL
    assert settings.forge_api_hosts == ("api.atlassian.com",)


def test_forge_settings_are_read(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "FORGE_APP_ID": f" {APP_ID} ",
                                  "FORGE_JWKS_URL": "http://127.0.0.1:9000/_forge/.well-known/jwks.json",
                                  "FORGE_API_HOSTS": "api.atlassian.com, api.stg.atlassian.com:8443"})
    assert settings.forge_app_id == APP_ID and settings.forge_enabled
    assert settings.forge_jwks_url == "http://127.0.0.1:9000/_forge/.well-known/jwks.json"
    assert settings.forge_api_hosts == ("api.atlassian.com", "api.stg.atlassian.com:8443")
    assert settings.public()["forgeAppId"] == APP_ID


@pytest.mark.parametrize("env, message", [
    ({"FORGE_APP_ID": "8db33809-1f32-48bb-8c52-5877dab48107"}, "FORGE_APP_ID must be your Forge app's id"),
    ({"FORGE_APP_ID": "ari:cloud:ecosystem::app/not-a-uuid"}, "ari:cloud:ecosystem::app/<uuid>"),
    ({"FORGE_APP_ID": APP_ID + "/x"}, "FORGE_APP_ID"),
    ({"FORGE_JWKS_URL": "forge.cdn/jwks.json"}, "FORGE_JWKS_URL must be an absolute"),
    ({"FORGE_API_HOSTS": "https://api.atlassian.com"}, "FORGE_API_HOSTS must be a comma-separated list"),
    ({"FORGE_API_HOSTS": "*.atlassian.com"}, "FORGE_API_HOSTS"),
    ({"FORGE_API_HOSTS": "api.atlassian.com:99999"}, "FORGE_API_HOSTS"),
    ({"FORGE_API_HOSTS": "api.atlassian.com,,x"}, "FORGE_API_HOSTS"),
])
def test_bad_forge_settings_say_how_to_fix_them(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path), **env})
