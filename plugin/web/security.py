"""Response headers: a Content-Security-Policy whose frame-ancestors allows only the tenant's site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g

from plugin.runtime import runtime


def register(app: Flask) -> None:
    """Add security headers to every response."""

    @app.after_request
    def _headers(response):
        tenant = g.get("tenant")
        all_js = urlsplit(runtime().settings.all_js_url)
        ancestors = " ".join(tenant.frame_ancestors) if tenant is not None else "'none'"
        response.headers["Content-Security-Policy"] = (
            f"frame-ancestors {ancestors}; default-src 'self'; "
            f"script-src 'self' {all_js.scheme}://{all_js.netloc} 'nonce-{g.get('csp_nonce', 'none')}'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "base-uri 'none'; form-action 'self'; object-src 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if tenant is not None or response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
