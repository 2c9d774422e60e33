"""`POST /api/synchronizations/{id}/pairing/preview`: the pairs the initial sync would make of existing issues, the
refusals and how many partners it would create — a dry run, nothing written; with `csv`, an upload of key pairs
checked line by line against both projects before it is saved into the configuration."""
from __future__ import annotations

import jsonschema
from flask import jsonify

from plugin.config.schema import DOCUMENT_SCHEMA
from plugin.engine import pairing
from plugin.engine.compiled import compile_for
from plugin.engine.passes import SyncPass
from plugin.errors import Conflict, Unprocessable
from plugin.syncs import access
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, field
from plugin.web.api.syncs import ONE
from plugin.web.auth import page_user_request
from plugin.web.body import json_body
from plugin.web.context import db, runtime

MAX_CSV = 1024 * 1024


@bp.post(ONE + "/pairing/preview")
@page_user_request
def pairing_preview(sync_id: str):
    """Pair the existing issues of both projects as the published configuration (or `pairing`) says; nothing is
    written."""
    body = json_body()
    chosen = field(body, "pairing", dict)
    text = field(body, "csv", str)
    if chosen is not None:
        errors = list(jsonschema.Draft202012Validator(DOCUMENT_SCHEMA["properties"]["pairing"]).iter_errors(chosen))
        if errors:
            raise Unprocessable("pairing is not a valid pairing section",
                                [{"path": "/pairing/" + "/".join(map(str, e.absolute_path)),
                                  "message": e.message[:300]} for e in errors[:20]])
    if text is not None and len(text) > MAX_CSV:
        raise Unprocessable("the CSV is larger than 1 MB", [{"path": "csv", "message": "at most 1 MB"}])
    session = db()
    sync, _ = access.read(session, actor(), sync_id, runtime().permissions)
    compiled = compile_for(session, runtime().tools, sync)
    if compiled is None:
        raise Conflict("This synchronization has no published configuration yet: publish one, then preview pairing.")
    run = SyncPass(session, runtime().tools, sync, compiled, "preview")
    answer = pairing.preview(run, chosen, text)
    session.rollback()  # a preview stores nothing
    return jsonify(answer)
