"""Settings are read once from the environment and explain what is wrong."""
import pytest

from plugin.settings import DEFAULT_INSTALL_KEYS_URL, Settings, SettingsError


def test_development_defaults_need_nothing(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path)})
    assert settings.base_url == "http://localhost:5000"
    assert settings.app_key == "work-sync"
    assert settings.database_url == f"sqlite:///{tmp_path / 'work-sync.sqlite'}"
    assert settings.redis_url is None and settings.embedded_redis_path == tmp_path / "redis.db"
    assert settings.install_keys_url == DEFAULT_INSTALL_KEYS_URL


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = Settings.from_env({"INSTANCE_PATH": str(tmp_path)}).secret_key
    second = Settings.from_env({"INSTANCE_PATH": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0


def test_base_url_with_a_path_gives_the_base_path(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "APP_BASE_URL": "https://x.example.com/work-sync/"})
    assert (settings.base_url, settings.base_path) == ("https://x.example.com/work-sync", "/work-sync")


def test_postgres_urls_use_psycopg(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgres://u:pw@db/ws"})
    assert settings.database_url == "postgresql+psycopg://u:pw@db/ws"
    assert "pw" not in settings.describe()


@pytest.mark.parametrize("env, message", [
    ({"APP_ENV": "staging"}, "APP_ENV"),
    ({"APP_ENV": "production", "APP_BASE_URL": "https://x.example.com"}, "APP_SECRET_KEY is required"),
    ({"APP_ENV": "production", "APP_BASE_URL": "http://x.example.com", "APP_SECRET_KEY": "k" * 40}, "https"),
    ({"APP_ENV": "production", "APP_SECRET_KEY": "k" * 40}, "APP_BASE_URL is required"),
    ({"APP_BASE_URL": "localhost:5000"}, "APP_BASE_URL must be an absolute"),
    ({"APP_KEY": "has spaces"}, "APP_KEY"),
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"REDIS_URL": "http://x"}, "REDIS_URL"),
    ({"APP_SECRET_KEY": "short"}, "at least 32"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"CONNECT_INSTALL_KEYS_URL": "ftp://keys"}, "CONNECT_INSTALL_KEYS_URL"),
    ({"JIRA_TIMEOUT_SECONDS": "soon"}, "JIRA_TIMEOUT_SECONDS"),
    ({"JIRA_ALLOWED_HOSTS": "*.atlassian.net,https://evil.example.com"}, "JIRA_ALLOWED_HOSTS"),
    ({"JIRA_ALLOWED_HOSTS": "*"}, "JIRA_ALLOWED_HOSTS"),
])
def test_invalid_settings_fail_with_a_clear_message(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path), **env})


def test_production_settings_validate(tmp_path):
    settings = Settings.from_env({"APP_ENV": "production", "APP_BASE_URL": "https://ws.example.com",
                                  "APP_SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path),
                                  "REDIS_URL": "redis://:pw@cache:6379/0", "DATABASE_URL": "postgresql://db/ws"})
    assert settings.environment == "production" and "pw" not in settings.describe()


def test_passwords_in_query_parameters_are_not_described(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path),
                                  "DATABASE_URL": "postgresql://db/ws?user=ws&password=hunter2",
                                  "REDIS_URL": "redis://cache:6379/0?password=hunter3"})
    assert "hunter" not in settings.describe()


def test_jira_hosts_default_to_atlassian_and_can_be_configured(tmp_path):
    assert Settings.from_env({"INSTANCE_PATH": str(tmp_path)}).jira_allowed_hosts == (
        "*.atlassian.net", "*.jira.com", "*.jira-dev.com")
    configured = Settings.from_env({"INSTANCE_PATH": str(tmp_path),
                                    "JIRA_ALLOWED_HOSTS": " *.Atlassian.net , jira.example.com "})
    assert configured.jira_allowed_hosts == ("*.atlassian.net", "jira.example.com")


def test_e_mail_is_off_unless_an_smtp_host_is_set(tmp_path):
    assert Settings.from_env({"INSTANCE_PATH": str(tmp_path)}).smtp is None


def test_smtp_settings_are_read_with_the_port_of_their_security(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "SMTP_HOST": "mail.example.com",
                                  "SMTP_FROM": "work-sync@example.com", "SMTP_SECURITY": "ssl",
                                  "SMTP_USERNAME": "ws", "SMTP_PASSWORD": "smtp-password",
                                  "NOTIFY_QUIET_MINUTES": "30"})
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == ("mail.example.com", 465, "ssl")
    assert settings.notify_quiet_minutes == 30
    assert "smtp-password" not in repr(settings.smtp)


@pytest.mark.parametrize("env, message", [
    ({"SMTP_HOST": "mail.example.com"}, "SMTP_FROM"),
    ({"SMTP_HOST": "mail.example.com", "SMTP_FROM": "a@example.com", "SMTP_SECURITY": "tls13"}, "SMTP_SECURITY"),
    ({"SMTP_HOST": "mail.example.com", "SMTP_FROM": "a@example.com", "SMTP_PORT": "mail"}, "SMTP_PORT"),
])
def test_invalid_smtp_settings_say_which(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path), **env})


def test_the_public_settings_hold_no_secret(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "APP_SECRET_KEY": "k" * 40,
                                  "DATABASE_URL": "postgres://u:db-password@db/ws",
                                  "REDIS_URL": "redis://:redis-password@cache:6379/0", "SMTP_HOST": "mail.example.com",
                                  "SMTP_FROM": "a@example.com", "SMTP_USERNAME": "u", "SMTP_PASSWORD": "smtp-password"})
    shown = repr(settings.public())
    assert settings.public()["smtp"] == {"host": "mail.example.com", "port": 587, "security": "starttls",
                                         "authenticated": True}
    for secret in ("k" * 40, "db-password", "redis-password", "smtp-password", "a@example.com"):
        assert secret not in shown


def test_metrics_and_log_format_settings(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path), "METRICS_TOKEN": "t" * 24, "LOG_FORMAT": "JSON",
                                  "PROMETHEUS_MULTIPROC_DIR": str(folder)})
    assert (settings.metrics_token, settings.metrics_dir, settings.log_format) == ("t" * 24, folder, "json")
    assert "t" * 24 not in repr(settings) and settings.public()["metrics"] == "token"
    assert Settings.from_env({"INSTANCE_PATH": str(tmp_path)}).metrics_token is None


@pytest.mark.parametrize("env, message", [
    ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN must be at least 16"),
    ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of text, json"),
    ({"PROMETHEUS_MULTIPROC_DIR": "/nonexistent/metrics"}, "PROMETHEUS_MULTIPROC_DIR"),
])
def test_invalid_metrics_and_log_settings(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"INSTANCE_PATH": str(tmp_path), **env})


def test_production_names_every_missing_or_wrong_setting_at_once(tmp_path):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path), "LOG_LEVEL": "LOUD"})
    message = str(raised.value)
    assert message.startswith("5 configuration errors:")
    for name in ("APP_BASE_URL is required", "DATABASE_URL is required in production",
                 "REDIS_URL is required in production", "APP_SECRET_KEY is required", "LOG_LEVEL 'LOUD'"):
        assert name in message
    assert not (tmp_path / "work-sync.sqlite").exists() and not (tmp_path / "redis.db").exists()


def test_development_still_defaults_database_and_redis(tmp_path):
    settings = Settings.from_env({"INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url.startswith("sqlite:///") and settings.redis_url is None
