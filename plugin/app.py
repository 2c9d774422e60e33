"""create_app(settings): builds the Runtime and hands the Flask app to the web layer; nothing else."""
from __future__ import annotations

from flask import Flask

from plugin import resources
from plugin.logs import configure_logging
from plugin.runtime import Runtime
from plugin.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the Flask app for `settings` (read from the environment when omitted)."""
    from plugin import web

    settings = settings or Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    app = Flask(__name__, template_folder=str(resources.templates_dir()),
                static_folder=str(resources.static_dir()), instance_path=str(settings.instance_path))
    app.extensions["work_sync"] = Runtime.build(settings)
    web.init_app(app)
    return app
