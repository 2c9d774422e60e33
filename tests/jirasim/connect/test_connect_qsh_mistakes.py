"""App tokens whose qsh is wrong the ways apps get it wrong are refused with Jira's 401; the right one passes.

The right token is signed by Atlassian's `atlassian-jwt`; the wrong ones hash canonical requests written out
here by hand. Neither uses the simulator's qsh code.
"""
import hashlib
import time

import atlassian_jwt
import jwt as pyjwt
import pytest
import requests
from atlassian_jwt.url_utils import canonicalize_request

SEARCH = "/rest/api/3/search/jql"
WIRE_QUERY = "maxResults=1&jql=project+%3D+ACME"  # unsorted, a space as '+': how a client sends it
RIGHT = "GET&/rest/api/3/search/jql&jql=project%20%3D%20ACME&maxResults=1"
MISTAKES = {
    "path not relative to the site's context path":
        "GET&/acme/rest/api/3/search/jql&jql=project%20%3D%20ACME&maxResults=1",
    "query parameters not sorted": "GET&/rest/api/3/search/jql&maxResults=1&jql=project%20%3D%20ACME",
    "a space encoded as '+' instead of '%20'": "GET&/rest/api/3/search/jql&jql=project+%3D+ACME&maxResults=1",
}


def _signed(installed_app, canonical_request: str) -> str:
    now = int(time.time())
    claims = {"iss": installed_app.app.key, "iat": now, "exp": now + 120,
              "qsh": hashlib.sha256(canonical_request.encode()).hexdigest()}
    return pyjwt.encode(claims, installed_app.installation.shared_secret, algorithm="HS256")


def _search(installed_app, token: str) -> requests.Response:
    return requests.get(f"{installed_app.simulator.site_url('acme')}{SEARCH}?{WIRE_QUERY}",
                        headers={"Authorization": f"JWT {token}"}, timeout=10)


def test_the_token_atlassian_jwt_signs_relative_to_the_site_is_accepted(installed_app):
    url = f"{SEARCH}?{WIRE_QUERY}"
    assert canonicalize_request("GET", url) == RIGHT
    token = atlassian_jwt.encode_token("GET", url, installed_app.app.key, installed_app.installation.shared_secret)
    response = _search(installed_app, token)
    assert response.status_code == 200, response.text
    assert [i["id"] for i in response.json()["issues"]]


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_token_with_a_wrong_qsh_is_refused_with_jiras_401(installed_app, mistake):
    response = _search(installed_app, _signed(installed_app, MISTAKES[mistake]))
    assert response.status_code == 401
    body = response.json()
    assert body["errors"] == {} and len(body["errorMessages"]) == 1 and "qsh" in body["errorMessages"][0]
    assert _search(installed_app, _signed(installed_app, RIGHT)).status_code == 200
