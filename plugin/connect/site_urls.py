"""Jira site URLs (`baseUrl`, `displayUrl`): strictly `scheme://host[:port][/path]`, and in production only
https on the allowed hosts, because the app sends signed requests to whatever baseUrl it accepts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from plugin.settings import Settings

MAX_LENGTH = 512  # the width of the tenants' URL columns
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SITE_URL = re.compile(
    rf"(?P<scheme>https?)://(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?"
    r"(?P<path>(?:/(?!\.\.?(?:/|$))[A-Za-z0-9._~-]+)*)/?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SitePolicy:
    """Which site URLs an install may bring: any well-formed http(s) URL, or https on allowed hosts only."""

    https_only: bool = False
    allowed_hosts: tuple[str, ...] | None = None  # None: any host

    @classmethod
    def for_settings(cls, settings: Settings) -> SitePolicy:
        """Production: https on JIRA_ALLOWED_HOSTS; development: any well-formed http(s) URL (simulator, tests)."""
        if settings.production:
            return cls(https_only=True, allowed_hosts=settings.jira_allowed_hosts)
        return cls()


@dataclass(frozen=True)
class SiteUrl:
    """A parsed site URL; `url` is its normal form (lower-case scheme and host, no trailing slash)."""

    scheme: str
    host: str
    port: int | None
    path: str

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}" + (f":{self.port}" if self.port is not None else "")

    @property
    def url(self) -> str:
        return self.origin + self.path


def parse(value: object) -> SiteUrl | None:
    """The SiteUrl of `value`, or None unless it is exactly `scheme://host[:port][/path]`."""
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        return None
    found = _SITE_URL.fullmatch(value)
    if found is None or len(found["host"]) > 253:
        return None
    port = int(found["port"]) if found["port"] else None
    if port is not None and not 0 < port < 65536:
        return None
    return SiteUrl(found["scheme"].lower(), found["host"].lower(), port, found["path"])


def host_allowed(host: str, patterns: tuple[str, ...]) -> bool:
    """True if `host` is one of `patterns`, or a subdomain of a `*.domain` pattern."""
    host = host.lower()
    return any(host.endswith(p[1:]) if p.startswith("*.") else host == p for p in patterns)


def accepted_site_url(value: object, policy: SitePolicy) -> str:
    """The normal form of an acceptable site URL; ValueError saying why `value` is not one."""
    parsed = parse(value)
    if parsed is None:
        raise ValueError("must be an http(s) URL of the form scheme://host[:port][/path]")
    if policy.https_only and parsed.scheme != "https":
        raise ValueError("must be an https URL")
    if policy.allowed_hosts is not None and not host_allowed(parsed.host, policy.allowed_hosts):
        raise ValueError(f"host {parsed.host} is not an allowed Jira host ({', '.join(policy.allowed_hosts)})")
    return parsed.url


def origin(url: str) -> str | None:
    """`scheme://host[:port]` of a well-formed site URL, else None (so nothing else reaches a header)."""
    parsed = parse(url)
    return parsed.origin if parsed is not None else None
