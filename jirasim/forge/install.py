"""Install a Forge app from its manifest, upgrade it (major or minor), and uninstall it, as Forge does.

Install sends `avi:forge:installed:app`; a reinstall after an uninstall is a new installation (new
`installationId`, same `cloudId`). Installing a new manifest of an installed app upgrades it: a major upgrade
(new scopes, or a new or changed remote) sends `avi:forge:upgraded:app`, a minor one sends nothing. Uninstall
sends no lifecycle event (Forge has none, FRGE-1246); a `preUninstall` endpoint is called once, its answer
ignored. Afterwards the installation's tokens are refused and its triggers stop.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import requests

from jirasim.forge import fit, manifest
from jirasim.forge.delivery import remote_url
from jirasim.forge.manifest import ManifestError
from jirasim.store.forge import ForgeInstallation

PRE_UNINSTALL_TIMEOUT = 55


def read(files, text: str) -> manifest.Manifest:
    """Parse and check a manifest: Atlassian's schema and event→scope mapping when loaded, the built-in check always."""
    data = manifest.load(text)
    if files is not None and (problems := files.schema_problems(data)):
        raise ManifestError(problems)
    parsed = manifest.parse(data)
    if files is not None and (problems := files.missing_event_scopes(parsed.triggers, parsed.scopes)):
        raise ManifestError(problems)
    return parsed


def _resources(parsed, resources: dict | None, app_dir: str | None) -> dict[str, str]:
    """Resource key → directory of its static files (explicit ones win over `app_dir/<resource.path>`)."""
    found = {key: str(Path(app_dir) / path) for key, path in parsed.resources.items()} if app_dir else {}
    found.update({str(k): str(v) for k, v in (resources or {}).items()})
    return found


def _app_body(inst) -> dict:
    app_uuid = inst.app_id.rsplit("/", 1)[-1]
    return {"id": inst.uuid, "app": {"id": app_uuid, "version": inst.app_version},
            "environment": {"id": inst.environment_id.rsplit("/", 1)[-1]}}


def _egress(parsed, remote_base_url: str | None) -> set[str]:
    return {remote_base_url} if remote_base_url else parsed.egress()


def install(world, site, text: str, *, remote_base_url=None, resources=None, app_dir=None, installer=None):
    """Install or upgrade; (installation, the lifecycle event sent or None). ManifestError when refused."""
    parsed = read(world.forge.files, text)
    found = _resources(parsed, resources, app_dir)
    with world.lock:
        inst = site.forge_apps.get(parsed.app_id)
        if inst is not None:
            major = (not set(parsed.scopes) <= set(inst.scopes)
                     or not _egress(parsed, remote_base_url) <= _egress(inst.manifest, inst.remote_base_url))
            inst.manifest, inst.remote_base_url, inst.resources = parsed, remote_base_url, found
            inst.major, inst.minor = (inst.major + 1, 0) if major else (inst.major, inst.minor + 1)
        else:
            app_uuid = parsed.app_id.rsplit("/", 1)[-1]
            env = uuid.uuid5(uuid.NAMESPACE_URL, parsed.app_id + "#development")
            user = site.add_app_user(parsed.app_id, display_name=f"Forge app {app_uuid[:8]}")
            inst = ForgeInstallation(f"ari:cloud:ecosystem::installation/{uuid.uuid4()}", parsed.app_id,
                                     site.cloud_id, user.account_id, parsed, remote_base_url, found,
                                     environment_id=f"ari:cloud:ecosystem::environment/{app_uuid}/{env}")
            # Realm pinning: the site's location when the manifest has a URL for it, else the global default.
            location = site.data_residency
            inst.location = location if any(location in urls for urls in parsed.regional.values()) else None
            site.forge_apps[parsed.app_id] = inst
            major = None
    if major is None:
        event = "avi:forge:installed:app"
        body = {**_app_body(inst), **({"installerAccountId": installer} if installer else {})}
    elif major:
        event = "avi:forge:upgraded:app"
        body = {**_app_body(inst), **({"upgraderAccountId": installer} if installer else {}),
                "permissions": {"scopes": list(parsed.scopes)}}
    else:
        event, body = None, {}
    if event:
        world.forge.lifecycle(site, inst, event, body)
    inst.log.append({"event": event or "minor upgrade", "version": inst.app_version})
    return inst, event


def uninstall(world, site, app_id: str) -> ForgeInstallation | None:
    """Remove the installation (None when not installed), after calling its `preUninstall` endpoints once."""
    inst = site.forge_apps.get(app_id)
    if inst is None:
        return None
    for trigger in inst.manifest.pre_uninstall:
        endpoint = inst.manifest.endpoints[trigger.endpoint]
        token = fit.mint(fit.claims(inst, world.forge.sim_url(), fit.BACKEND_MODULE, endpoint.key,
                                    ttl=world.forge.policy.fit_ttl))
        system = world.forge.tokens.for_installation(inst, world.forge.policy.system_token_ttl) \
            if endpoint.system_token else None
        body = {"payload": {"context": {"cloudId": inst.cloud_id, "moduleKey": trigger.key}, "contextToken": ""}}
        try:
            requests.post(remote_url(inst, endpoint), json=body, headers=fit.headers(token, system),
                          timeout=PRE_UNINSTALL_TIMEOUT)
        except requests.RequestException:
            pass  # non-blocking: the uninstallation goes on
    with world.lock:
        site.forge_apps.pop(app_id, None)
    world.forge.tokens.forget(inst.installation_id)
    return inst
