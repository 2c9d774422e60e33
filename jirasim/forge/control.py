"""The Forge part of the `/_sim` control API: install from a manifest, uninstall, triggers, settings, the log."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from jirasim.forge import install as lifecycle
from jirasim.forge.manifest import ManifestError
from jirasim.forge.schema import AtlassianFiles

# The data residency locations of Forge realm pinning (the region keys of a remote's `baseUrl`).
LOCATIONS = ("EU", "US", "AU", "DE", "SG", "CA", "IN", "KR", "JP", "GB", "CH")


def installation(inst) -> dict:
    """JSON form of a Forge installation."""
    return {"installationId": inst.installation_id, "cloudId": inst.cloud_id, "appId": inst.app_id,
            "appVersion": inst.app_version, "accountId": inst.account_id, "scopes": inst.scopes,
            "remoteBaseUrl": inst.remote_base_url, "location": inst.location, "resources": inst.resources,
            "lifecycle": inst.log}


def control_blueprint(world) -> Blueprint:
    """Blueprint with the `/_sim` routes of the Forge platform."""
    bp = Blueprint("jirasim_forge_control", __name__, url_prefix="/_sim")
    forge = world.forge

    def site_of(name):
        site = world.sites.get(name)
        if site is None:
            abort(404, description=f"no site {name}")
        return site

    def body() -> dict:
        found = request.get_json(force=True, silent=True)
        return found if isinstance(found, dict) else {}

    @bp.get("/sites/<site_name>/forge/apps")
    def apps(site_name):
        return jsonify([installation(i) for i in site_of(site_name).forge_apps.values()])

    @bp.post("/sites/<site_name>/forge/install")
    def install(site_name):
        site, given = site_of(site_name), body()
        if not isinstance(given.get("manifest"), str):
            return jsonify({"error": "manifest (the text of manifest.yml) is required"}), 400
        if "location" in given:  # the site's data residency location (an admin's pin, or where it is provisioned)
            if given["location"] is not None and given["location"] not in LOCATIONS:
                return jsonify({"error": f"location must be one of {', '.join(LOCATIONS)} or null"}), 400
            site.data_residency = given["location"]
        try:
            inst, event = lifecycle.install(world, site, given["manifest"],
                                            remote_base_url=given.get("remote_base_url"),
                                            resources=given.get("resources"), app_dir=given.get("app_dir"),
                                            installer=given.get("installerAccountId"))
        except ManifestError as exc:
            return jsonify({"error": "invalid manifest", "problems": exc.problems,
                            "source": forge.files.source if forge.files else "built-in check"}), 400
        answer = {"installationId": inst.installation_id, "cloudId": inst.cloud_id, "appId": inst.app_id,
                  "appVersion": inst.app_version, "event": event}
        return jsonify(answer), 201 if event == "avi:forge:installed:app" else 200

    @bp.post("/sites/<site_name>/forge/uninstall")
    def uninstall(site_name):
        site, given = site_of(site_name), body()
        app_id = given.get("appId") or next(iter(site.forge_apps), None)
        inst = lifecycle.uninstall(world, site, app_id) if app_id else None
        if inst is None:
            return jsonify({"error": f"app {app_id} is not installed on {site_name}"}), 404
        return jsonify({"uninstalled": inst.installation_id, "appId": inst.app_id})

    @bp.post("/sites/<site_name>/forge/scheduled/fire")
    def fire(site_name):
        site, given = site_of(site_name), body()
        app_id = given.get("appId") or next(iter(site.forge_apps), None)
        inst = site.forge_apps.get(app_id) if app_id else None
        if inst is None:
            return jsonify({"error": "no such Forge installation"}), 404
        return jsonify({"fired": forge.scheduler.fire_now(site, inst, given.get("key"))})

    @bp.get("/forge/settings")
    def settings():
        return jsonify(forge.policy.as_dict())

    @bp.post("/forge/settings")
    def configure():
        try:
            return jsonify(forge.configure(**body()).as_dict())
        except (TypeError, ValueError, AttributeError) as exc:
            return jsonify({"error": str(exc)}), 400

    @bp.get("/forge/manifest-schema")
    def schema():
        return jsonify(forge.files.as_dict() if forge.files else None)

    @bp.post("/forge/manifest-schema")
    def load_schema():
        given = body()
        try:
            forge.files = AtlassianFiles.from_package(given["package_dir"]) if given.get("package_dir") else None
        except (OSError, ValueError, KeyError) as exc:
            return jsonify({"error": f"cannot read @forge/manifest files: {exc}"}), 400
        return jsonify(forge.files.as_dict() if forge.files else None)

    @bp.post("/forge/flush")
    def flush():
        given = body()
        done = forge.flush(float(given.get("timeout", 10)), skip_delays=bool(given.get("skip_delays")))
        return jsonify({"flushed": done}), 200 if done else 504

    @bp.get("/forge/invocations")
    def invocations():
        with forge.sender.cond:
            return jsonify(list(forge.sender.log))

    @bp.get("/forge/invocations/pending")
    def pending():
        return jsonify(forge.sender.pending())

    return bp
