"""Every response of the App JSON API a test receives is validated against plugin/web/api/openapi.yaml."""
from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import requests
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.wrappers import Request, Response

from plugin.web.api.openapi import document

SPEC_HOST = "http://work-sync.invalid"


@lru_cache(maxsize=1)
def spec() -> OpenAPI:
    """The App JSON API's own OpenAPI document, loaded once."""
    return OpenAPI.from_dict(document())


def _is_api(path: str) -> bool:
    return "/api/" in path


def check_requests_response(response: requests.Response, base_path: str = "") -> None:
    """Assert a live response (requests) of an /api route matches the document."""
    prepared = response.request.copy()
    parts = urlsplit(prepared.url)
    if not _is_api(parts.path):
        return
    path = parts.path[len(base_path):] if base_path and parts.path.startswith(base_path) else parts.path
    prepared.url = urlunsplit(urlsplit(SPEC_HOST)._replace(path=path, query=parts.query))
    spec().validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))


class ValidatingClient(FlaskClient):
    """A Flask test client that validates every /api response against the document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if _is_api(request.path) and response.status_code != 405 and request.method != "OPTIONS":
            environ = dict(request.environ, SCRIPT_NAME="", PATH_INFO=request.path,
                           HTTP_HOST=urlsplit(SPEC_HOST).netloc)
            environ["wsgi.url_scheme"] = "http"
            spec().validate_response(WerkzeugOpenAPIRequest(Request(environ)), WerkzeugOpenAPIResponse(response))
        return response


class ValidatingMiddleware:
    """WSGI middleware for the live app: validates every /api response (the browser's calls too)."""

    def __init__(self, app):
        self.app = app
        self.failures: list[str] = []

    def __call__(self, environ, start_response):
        if not _is_api(environ.get("PATH_INFO", "")):
            return self.app(environ, start_response)
        response = Response.from_app(self.app, environ, buffered=True)
        checked = dict(environ, SCRIPT_NAME="", HTTP_HOST=urlsplit(SPEC_HOST).netloc, CONTENT_LENGTH="0")
        checked["wsgi.input"] = io.BytesIO()  # the app has read the body; only method, path and query matter here
        checked["wsgi.url_scheme"] = "http"
        if response.status_code != 405 and environ["REQUEST_METHOD"] != "OPTIONS":  # HTTP's own, with Allow
            try:
                spec().validate_response(WerkzeugOpenAPIRequest(Request(checked)), WerkzeugOpenAPIResponse(response))
            except Exception as exc:  # reported by the fixture: an exception here would only become a 500
                self.failures.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} → "
                                     f"{response.status_code}: {exc!r}")
        return response(environ, start_response)
