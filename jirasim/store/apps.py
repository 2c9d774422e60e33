"""Connect apps installed on a site: one Installation per app key (kept in `Site.apps`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Installation:
    """One app installed on one site."""
    app_key: str
    descriptor: dict
    base_url: str
    client_key: str
    shared_secret: str
    scopes: list[str]
    webhooks: list[dict]
    modules: dict
    lifecycle: dict
    account_id: str
    enabled: bool = True
    log: list[dict] = field(default_factory=list)

    @property
    def base_path(self) -> str:
        """Path part of the app's base URL (qsh is computed relative to it)."""
        return urlsplit(self.base_url).path.rstrip("/")

    def module(self, kind: str, module_key: str) -> dict | None:
        """The module of type `kind` (e.g. adminPages) with key `module_key`."""
        for module in self.modules.get(kind) or []:
            if module.get("key") == module_key:
                return module
        return None
