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


def test_region_urls_are_read_in_order_with_the_base_urls_path(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "APP_BASE_URL": "https://sync.example.com/ws",
                                  "FORGE_REGION_URLS": "eu=https://eu.sync.example.com/ws/, US=https://us.sync.example.com/ws"})
    assert settings.forge_region_urls == (("EU", "https://eu.sync.example.com/ws"),
                                          ("US", "https://us.sync.example.com/ws"))
    assert settings.public()["forgeRegionUrls"] == {"EU": "https://eu.sync.example.com/ws",
                                                    "US": "https://us.sync.example.com/ws"}
    assert Settings.from_env({"INSTANCE_PATH": str(tmp_path)}).forge_region_urls == ()


@pytest.mark.parametrize("raw, message", [
    ("Mars=https://mars.example.com", "REGION one of EU, US"),
    ("EU", "REGION=URL pairs"),
    ("EU=https://a.example.com,EU=https://b.example.com", "names region EU twice"),
    ("EU=eu.example.com", "the URL of EU must be an absolute"),
    ("EU=https://eu.example.com/other", "must end in the path of APP_BASE_URL"),
])
def test_bad_region_urls_say_how_to_fix_them(tmp_path, raw, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path), "FORGE_REGION_URLS": raw})


def test_production_region_urls_must_be_https(tmp_path):
    env = {"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production", "APP_BASE_URL": "https://sync.example.com",
           "DATABASE_URL": "postgresql://u@db/ws", "REDIS_URL": "redis://r:6379/0", "APP_SECRET_KEY": "k" * 48,
           "FORGE_REGION_URLS": "EU=http://eu.sync.example.com"}
    with pytest.raises(SettingsError, match="the URL of EU must be https:// in production"):
        Settings.from_env(env)
