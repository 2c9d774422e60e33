"""`/api/blocks`: the sites this site accepts no synchronization request from (Jira admins of this site).

Views are thin: parse, call one domain function, commit, render.
"""
from __future__ import annotations

from flask import jsonify

from plugin.models.base import iso
from plugin.models.blocks import SiteBlock
from plugin.syncs import requests_guard
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, field
from plugin.web.auth import page_user_request
from plugin.web.body import json_body
from plugin.web.context import db, runtime

ROOT = "/blocks"


def block_json(block: SiteBlock) -> dict:
    """One block as the API shows it: the blocked site's URLs, who blocked it and when."""
    blocked = block.blocked_tenant
    return {"id": str(block.id), "site": blocked.base_url, "displayUrl": blocked.display_url or blocked.base_url,
            "blockedBy": block.created_by, "blockedAt": iso(block.created_at)}


@bp.get(ROOT)
@page_user_request
def list_blocks():
    """The sites this site blocks."""
    found = requests_guard.blocks_of(db(), actor(), runtime().permissions)
    return jsonify({"blocks": [block_json(block) for block in found]})


@bp.post(ROOT)
@page_user_request
def create_block():
    """Block a site: its requests to this site answer 403 and store nothing (201 new, 200 already blocked)."""
    who = actor()
    runtime().permissions.require_site_admin(who, "to block another site")  # before the body is read
    site = field(json_body(), "site", str, required=True)
    session = db()
    block, made = requests_guard.block(session, who, site, runtime().permissions)
    session.commit()
    return jsonify(block_json(block)), 201 if made else 200


@bp.delete(ROOT + "/<block_id>")
@page_user_request
def delete_block(block_id: str):
    """Unblock a site (404 for a block of another site)."""
    session = db()
    requests_guard.unblock(session, actor(), block_id, runtime().permissions)
    session.commit()
    return "", 204
