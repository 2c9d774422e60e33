"""Install an app from its descriptor URL (signed install), and its other lifecycle events."""
from __future__ import annotations

import json
import secrets
import uuid
from urllib.parse import urlsplit

import requests

from jirasim.connect import keys, tokens
from jirasim.store.apps import Installation

SERVER_VERSION = "100290"
PLUGINS_VERSION = "1001.0.0-SNAPSHOT"
TIMEOUT = 15


class InstallError(Exception):
    """An install or lifecycle call failed; carries the app's status code and body when there was one."""

    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.message, self.status, self.body = message, status, body

    def as_dict(self) -> dict:
        """JSON form for the control API."""
        return {"error": self.message, "appStatus": self.status, "appBody": self.body}


def client_key(site) -> str:
    """The site's clientKey: stable for a site base URL, like a Jira Cloud instance's."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, site.base_url))


def _payload(inst: Installation, site, event: str) -> dict:
    pem = keys.current().public_pem
    body = "".join(line for line in pem.splitlines() if "-----" not in line)
    return {"key": inst.app_key, "clientKey": inst.client_key, "publicKey": body,
            "sharedSecret": inst.shared_secret, "serverVersion": SERVER_VERSION,
            "pluginsVersion": PLUGINS_VERSION, "baseUrl": site.base_url, "displayUrl": site.base_url,
            "productType": "jira", "description": f"Atlassian JIRA at {site.base_url}",
            "eventType": event}


def _lifecycle_post(inst: Installation, site, event: str, signing: str) -> requests.Response | None:
    path = (inst.lifecycle or {}).get(event)
    if not path:
        return None
    url = inst.base_url + path
    if signing == "RS256":
        kp = keys.current()
        token = tokens.mint_rs256(kp.private_key, kp.kid, inst.client_key, inst.base_url, "POST",
                                  urlsplit(url).path, inst.base_path, sub=inst.account_id)
    else:
        token = tokens.mint_for_request(inst.shared_secret, inst.client_key, "POST", url, inst.base_path)
    try:
        response = requests.post(url, data=json.dumps(_payload(inst, site, event)), timeout=TIMEOUT,
                                 headers={"Authorization": f"JWT {token}", "Content-Type": "application/json",
                                          "User-Agent": "Atlassian Connect (jirasim)"})
    except requests.RequestException as exc:
        raise InstallError(f"{event} lifecycle call to {url} failed: {type(exc).__name__}") from None
    inst.log.append({"event": event, "status": response.status_code})
    return response


def fetch_descriptor(url: str) -> dict:
    """GET and parse an app descriptor."""
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise InstallError(f"descriptor {url} unreachable: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise InstallError(f"descriptor {url} answered {response.status_code}", response.status_code,
                           response.text[:2000])
    try:
        descriptor = response.json()
    except ValueError:
        raise InstallError(f"descriptor {url} is not JSON") from None
    for required in ("key", "baseUrl"):
        if not descriptor.get(required):
            raise InstallError(f"descriptor has no {required}")
    return descriptor


def install(world, site, descriptor_url: str) -> Installation:
    """Install (or reinstall) the app at `descriptor_url` on `site`; raises InstallError on failure."""
    descriptor = fetch_descriptor(descriptor_url)
    modules = descriptor.get("modules") or {}
    user = site.add_app_user(descriptor["key"])
    inst = Installation(
        app_key=descriptor["key"], descriptor=descriptor, base_url=descriptor["baseUrl"].rstrip("/"),
        client_key=client_key(site), shared_secret=secrets.token_urlsafe(48),
        scopes=[str(s).upper() for s in descriptor.get("scopes") or ["READ"]],
        webhooks=list(modules.get("webhooks") or []), modules=modules,
        lifecycle=descriptor.get("lifecycle") or {}, account_id=user.account_id)
    response = _lifecycle_post(inst, site, "installed", "RS256")
    if response is not None and not 200 <= response.status_code < 300:
        raise InstallError(f"the app answered {response.status_code} to the installed callback",
                           response.status_code, response.text[:2000])
    with world.lock:
        site.apps[inst.app_key] = inst
    return inst


def _installed(site, app_key: str) -> Installation:
    inst = site.apps.get(app_key)
    if inst is None:
        raise InstallError(f"app {app_key} is not installed on {site.name}", 404)
    return inst


def uninstall(world, site, app_key: str) -> int | None:
    """Uninstall: POST `uninstalled` (RS256) and forget the installation whatever the app answers."""
    inst = _installed(site, app_key)
    with world.lock:
        site.apps.pop(app_key, None)
    try:
        response = _lifecycle_post(inst, site, "uninstalled", "RS256")
    except InstallError:
        return None
    return response.status_code if response is not None else None


def set_enabled(world, site, app_key: str, enabled: bool) -> int | None:
    """Enable or disable the app: POST `enabled`/`disabled` signed HS256 with the shared secret."""
    inst = _installed(site, app_key)
    if not enabled:
        with world.lock:
            inst.enabled = False
    try:
        response = _lifecycle_post(inst, site, "enabled" if enabled else "disabled", "HS256")
    except InstallError:
        response = None
    if enabled:
        with world.lock:
            inst.enabled = True
    return response.status_code if response is not None else None
