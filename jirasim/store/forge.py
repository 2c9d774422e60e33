"""Forge apps installed on a site: one ForgeInstallation per app id (kept in `Site.forge_apps`)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field


def cloud_id_for(site_base_url: str) -> str:
    """A site's cloudId: stable for its base URL (what `{site}/_edge/tenant_info` answers), unlike installation ids."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, site_base_url.rstrip("/") + "/_edge/tenant_info"))


@dataclass
class ForgeInstallation:
    """One Forge app installed on one site; `manifest` is the parsed manifest (a `jirasim.forge.manifest.Manifest`)."""
    installation_id: str
    app_id: str
    cloud_id: str
    account_id: str
    manifest: object
    remote_base_url: str | None = None
    resources: dict[str, str] = field(default_factory=dict)
    major: int = 1
    minor: int = 0
    environment_id: str = ""
    log: list[dict] = field(default_factory=list)
    # The data residency location the app was pinned to at install (its remotes' region URL), None: global.
    location: str | None = None

    @property
    def app_version(self) -> str:
        """The installed version, `major.minor.0` (a major upgrade needs the admin's consent, a minor one does not)."""
        return f"{self.major}.{self.minor}.0"

    @property
    def scopes(self) -> list[str]:
        """The OAuth 2.0 scopes granted at install (the manifest's `permissions.scopes`)."""
        return list(getattr(self.manifest, "scopes", []))

    @property
    def impersonation_scopes(self) -> list[str]:
        """The scopes a user token of offline user impersonation may use (`allowImpersonation: true`)."""
        return list(getattr(self.manifest, "impersonation", []))

    @property
    def context_ari(self) -> str:
        """The installation's context ARI, the Jira site (`contextIds` of `offlineUserAuthToken` name it)."""
        return f"ari:cloud:jira::site/{self.cloud_id}"

    @property
    def uuid(self) -> str:
        """The installation id without its `ari:cloud:ecosystem::installation/` prefix."""
        return self.installation_id.rsplit("/", 1)[-1]
