"""Find the partner site from a URL as a user pastes it, and a project on a site (asked with that site's own key)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.errors import NotFound, PermissionDenied, Unprocessable, quoted
from plugin.jira import JiraClient
from plugin.models import Tenant


@dataclass(frozen=True)
class Project:
    """A Jira project as its site answers: id and current key."""

    id: str
    key: str


def normalize_url(raw: str) -> str:
    """`scheme://host[:port]/path` in lower-case scheme and host, without query, fragment or trailing slash."""
    text = raw.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(raw)
    netloc = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


def _urls(tenant: Tenant) -> list[tuple[int, str]]:
    """The base URL (signed by the install: a site's pages live under it), and the display URL by its origin alone:
    a display URL is the tenant's own word, so its path may never extend, and capture, another site's URL."""
    found = []
    for url, origin_only in ((tenant.base_url, False), (tenant.display_url, True)):
        if url:
            try:
                normal = normalize_url(url)
            except ValueError:
                continue
            parts = urlsplit(normal)
            found.append((0, f"{parts.scheme}://{parts.netloc}") if origin_only else (1, normal))
    return found


def partner_site(session: Session, raw_url: str, path: str = "partner.site") -> Tenant:
    """The installed, enabled site at `raw_url` (its base or display URL, or any page of it); Unprocessable if none."""
    try:
        url = normalize_url(raw_url)
    except ValueError:
        raise Unprocessable(f"{quoted(raw_url)} is not a Jira site URL: paste the address of the partner's Jira site",
                            [{"path": path, "message": "not an http(s) URL"}]) from None
    candidates = session.scalars(select(Tenant).where(Tenant.replaced_by_client_key.is_(None))).all()
    best, best_rank = None, (-1, -1)
    for tenant in candidates:
        for is_base, known in _urls(tenant):
            rank = (len(known), is_base)  # the longest match; on a tie a signed base URL beats a display URL
            if (url == known or url.startswith(known + "/")) and rank > best_rank:
                best, best_rank = tenant, rank
    if best is None or not best.installed:
        raise Unprocessable(f"Work Sync is not installed on {quoted(url)}: install it there first, then try again",
                            [{"path": path, "message": "Work Sync is not installed on this site"}])
    if not best.enabled:
        raise Unprocessable(f"Work Sync is disabled on {quoted(url)}: ask its Jira admin to enable it, then try again",
                            [{"path": path, "message": "Work Sync is disabled on this site"}])
    return best


def unknown_project(tenant: Tenant, key: str, path: str) -> Unprocessable:
    """The one answer for a project that does not exist and for one that may not be seen (no existence oracle)."""
    site = tenant.display_url or tenant.base_url
    return Unprocessable(f"Project {key} does not exist on {site}, or you may not see it: check the key",
                         [{"path": path, "message": "unknown project"}])


def project_on(jira_for: Callable[[Tenant], JiraClient], tenant: Tenant, key: str, path: str) -> Project:
    """The project `key` as `tenant`'s site knows it (asked with that site's credentials); Unprocessable if unknown."""
    try:
        found = jira_for(tenant).project(key)
    except (NotFound, PermissionDenied):
        raise unknown_project(tenant, key, path) from None
    return Project(str(found["id"]), str(found["key"]))
