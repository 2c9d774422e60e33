"""Connect host side of the simulator: key server, install, app JWT auth, webhooks, host pages, `/_sim`."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

from jirasim.connect import keys

PACKAGE = Path(__file__).resolve().parent.parent


def blueprint(world) -> Blueprint:
    """Root-mounted blueprint: `/_keys/<kid>`, `/_static/*`, `/_sim/*` and the per-site host pages."""
    from jirasim.connect import pages, webhooks
    from jirasim.control import control_blueprint

    bp = Blueprint("jirasim_connect", __name__, template_folder=str(PACKAGE / "templates"))
    webhooks.attach(world)
    keys.current()

    @bp.get("/_keys/<kid>")
    def public_key(kid):
        pem = keys.public_pem(kid)
        if pem is None:
            abort(404)
        return Response(pem, mimetype="application/x-pem-file")

    @bp.get("/_static/<path:name>")
    def static_file(name):
        return send_from_directory(PACKAGE / "static", name, max_age=0)

    bp.register_blueprint(control_blueprint(world))
    bp.register_blueprint(pages.pages_blueprint(world))
    return bp
