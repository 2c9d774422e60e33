"""The Connect host's root routes: the install-key server, `all.js`/`host.js`, and every site's host pages."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

from jirasim.connect import keys
from jirasim.connect.pages import pages_blueprint

PACKAGE = Path(__file__).resolve().parent.parent


def host_blueprint(world) -> Blueprint:
    """Root-mounted blueprint: `/_keys/<kid>`, `/_static/*` and the per-site host pages."""
    bp = Blueprint("jirasim_connect", __name__, template_folder=str(PACKAGE / "templates"))
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

    bp.register_blueprint(pages_blueprint(world))
    return bp
