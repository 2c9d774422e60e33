"""Forge's routes beside the Connect host: the JWKS, `invoke-remote`, Custom UI resources and their host pages.

Host pages are `/{site}/jira/settings/apps/{app}/{module}` (a `jira:adminPage`, for Jira admins) and
`/{site}/jira/projects/{key}/settings/apps/{app}/{module}` (a `jira:projectSettingsPage`, for project admins);
the issue view shows `jira:issueContext` modules. Each embeds the module's resource, served from
`/{site}/_forge/resources/{installation}/{resource}/...` with the `@forge/bridge` shim injected.
"""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, render_template, request, send_from_directory

from jirasim.connect import restclient as rest
from jirasim.connect.pages import current_user, humans, permissions
from jirasim.forge import keys
from jirasim.forge.invoke import InvokeError, invoke, local_id

SHIM = '<script src="/_static/forge-bridge.js"></script>'


def modules_of(site, kind: str) -> list:
    """(installation, module) of every hosted UI module of a kind on a site."""
    return [(i, m) for i in list(site.forge_apps.values()) for m in i.manifest.ui_modules if m.kind == kind]


def frame_context(site, user, inst, module, extension: dict) -> dict:
    """What `view.getContext()` answers inside the module's frame."""
    return {"accountId": user.account_id if user else None, "cloudId": inst.cloud_id, "extension": extension,
            "localId": local_id(inst, module.key), "locale": "en-US", "moduleKey": module.key,
            "siteUrl": site.base_url, "timezone": user.time_zone if user else "UTC"}


def issue_extension(issue: dict, page_url: str) -> dict:
    """The extension data of a `jira:issueContext` for an issue as the REST API shows it."""
    fields = issue.get("fields") or {}
    kind, project = fields.get("issuetype") or {}, fields.get("project") or {}
    return {"type": "jira:issueContext", "issue": {"id": str(issue.get("id")), "key": issue.get("key"),
                                                   "type": kind.get("name"), "typeId": str(kind.get("id"))},
            "project": {"id": str(project.get("id")), "key": project.get("key"),
                        "type": project.get("projectTypeKey", "software")}, "location": page_url}


def pages_blueprint(world) -> Blueprint:
    """Root-mounted blueprint with the Forge routes and host pages of every site."""
    bp = Blueprint("jirasim_forge", __name__)
    keys.current()

    def site_or_404(name):
        site = world.sites.get(name)
        if site is None:
            abort(404)
        return site

    @bp.app_context_processor
    def helpers():
        return {"forge_modules": modules_of, "forge_frame_context": frame_context,
                "forge_issue_extension": issue_extension, "forge_current_user": current_user}

    @bp.get("/_forge/.well-known/jwks.json")
    def jwks():
        return jsonify(keys.jwks())

    @bp.get("/<site_name>/_edge/tenant_info")
    def tenant_info(site_name):
        return jsonify({"cloudId": site_or_404(site_name).cloud_id})

    @bp.post("/<site_name>/_forge/invoke-remote")
    def invoke_remote(site_name):
        site = site_or_404(site_name)
        body = request.get_json(force=True, silent=True)
        try:
            status, content_type, data = invoke(world, site, current_user(site), body if isinstance(body, dict) else {})
        except InvokeError as exc:
            headers = {"X-Jirasim-Forge-Error": exc.kind} if exc.kind else {}
            return Response(json.dumps({"message": exc.message}), status=exc.status, mimetype="application/json",
                            headers=headers)
        headers = {"Content-Type": content_type} if content_type else {}
        response = Response(data, status=status, headers=headers)
        if not content_type:
            del response.headers["Content-Type"]
        return response

    @bp.get("/<site_name>/_forge/resources/<installation>/<resource>/", defaults={"name": "index.html"})
    @bp.get("/<site_name>/_forge/resources/<installation>/<resource>/<path:name>")
    def resource_file(site_name, installation, resource, name):
        site = site_or_404(site_name)
        inst = next((i for i in site.forge_apps.values() if i.uuid == installation), None)
        folder = inst.resources.get(resource) if inst is not None else None
        if folder is None or not (Path(folder) / name).is_file():
            abort(404)
        if not name.endswith(".html"):
            return send_from_directory(folder, name, max_age=0)
        html = (Path(folder) / name).read_text(encoding="utf-8")
        html = html.replace("<head>", "<head>" + SHIM, 1) if "<head>" in html else SHIM + html
        return Response(html, mimetype="text/html")

    def module_page(site, app_uuid, module_key, kind, extension, allowed):
        user = current_user(site)
        inst = next((i for i in site.forge_apps.values() if i.app_id.endswith("/" + app_uuid)), None)
        module = inst.manifest.ui_module(module_key) if inst is not None else None
        if module is None or module.kind != kind:
            abort(404)
        page = {"site": site, "user": user, "users": humans(site), "error": None,
                "apps": [i for i in site.apps.values() if i.enabled]}
        if not allowed(permissions(site, user, (extension.get("project") or {}).get("id"))):
            return render_template("host_forbidden.html", module={"key": module.key}, **page), 403
        return render_template("host_forge_module.html", inst=inst, module=module,
                               context=frame_context(site, user, inst, module, extension), **page)

    @bp.get("/<site_name>/jira/settings/apps/<app_uuid>/<module_key>")
    def admin_page(site_name, app_uuid, module_key):
        site = site_or_404(site_name)
        extension = {"type": "jira:adminPage", "location": request.url}
        return module_page(site, app_uuid, module_key, "jira:adminPage", extension,
                           lambda perms: perms("ADMINISTER", None))

    @bp.get("/<site_name>/jira/projects/<key>/settings/apps/<app_uuid>/<module_key>")
    def project_settings_page(site_name, key, app_uuid, module_key):
        site = site_or_404(site_name)
        try:
            project = rest.call(site, current_user(site), "GET", f"/rest/api/3/project/{key}")
        except rest.RestError:
            abort(404)
        extension = {"type": "jira:projectSettingsPage", "location": request.url,
                     "project": {"id": str(project["id"]), "key": project["key"],
                                 "type": project.get("projectTypeKey", "software")}}
        return module_page(site, app_uuid, module_key, "jira:projectSettingsPage", extension,
                           lambda perms: perms("ADMINISTER_PROJECTS", True))

    return bp
