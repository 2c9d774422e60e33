"""The `/_sim` control API (JSON): faults, counters, request log, reset, app lifecycle, webhook flush."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from jirasim.connect import install as lifecycle
from jirasim.connect import webhooks
from jirasim.faults import FaultPlan


def plan(world) -> FaultPlan:
    """The world's FaultPlan, installed in place of any no-op default."""
    with world.lock:
        if not isinstance(getattr(world, "faults", None), FaultPlan):
            world.faults = FaultPlan()
        return world.faults


def _site(world, name: str):
    site = world.sites.get(name)
    if site is None:
        abort(404, description=f"no site {name}")
    return site


def _installation(inst) -> dict:
    return {"key": inst.app_key, "baseUrl": inst.base_url, "clientKey": inst.client_key, "enabled": inst.enabled,
            "scopes": inst.scopes, "accountId": inst.account_id, "webhooks": inst.webhooks,
            "lifecycleCalls": inst.log}


def _clear(container) -> None:
    if container is not None and hasattr(container, "clear"):
        container.clear()


def control_blueprint(world) -> Blueprint:
    """Blueprint with every `/_sim` route."""
    bp = Blueprint("jirasim_control", __name__, url_prefix="/_sim")
    faults = plan(world)
    dispatcher = webhooks.attach(world)

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
            allowed = {"site", "endpoint", "count", "seconds", "status", "retry_after", "ms"}
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
            items = list((getattr(world, "calls", None) or {}).items())
        out = {}
        for key, count in items:
            if wanted and isinstance(key, tuple) and key[0] != wanted:
                continue
            out[" ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)] = count
        return jsonify(out)

    @bp.get("/requests")
    def requests_log():
        log = list(getattr(world, "request_log", []) or [])
        limit = request.args.get("limit", type=int)
        return jsonify(log[-limit:] if limit else log)

    @bp.post("/reset")
    def reset():
        body = request.get_json(force=True, silent=True) or {}
        faults.clear()
        dispatcher.clear()
        with world.lock:
            _clear(getattr(world, "calls", None))
            _clear(getattr(world, "request_log", None))
        if body.get("data") and hasattr(world, "reset"):
            world.reset()
        return jsonify({"reset": True, "data": bool(body.get("data"))})

    @bp.get("/sites/<site_name>/apps")
    def site_apps(site_name):
        site = _site(world, site_name)
        return jsonify([_installation(i) for i in lifecycle.apps(site).values()])

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
        key = body.get("app_key") or next(iter(lifecycle.apps(site)), None)
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

    @bp.post("/webhooks/flush")
    def flush():
        body = request.get_json(force=True, silent=True) or {}
        done = dispatcher.flush(float(body.get("timeout", 10)))
        return jsonify({"flushed": done}), 200 if done else 504

    @bp.get("/webhooks")
    def deliveries():
        return jsonify(list(dispatcher.log))

    return bp
