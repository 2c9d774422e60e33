"""Every environment variable the app reads, read once into a typed, validated Settings."""
from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from plugin.redaction import redact

DEFAULT_INSTALL_KEYS_URL = "https://connect-install-keys.atlassian.com"
DEFAULT_ALL_JS_URL = "https://connect-cdn.atl-paas.net/all.js"
DEFAULT_JIRA_ALLOWED_HOSTS = ("*.atlassian.net", "*.jira.com", "*.jira-dev.com")
DEFAULT_FORGE_JWKS_URL = "https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json"
DEFAULT_FORGE_API_HOSTS = ("api.atlassian.com",)
_FORGE_APP_ID = re.compile(r"ari:cloud:ecosystem::app/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ENVIRONMENTS = ("development", "production")
_HOST_PATTERN = re.compile(r"(\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")


SMTP_SECURITY = ("starttls", "ssl", "none")
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message says which and how to fix it."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail notifications go out (only when SMTP_HOST is set; off by default)."""

    host: str
    sender: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    """The app's configuration; build it with `Settings.from_env()`."""

    base_url: str
    app_key: str = "work-sync"
    environment: str = "development"
    instance_path: Path = field(default_factory=lambda: Path("instance").resolve())
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    install_keys_url: str = DEFAULT_INSTALL_KEYS_URL
    all_js_url: str = DEFAULT_ALL_JS_URL
    log_level: str = "INFO"
    jira_timeout: float = 20.0
    jwt_leeway: int = 60
    # Production accepts installs only from https sites on these hosts ("*.example.com" = any subdomain).
    jira_allowed_hosts: tuple[str, ...] = DEFAULT_JIRA_ALLOWED_HOSTS
    # E-mail to a synchronization's creator when new errors arrive after this many quiet minutes (None: no mail).
    smtp: SmtpSettings | None = None
    notify_quiet_minutes: int = 60
    # Forge Remote: our Forge app's id (None: every /forge/* route answers 404 and Bearer tokens are refused).
    forge_app_id: str | None = None
    forge_jwks_url: str = DEFAULT_FORGE_JWKS_URL
    # The host[:port]s a FIT's apiBaseUrl may name (https only in production; development adds loopback, any port).
    forge_api_hosts: tuple[str, ...] = DEFAULT_FORGE_API_HOSTS
    # GET /metrics needs `Authorization: Bearer <metrics_token>`; None: /metrics answers 404 (not exposed).
    metrics_token: str | None = field(default=None, repr=False)
    # PROMETHEUS_MULTIPROC_DIR (prometheus-client reads it too): every process writes its metrics there.
    metrics_dir: Path | None = None
    log_format: str = "text"

    @property
    def forge_enabled(self) -> bool:
        """True when FORGE_APP_ID is set: the Forge routes answer and the API accepts Bearer FITs."""
        return self.forge_app_id is not None

    @property
    def production(self) -> bool:
        """True when APP_ENV=production."""
        return self.environment == "production"

    @property
    def base_path(self) -> str:
        """The path part of the base URL, without a trailing slash ('' at the root)."""
        return urlsplit(self.base_url).path.rstrip("/")

    @property
    def embedded_redis_path(self) -> Path:
        """Where the embedded Redis keeps its socket and data when REDIS_URL is unset."""
        return self.instance_path / "redis.db"

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed (tests use it)."""
        return replace(self, **changes)

    def describe(self) -> str:
        """One line on what this process runs against, without secrets."""
        redis = redact(self.redis_url) if self.redis_url else f"embedded redis at {self.embedded_redis_path}"
        return f"base URL {self.base_url} · database {redact(self.database_url)} · {redis}"

    def public(self) -> dict:
        """The settings a support bundle may show: no secret key, no password, URLs with credentials masked."""
        smtp = self.smtp
        return {
            "baseUrl": self.base_url, "appKey": self.app_key, "environment": self.environment,
            "instancePath": str(self.instance_path), "database": redact(self.database_url),
            "redis": redact(self.redis_url) if self.redis_url else "embedded", "installKeysUrl": self.install_keys_url,
            "allJsUrl": self.all_js_url, "logLevel": self.log_level, "jiraTimeoutSeconds": self.jira_timeout,
            "jwtLeewaySeconds": self.jwt_leeway, "jiraAllowedHosts": list(self.jira_allowed_hosts),
            "smtp": None if smtp is None else {"host": smtp.host, "port": smtp.port, "security": smtp.security,
                                               "authenticated": bool(smtp.username)},
            "notifyQuietMinutes": self.notify_quiet_minutes,
            "forgeAppId": self.forge_app_id, "forgeJwksUrl": self.forge_jwks_url,
            "forgeApiHosts": list(self.forge_api_hosts),
            "metrics": "token" if self.metrics_token else "off", "logFormat": self.log_format,
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Read and validate the environment; raise SettingsError with a clear message."""
        env = os.environ if environ is None else environ
        environment = env.get("APP_ENV", "development").strip().lower()
        if environment not in _ENVIRONMENTS:
            raise SettingsError(f"APP_ENV must be one of {', '.join(_ENVIRONMENTS)}, not {environment!r}")
        instance = Path(env.get("INSTANCE_PATH", "instance")).resolve()

        base_url = _url(env, "APP_BASE_URL", "http://localhost:5000" if environment == "development" else None)
        if environment == "production" and not base_url.startswith("https://"):
            raise SettingsError("APP_BASE_URL must be https:// in production (Jira only installs apps over TLS)")

        app_key = env.get("APP_KEY", "work-sync").strip()
        if not app_key or len(app_key) > 64 or not all(c.isalnum() or c in "-._" for c in app_key):
            raise SettingsError("APP_KEY must be 1-64 characters of letters, digits, '-', '.' or '_'")

        database_url = env.get("DATABASE_URL", "").strip() or f"sqlite:///{instance / 'work-sync.sqlite'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql://" + database_url[len("postgres://"):]
        if database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
        if not database_url.startswith(("sqlite:", "postgresql+psycopg:")):
            raise SettingsError("DATABASE_URL must be a postgresql:// or sqlite:/// URL")

        redis_url = env.get("REDIS_URL", "").strip() or None
        if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")

        secret_key = env.get("APP_SECRET_KEY", "").strip()
        if not secret_key:
            if environment == "production":
                raise SettingsError("APP_SECRET_KEY is required in production: it encrypts the sites' shared secrets")
            secret_key = _development_secret(instance)
        if len(secret_key) < 32:
            raise SettingsError("APP_SECRET_KEY must be at least 32 characters (use `python -m plugin secret`)")

        log_level = env.get("LOG_LEVEL", "INFO").strip().upper()
        if log_level not in logging.getLevelNamesMapping():
            raise SettingsError(f"LOG_LEVEL {log_level!r} is not a logging level (DEBUG, INFO, WARNING, ERROR)")

        log_format = env.get("LOG_FORMAT", "text").strip().lower()
        if log_format not in LOG_FORMATS:
            raise SettingsError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")

        metrics_token = env.get("METRICS_TOKEN", "").strip() or None
        if metrics_token is not None and len(metrics_token) < 16:
            raise SettingsError("METRICS_TOKEN must be at least 16 characters (use `python -m plugin secret`)")
        metrics_dir = env.get("PROMETHEUS_MULTIPROC_DIR", "").strip() or None
        if metrics_dir is not None and not Path(metrics_dir).is_dir():
            raise SettingsError(f"PROMETHEUS_MULTIPROC_DIR {metrics_dir!r} is not a directory: create it (empty) "
                                "before the web and worker processes start, or unset it")

        return cls(
            base_url=base_url,
            app_key=app_key,
            environment=environment,
            instance_path=instance,
            database_url=database_url,
            redis_url=redis_url,
            secret_key=secret_key,
            install_keys_url=_url(env, "CONNECT_INSTALL_KEYS_URL", DEFAULT_INSTALL_KEYS_URL),
            all_js_url=_url(env, "CONNECT_ALL_JS_URL", DEFAULT_ALL_JS_URL),
            log_level=log_level,
            jira_timeout=_number(env, "JIRA_TIMEOUT_SECONDS", 20.0),
            jira_allowed_hosts=_hosts(env, "JIRA_ALLOWED_HOSTS", DEFAULT_JIRA_ALLOWED_HOSTS),
            smtp=_smtp(env),
            notify_quiet_minutes=int(_number(env, "NOTIFY_QUIET_MINUTES", 60)),
            forge_app_id=_forge_app_id(env),
            forge_jwks_url=_url(env, "FORGE_JWKS_URL", DEFAULT_FORGE_JWKS_URL),
            forge_api_hosts=_host_ports(env, "FORGE_API_HOSTS", DEFAULT_FORGE_API_HOSTS),
            metrics_token=metrics_token,
            metrics_dir=Path(metrics_dir).resolve() if metrics_dir else None,
            log_format=log_format,
        )


def _url(env: Mapping[str, str], name: str, default: str | None) -> str:
    value = env.get(name, "").strip() or default
    if value is None:
        raise SettingsError(f"{name} is required")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(f"{name} must be an absolute http(s) URL without query or fragment, not {value!r}")
    return value.rstrip("/")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive")
    return value


def _hosts(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    hosts = tuple(part.strip().lower() for part in raw.split(","))
    for host in hosts:
        if len(host) > 253 or not _HOST_PATTERN.fullmatch(host):
            raise SettingsError(f"{name} must be a comma-separated list of host names or '*.domain' patterns "
                                f"(e.g. {','.join(default)}), and {host!r} is neither")
    return hosts


def _forge_app_id(env: Mapping[str, str]) -> str | None:
    raw = env.get("FORGE_APP_ID", "").strip()
    if not raw:
        return None
    if not _FORGE_APP_ID.fullmatch(raw.lower()):
        raise SettingsError("FORGE_APP_ID must be your Forge app's id, ari:cloud:ecosystem::app/<uuid> (the app.id "
                            f"that `forge register` wrote into manifest.yml), not {raw!r}")
    return raw.lower()


def _host_ports(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    found = []
    for part in raw.split(","):
        entry = part.strip().lower()
        host, _, port = entry.partition(":")
        if (not host or len(host) > 253 or not _HOST_PATTERN.fullmatch(host) or host.startswith("*.")
                or (port and not (port.isdigit() and 0 < int(port) < 65536))):
            raise SettingsError(f"{name} must be a comma-separated list of host or host:port names that a Forge "
                                f"apiBaseUrl may name (e.g. {','.join(default)}), and {entry!r} is not one")
        found.append(entry)
    return tuple(found)


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    host = env.get("SMTP_HOST", "").strip()
    if not host:
        return None
    security = env.get("SMTP_SECURITY", "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise SettingsError(f"SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}")
    port = env.get("SMTP_PORT", "").strip() or {"starttls": "587", "ssl": "465", "none": "25"}[security]
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"SMTP_PORT must be a port number, not {port!r}")
    sender = env.get("SMTP_FROM", "").strip()
    if "@" not in sender:
        raise SettingsError("SMTP_FROM (the notifications' sender address) is required when SMTP_HOST is set")
    return SmtpSettings(host=host, sender=sender, port=int(port), security=security,
                        username=env.get("SMTP_USERNAME", "").strip() or None,
                        password=env.get("SMTP_PASSWORD") or None)


def _development_secret(instance: Path) -> str:
    """Generate the development encryption key once and keep it in the instance folder."""
    path = instance / "secret-key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # the web process and the worker started together: the first one wins
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
