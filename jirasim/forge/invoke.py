"""`invokeRemote` from a Custom UI: forward to the module's remote with a FIT for the user, answer what it answered.

The path is resolved against the remote's `baseUrl` by the URL Standard's rules (as `@forge/bridge` documents:
`/tasks` on `https://x.example/app` is `https://x.example/tasks`). Timeout 25 s, no retry.
"""
from __future__ import annotations

import json
from urllib.parse import urljoin

import requests

from jirasim.forge import fit

RESERVED_HEADERS = ("authorization", "x-forge-oauth-system", "x-forge-oauth-user", "x-b3-traceid", "x-b3-spanid",
                    "host", "content-length")


class InvokeError(Exception):
    """The invocation could not be made: `status` (404, 400, 502) and a message for the JSON answer."""

    def __init__(self, status: int, message: str, kind: str = ""):
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind


def local_id(inst, module_key: str) -> str:
    """The `localId` of a module of a Jira page (one instance per module)."""
    app_uuid = inst.app_id.rsplit("/", 1)[-1]
    env = inst.environment_id.rsplit("/", 1)[-1]
    return f"ari:cloud:ecosystem::extension/{app_uuid}/{env}/static/{module_key}"


def find_module(site, body: dict):
    """(installation, UI module) named by `appId`/`moduleKey`, else the one of the extension's type, else the first."""
    apps = list(site.forge_apps.values())
    inst = site.forge_apps.get(body.get("appId")) if body.get("appId") else (apps[0] if apps else None)
    if inst is None:
        raise InvokeError(404, "No Forge app is installed on this site")
    kind = (body.get("extension") or {}).get("type")
    modules = inst.manifest.ui_modules
    module = (inst.manifest.ui_module(body["moduleKey"]) if body.get("moduleKey")
              else next((m for m in modules if m.kind == kind), modules[0] if modules else None))
    if module is None or module.endpoint is None:
        raise InvokeError(400, "The module has no resolver endpoint to invoke")
    return inst, module


def invoke(world, site, user, body: dict) -> tuple[int, str | None, bytes]:
    """(status, Content-Type, body) of the remote's answer; InvokeError when it cannot be reached."""
    if not isinstance(body.get("path"), str) or not isinstance(body.get("method"), str):
        raise InvokeError(400, "path and method are required")
    inst, module = find_module(site, body)
    endpoint = inst.manifest.endpoints[module.endpoint]
    base = inst.remote_base_url or inst.manifest.remote_base(endpoint.remote, inst.location)
    context = {"localId": body.get("localId") or local_id(inst, module.key), "cloudId": inst.cloud_id,
               "moduleKey": module.key, "siteUrl": site.base_url,
               "extension": body.get("extension") or {"type": module.kind}}
    policy = world.forge.policy
    token = fit.mint(fit.claims(inst, world.forge.sim_url(), module.kind, module.key, context=context,
                                principal=user.account_id if user else None, ttl=policy.fit_ttl))
    system = world.forge.tokens.for_installation(inst, policy.system_token_ttl) if endpoint.system_token else None
    custom = {k: str(v) for k, v in (body.get("headers") or {}).items() if k.lower() not in RESERVED_HEADERS}
    headers = {**custom, **fit.headers(token, system)}
    data = None
    if "body" in body and body["body"] is not None:
        data, headers["Content-Type"] = json.dumps(body["body"]), "application/json"
    try:
        answer = requests.request(body["method"].upper(), urljoin(base, body["path"]), data=data,
                                  headers=headers, timeout=policy.invoke_timeout, allow_redirects=False)
    except requests.Timeout:
        raise InvokeError(502, f"Remote invocation timed out after {policy.invoke_timeout:g} seconds",
                          "timeout") from None
    except requests.RequestException:
        raise InvokeError(502, "Invalid response from remote - remote network error", "network") from None
    return answer.status_code, answer.headers.get("Content-Type"), answer.content
