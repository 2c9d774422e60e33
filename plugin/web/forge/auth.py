"""Verifying the FIT of a request (`Authorization: Bearer`), for the /forge routes and the App JSON API."""
from __future__ import annotations

from flask import request

from plugin.forge import fit
from plugin.forge.fit import Invocation
from plugin.web.context import runtime


def verified_invocation() -> Invocation:
    """The request's verified FIT; AuthError (401) for anything wrong, including Forge being off."""
    rt = runtime()
    settings = rt.settings
    token = fit.bearer(request.headers.get("Authorization"))
    return fit.verify(token, rt.forge_keys, app_id=settings.forge_app_id, api_hosts=settings.forge_api_hosts,
                      production=settings.production)
