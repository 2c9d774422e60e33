"""URLs inside representations: `self` links of REST resources and avatar URLs."""
from __future__ import annotations


def api(site, version: str, path: str) -> str:
    """The `self` URL of a REST resource."""
    return f"{site.base_url}/rest/api/{version}/{path.lstrip('/')}"


def avatars(seed: str) -> dict:
    """Avatar URLs in the four Jira sizes."""
    return {f"{n}x{n}": f"https://avatar-management.example/{seed}/{n}.png" for n in (16, 24, 32, 48)}
