"""Validate real HTTP request/response pairs against the reference OpenAPI description."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import requests
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

SPEC_SERVER = "https://your-domain.atlassian.net"


def _spec_request(response: requests.Response) -> requests.PreparedRequest:
    prepared = response.request.copy()
    parts = urlsplit(prepared.url)
    path = parts.path[parts.path.index("/rest/"):]
    prepared.url = urlunsplit(urlsplit(SPEC_SERVER)._replace(path=path, query=parts.query))
    return prepared


def check(openapi, response: requests.Response, request_body: bool = True) -> requests.Response:
    """Assert the response (and its request unless `request_body` is False) conforms to the reference."""
    prepared = _spec_request(response)
    if request_body:
        openapi.validate_request(RequestsOpenAPIRequest(prepared))
    if response.status_code == 204 or (response.status_code == 201 and response.content == b""):
        # The reference gives some 204s, and the 201 of POST issueLink, an (empty) JSON schema; Jira sends no body.
        assert response.content == b""
        return response
    openapi.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))
    return response
