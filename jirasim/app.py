"""`create_app(world)`: the Flask app serving every site's REST API (and its product API gateway), the Connect host,
the Forge platform and the `/_sim` control API."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from jirasim.connect.routes import host_blueprint
from jirasim.control import control_blueprint
from jirasim.errors import JiraError
from jirasim.forge.control import control_blueprint as forge_control_blueprint
from jirasim.forge.graphql import graphql_blueprint
from jirasim.forge.pages import pages_blueprint as forge_pages_blueprint
from jirasim.rest import site_blueprint
from jirasim.rest.media import media_blueprint
from jirasim.world import World


def create_app(world: World) -> Flask:
    """The simulator's WSGI app for `world` (start the world to have webhooks delivered)."""
    root = str(Path(__file__).resolve().parent)
    app = Flask("jirasim", root_path=root, instance_path=root)  # explicit: Flask cannot infer it from every cwd
    app.config["MAX_CONTENT_LENGTH"] = None
    app.extensions["jirasim_world"] = world
    app.register_blueprint(site_blueprint(world))
    app.register_blueprint(site_blueprint(world, gateway=True))
    app.register_blueprint(media_blueprint(world))
    app.register_blueprint(host_blueprint(world))
    app.register_blueprint(control_blueprint(world))
    app.register_blueprint(forge_pages_blueprint(world))
    app.register_blueprint(forge_control_blueprint(world))
    app.register_blueprint(graphql_blueprint(world))

    @app.errorhandler(JiraError)
    def jira_error(exc: JiraError):
        return exc.response()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if "/rest/" not in request.path:
            return exc
        message = {404: "Not found.", 405: "Method not allowed."}.get(exc.code, exc.description)
        return Response(json.dumps({"errorMessages": [message], "errors": {}}), status=exc.code,
                        mimetype="application/json")

    return app
