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
# The data residency regions a Forge remote may name a base URL for (@forge/manifest's remotes.baseUrl keys).
FORGE_REGIONS = ("EU", "US", "AU", "DE", "SG", "CA", "IN", "KR", "JP", "GB", "CH")
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
    # Region-specific base URLs of this backend for the Forge manifest's remote (data residency), e.g. (("EU", url),).
    forge_region_urls: tuple[tuple[str, str], ...] = ()
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
            "forgeApiHosts": list(self.forge_api_hosts), "forgeRegionUrls": dict(self.forge_region_urls),
            "metrics": "token" if self.metrics_token else "off", "logFormat": self.log_format,
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Read and validate the environment; raise SettingsError naming every problem at once, each with its fix."""
        env = os.environ if environ is None else environ
        errors: list[str] = []

        def attempt(read, fallback=None):
            try:
                return read()
            except SettingsError as exc:
                errors.append(str(exc))
                return fallback

        environment = attempt(lambda: _environment(env), "development")
        instance = Path(env.get("INSTANCE_PATH", "instance")).resolve()
        production = environment == "production"
        base_url = attempt(lambda: _base_url(env, environment), "http://localhost:5000")
        app_key = attempt(lambda: _app_key(env), "work-sync")
        database_url = attempt(lambda: _database_url(env, instance, production), "")
        redis_url = attempt(lambda: _redis_url(env, production))
        secret_key = attempt(lambda: _secret_key(env, instance, production), "")
        log_level = attempt(lambda: _choice(env, "LOG_LEVEL", "INFO", tuple(logging.getLevelNamesMapping()), str.upper),
                            "INFO")
        log_format = attempt(lambda: _choice(env, "LOG_FORMAT", "text", LOG_FORMATS), "text")
        metrics_token = attempt(lambda: _metrics_token(env))
        metrics_dir = attempt(lambda: _metrics_dir(env))
        values = dict(
            install_keys_url=attempt(lambda: _url(env, "CONNECT_INSTALL_KEYS_URL", DEFAULT_INSTALL_KEYS_URL)),
            all_js_url=attempt(lambda: _url(env, "CONNECT_ALL_JS_URL", DEFAULT_ALL_JS_URL)),
            jira_timeout=attempt(lambda: _number(env, "JIRA_TIMEOUT_SECONDS", 20.0)),
            jira_allowed_hosts=attempt(lambda: _hosts(env, "JIRA_ALLOWED_HOSTS", DEFAULT_JIRA_ALLOWED_HOSTS)),
            smtp=attempt(lambda: _smtp(env)),
            notify_quiet_minutes=attempt(lambda: int(_number(env, "NOTIFY_QUIET_MINUTES", 60))),
            forge_app_id=attempt(lambda: _forge_app_id(env)),
            forge_jwks_url=attempt(lambda: _url(env, "FORGE_JWKS_URL", DEFAULT_FORGE_JWKS_URL)),
            forge_api_hosts=attempt(lambda: _host_ports(env, "FORGE_API_HOSTS", DEFAULT_FORGE_API_HOSTS)),
            forge_region_urls=attempt(lambda: region_urls(env.get("FORGE_REGION_URLS", ""), base_url, production),
                                      ()),
        )
        if errors:
            if len(errors) == 1:
                raise SettingsError(errors[0])
            raise SettingsError(f"{len(errors)} configuration errors:\n" + "\n".join(f"  - {e}" for e in errors))
        return cls(base_url=base_url, app_key=app_key, environment=environment, instance_path=instance,
                   database_url=database_url, redis_url=redis_url, secret_key=secret_key, log_level=log_level,
                   metrics_token=metrics_token, metrics_dir=metrics_dir, log_format=log_format, **values)


def _environment(env: Mapping[str, str]) -> str:
    environment = env.get("APP_ENV", "development").strip().lower()
    if environment not in _ENVIRONMENTS:
        raise SettingsError(f"APP_ENV must be one of {', '.join(_ENVIRONMENTS)}, not {environment!r}")
    return environment


def _base_url(env: Mapping[str, str], environment: str) -> str:
    base_url = _url(env, "APP_BASE_URL", "http://localhost:5000" if environment == "development" else None)
    if environment == "production" and not base_url.startswith("https://"):
        raise SettingsError("APP_BASE_URL must be https:// in production (Jira only installs apps over TLS)")
    return base_url


def _app_key(env: Mapping[str, str]) -> str:
    app_key = env.get("APP_KEY", "work-sync").strip()
    if not app_key or len(app_key) > 64 or not all(c.isalnum() or c in "-._" for c in app_key):
        raise SettingsError("APP_KEY must be 1-64 characters of letters, digits, '-', '.' or '_'")
    return app_key


def _database_url(env: Mapping[str, str], instance: Path, production: bool) -> str:
    database_url = env.get("DATABASE_URL", "").strip()
    if not database_url:
        if production:
            raise SettingsError("DATABASE_URL is required in production (e.g. postgresql://user:password@host/"
                                "work_sync): without it the app would keep its data in SQLite under INSTANCE_PATH")
        database_url = f"sqlite:///{instance / 'work-sync.sqlite'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    if not database_url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise SettingsError("DATABASE_URL must be a postgresql:// or sqlite:/// URL")
    return database_url


def _redis_url(env: Mapping[str, str], production: bool) -> str | None:
    redis_url = env.get("REDIS_URL", "").strip() or None
    if redis_url is None and production:
        raise SettingsError("REDIS_URL is required in production (e.g. redis://redis-host:6379/0): without it the app "
                            "would start an embedded Redis inside INSTANCE_PATH that only this machine can reach")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
    return redis_url


def _secret_key(env: Mapping[str, str], instance: Path, production: bool) -> str:
    secret_key = env.get("APP_SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            raise SettingsError("APP_SECRET_KEY is required in production: it encrypts the sites' shared secrets "
                                "(use `python -m plugin secret`)")
        secret_key = _development_secret(instance)
    if len(secret_key) < 32:
        raise SettingsError("APP_SECRET_KEY must be at least 32 characters (use `python -m plugin secret`)")
    return secret_key


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...], case=str.lower) -> str:
    value = case(env.get(name, default).strip())
    if value not in allowed:
        if name == "LOG_LEVEL":
            raise SettingsError(f"LOG_LEVEL {value!r} is not a logging level (DEBUG, INFO, WARNING, ERROR)")
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _metrics_token(env: Mapping[str, str]) -> str | None:
    token = env.get("METRICS_TOKEN", "").strip() or None
    if token is not None and len(token) < 16:
        raise SettingsError("METRICS_TOKEN must be at least 16 characters (use `python -m plugin secret`)")
    return token


def _metrics_dir(env: Mapping[str, str]) -> Path | None:
    folder = env.get("PROMETHEUS_MULTIPROC_DIR", "").strip() or None
    if folder is None:
        return None
    if not Path(folder).is_dir():
        raise SettingsError(f"PROMETHEUS_MULTIPROC_DIR {folder!r} is not a directory: create it (empty) before the "
                            "web and worker processes start, or unset it")
    return Path(folder).resolve()


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


def region_urls(raw: str, base_url: str, production: bool, name: str = "FORGE_REGION_URLS"
                ) -> tuple[tuple[str, str], ...]:
    """`EU=https://eu.example.com,US=https://us.example.com` as (region, URL) pairs; SettingsError naming the fix."""
    found: dict[str, str] = {}
    path = urlsplit(base_url).path.rstrip("/")
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        region, _, url = (x.strip() for x in part.partition("="))
        region = region.upper()
        if region not in FORGE_REGIONS or not url:
            raise SettingsError(f"{name} must be REGION=URL pairs separated by commas, REGION one of "
                                f"{', '.join(FORGE_REGIONS)}, and {part!r} is not one")
        if region in found:
            raise SettingsError(f"{name} names region {region} twice")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise SettingsError(f"{name}: the URL of {region} must be an absolute http(s) URL, not {url!r}")
        if production and parts.scheme != "https":
            raise SettingsError(f"{name}: the URL of {region} must be https:// in production (Forge calls remotes "
                                "over TLS)")
        if parts.path.rstrip("/") != path:
            raise SettingsError(f"{name}: the URL of {region} must end in the path of APP_BASE_URL "
                                f"({path or '/'}), as every route of this backend does, not {parts.path or '/'}")
        found[region] = url.rstrip("/")
    return tuple(found.items())


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
