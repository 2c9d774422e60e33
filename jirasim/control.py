"""The `/_sim` control API (JSON): faults, rate limits, counters, request log, reset, app lifecycle, webhooks."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from jirasim.connect import install as lifecycle
from jirasim.store.permissions import is_project_permission
from jirasim.world import World


def _site(world, name: str):
    site = world.sites.get(name)
    if site is None:
        abort(404, description=f"no site {name}")
    return site


def _installation(inst) -> dict:
    return {"key": inst.app_key, "baseUrl": inst.base_url, "clientKey": inst.client_key, "enabled": inst.enabled,
            "scopes": inst.scopes, "accountId": inst.account_id, "webhooks": inst.webhooks,
            "lifecycleCalls": inst.log}


def _configured(configure, body: dict):
    """Apply settings from a JSON body: 200 with the new settings, 400 for an unknown or invalid one."""
    try:
        settings = configure(**body)
    except (TypeError, ValueError, AttributeError) as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify(settings.as_dict())


def control_blueprint(world: World) -> Blueprint:
    """Blueprint with every `/_sim` route."""
    bp = Blueprint("jirasim_control", __name__, url_prefix="/_sim")
    faults, dispatcher = world.faults, world.webhooks

    @bp.get("/faults")
    def get_faults():
        return jsonify(faults.as_dict())

    @bp.post("/faults")
    def add_fault():
        body = request.get_json(force=True, silent=True) or {}
        kind = body.pop("kind", None)
        try:
            if kind == "search_lag":
                faults.set_search_lag(body.get("site") or "*", int(body.get("ms", 0)))
                return jsonify(faults.as_dict()), 201
            if kind == "webhooks":
                faults.webhooks.configure(body.get("delay_ms"), body.get("duplicate"), body.get("drop"),
                                          body.get("reorder"))
                return jsonify(faults.webhooks.as_dict()), 201
            allowed = {"site", "endpoint", "method", "count", "seconds", "status", "retry_after", "ms", "reason"}
            rule = faults.add(kind, **{k: v for k, v in body.items() if k in allowed})
        except (TypeError, ValueError) as exc:
            return jsonify({"error": str(exc)}), 400
        return jsonify(rule.as_dict()), 201

    @bp.delete("/faults")
    def clear_faults():
        faults.clear()
        return jsonify(faults.as_dict())

    @bp.get("/calls")
    def calls():
        wanted = request.args.get("site")
        with world.lock:
            items = list(world.calls.items())
        return jsonify({" ".join(str(k) for k in key): count for key, count in items
                        if not wanted or key[0] == wanted})

    @bp.get("/requests")
    def requests_log():
        with world.lock:
            log = list(world.request_log)
        limit = request.args.get("limit", type=int)
        return jsonify(log[-limit:] if limit else log)

    @bp.post("/reset")
    def reset():
        body = request.get_json(force=True, silent=True) or {}
        faults.clear()
        dispatcher.clear()
        world.forge.clear()
        world.limits.reset()
        with world.lock:
            world.calls.clear()
            world.request_log.clear()
        if body.get("data"):
            world.reset()
        return jsonify({"reset": True, "data": bool(body.get("data"))})

    @bp.get("/sites/<site_name>/apps")
    def site_apps(site_name):
        site = _site(world, site_name)
        return jsonify([_installation(i) for i in site.apps.values()])

    @bp.post("/sites/<site_name>/install")
    def install(site_name):
        site = _site(world, site_name)
        body = request.get_json(force=True, silent=True) or {}
        if not body.get("descriptor_url"):
            return jsonify({"error": "descriptor_url is required"}), 400
        try:
            inst = lifecycle.install(world, site, body["descriptor_url"])
        except lifecycle.InstallError as exc:
            return jsonify(exc.as_dict()), 502 if exc.status is None else 409
        return jsonify(_installation(inst)), 201

    def _lifecycle(site_name, action):
        site = _site(world, site_name)
        body = request.get_json(force=True, silent=True) or {}
        key = body.get("app_key") or next(iter(site.apps), None)
        try:
            if action == "uninstall":
                status = lifecycle.uninstall(world, site, key)
            else:
                status = lifecycle.set_enabled(world, site, key, action == "enable")
        except lifecycle.InstallError as exc:
            return jsonify(exc.as_dict()), exc.status or 400
        return jsonify({"app_key": key, "action": action, "appStatus": status})

    for action in ("uninstall", "enable", "disable"):
        bp.add_url_rule(f"/sites/<site_name>/{action}", f"lifecycle_{action}",
                        lambda site_name, _a=action: _lifecycle(site_name, _a), methods=["POST"])

    @bp.route("/sites/<site_name>/attachments", methods=["GET", "POST"])
    def attachment_settings(site_name):
        """A site's attachment settings (System → Attachments): `{"enabled"?: bool, "uploadLimit"?: bytes}`."""
        site = _site(world, site_name)
        body = request.get_json(force=True, silent=True) or {} if request.method == "POST" else {}
        limit, enabled = body.get("uploadLimit"), body.get("enabled")
        if (limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0)) or \
                (enabled is not None and not isinstance(enabled, bool)):
            return jsonify({"error": "uploadLimit is a number of bytes, enabled true or false"}), 400
        with world.lock:
            if limit is not None:
                site.attachment_limit = limit
            if enabled is not None:
                site.attachments_enabled = enabled
            return jsonify({"enabled": site.attachments_enabled, "uploadLimit": site.attachment_limit})

    @bp.post("/sites/<site_name>/projects/<key>/permissions")
    def project_permissions(site_name, key):
        """Grant or revoke project permissions of one user or app user (an admin editing the permission scheme)."""
        site = _site(world, site_name)
        body = request.get_json(force=True, silent=True) or {}
        grant, revoke = list(body.get("grant") or []), list(body.get("revoke") or [])
        unknown = [k for k in grant + revoke if not isinstance(k, str) or not is_project_permission(k)]
        if unknown:
            return jsonify({"error": f"unknown project permissions: {unknown}"}), 400
        with world.lock:
            project = site.project(key)
            account_id = body.get("accountId") or (site.apps[body["app"]].account_id
                                                   if body.get("app") in site.apps else None)
            if project is None or site.user(account_id) is None:
                return jsonify({"error": "give an existing project and an accountId or an installed app key"}), 404
            held = project.grants.setdefault(account_id, set())
            held.update(grant)
            held.difference_update(revoke)
            return jsonify({"project": project.key, "accountId": account_id, "permissions": sorted(held)})

    @bp.post("/webhooks/flush")
    def flush():
        body = request.get_json(force=True, silent=True) or {}
        timeout, skip = float(body.get("timeout", 10)), bool(body.get("skip_delays"))
        done = dispatcher.flush(timeout, skip_delays=skip) and world.forge.flush(timeout, skip_delays=skip)
        return jsonify({"flushed": done}), 200 if done else 504

    @bp.get("/webhooks")
    def deliveries():
        with dispatcher.cond:
            return jsonify(list(dispatcher.log))

    @bp.get("/webhooks/pending")
    def pending():
        return jsonify(dispatcher.pending())

    @bp.get("/webhooks/settings")
    def delivery_settings():
        return jsonify(dispatcher.policy.as_dict())

    @bp.post("/webhooks/settings")
    def configure_delivery():
        body = request.get_json(force=True, silent=True) or {}
        return _configured(dispatcher.configure, body)

    @bp.get("/limits")
    def limits():
        return jsonify(world.limits.as_dict())

    @bp.post("/limits")
    def configure_limits():
        body = request.get_json(force=True, silent=True) or {}
        return _configured(world.limits.configure, body)

    @bp.post("/limits/reset")
    def reset_limits():
        world.limits.reset()
        return jsonify(world.limits.as_dict())

    return bp
