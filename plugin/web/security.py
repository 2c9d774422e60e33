"""Response headers: a Content-Security-Policy with a fresh script nonce per response, whose frame-ancestors
allows only the tenant's site origins."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, g

from plugin.connect.site_urls import origin
from plugin.web.context import runtime


def csp_nonce() -> str:
    """This response's script nonce (templates put it on every <script>); made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def frame_ancestors(tenant) -> str:
    """The CSP source list of origins that may frame our pages for `tenant` (parsed, never copied)."""
    origins = sorted({found for url in (tenant.base_url, tenant.display_url) if url and (found := origin(url))})
    return " ".join(origins) or "'none'"


def register(app: Flask) -> None:
    """Add security headers to every response, and `csp_nonce()` to the templates."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        tenant = g.get("tenant")
        all_js = urlsplit(runtime().settings.all_js_url)
        ancestors = frame_ancestors(tenant) if tenant is not None else "'none'"
        nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
        response.headers["Content-Security-Policy"] = (
            f"frame-ancestors {ancestors}; default-src 'self'; "
            f"script-src 'self' {all_js.scheme}://{all_js.netloc}{nonce}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "base-uri 'none'; form-action 'self'; object-src 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if tenant is not None or response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
