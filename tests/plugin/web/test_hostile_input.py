"""Hostile input that arrives before authentication gets a short 4xx answer, never a 500 and a traceback."""
import base64
import json
import logging

import pytest

from tests.support.constants import APP_BASE_URL

BOMBS = {
    "nested arrays": "[" * 100_000 + "]" * 100_000,
    "nested objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "a huge integer": '{"clientKey": ' + "9" * 50_000 + "}",
}


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _assert_quiet(caplog):
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert loud == [], [r.getMessage()[:200] for r in loud]


@pytest.mark.parametrize("bomb", BOMBS)
def test_json_bombs_in_a_lifecycle_body_get_400_and_no_traceback(client, key_server, caplog, bomb):
    token = key_server.install_token(client_key="client-x", audience=APP_BASE_URL)
    response = client.post("/lifecycle/installed", data=BOMBS[bomb][:60_000], content_type="application/json",
                           headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["message"]
    _assert_quiet(caplog)


@pytest.mark.parametrize("part", ["header", "claims"])
def test_a_jwt_nested_too_deeply_gets_401_and_no_traceback(client, site, caplog, part):
    nested = "[" * 3_000 + "]" * 3_000
    header, claims = _b64(json.dumps({"alg": "HS256", "typ": "JWT"})), _b64(json.dumps({"iss": "x"}))
    token = f"{_b64(nested) if part == 'header' else header}.{_b64(nested) if part == 'claims' else claims}.sig"
    page = client.get(f"/pages/admin?jwt={token}", base_url=APP_BASE_URL)
    install = client.post("/lifecycle/installed", data=json.dumps(site.payload()), content_type="application/json",
                          headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    assert (page.status_code, install.status_code) == (401, 401)
    _assert_quiet(caplog)


def test_lifecycle_bodies_are_capped_at_64_kb(client, site):
    body = json.dumps(site.payload(description="x" * 70_000))
    response = client.post("/lifecycle/installed", data=body, content_type="application/json", base_url=APP_BASE_URL)
    assert response.status_code == 413
    assert response.get_json()["error"] == "request_entity_too_large"


def test_webhook_bodies_are_capped_separately(client, site):
    path = "/webhooks/issue-updated"
    headers = {"Authorization": f"JWT {site.token('POST', path, sub=None)}"}
    small = json.dumps({"issue": {"id": "10001"}, "padding": "x" * 100_000})  # larger than a lifecycle body
    assert client.post(path, data=small, content_type="application/json", headers=headers,
                       base_url=APP_BASE_URL).status_code == 204
    huge = json.dumps({"issue": {"id": "10001"}, "padding": "x" * 3_000_000})
    assert client.post(path, data=huge, content_type="application/json", headers=headers,
                       base_url=APP_BASE_URL).status_code == 413
