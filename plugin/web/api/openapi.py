"""GET /api/openapi.json: the API's own description (openapi.yaml beside this module), served as JSON."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from flask import jsonify

from plugin.config.schema import DOCUMENT_SCHEMA
from plugin.web.api.blueprint import bp

DOCUMENT = Path(__file__).resolve().parent / "openapi.yaml"


@lru_cache(maxsize=1)
def document() -> dict:
    """The OpenAPI 3.1 document of the App JSON API (the configuration's schema comes from its one source)."""
    loaded = yaml.safe_load(DOCUMENT.read_text())
    doc = {key: value for key, value in DOCUMENT_SCHEMA.items() if key != "$schema"}
    loaded["components"]["schemas"]["Doc"] = doc
    return loaded


@bp.get("/openapi.json")
def openapi_json():
    """The API description (public: it holds no data)."""
    return jsonify(document())
