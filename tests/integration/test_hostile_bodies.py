"""Hostile bodies over the live API: a deeply nested configuration is refused (400) only after access is checked,
and no error answer quotes a huge invalid value back."""
import json

import pytest
import requests

from tests.support.api import ApiUser

HUGE = "x" * 4_900_000


@pytest.fixture
def pat_acme(installed):
    return ApiUser(installed, "acme", "pat", project="ACME")


@pytest.fixture
def accepted(installed, pat_acme) -> str:
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex", name="Hostile")
    answer = ApiUser(installed, "globex", "pat", project="GLOBEX").post(f"/synchronizations/{sync['id']}/accept")
    assert answer.status_code == 200, answer.text
    return sync["id"]


def _raw(user: ApiUser, method: str, path: str, body: str) -> requests.Response:
    return user.http.request(method, f"{user.installed.live.base_url}/api{path}", data=body.encode(),
                             headers={"Authorization": f"JWT {user.token()}", "Content-Type": "application/json"},
                             timeout=60)


def _nested(levels: int) -> str:
    return '{"fields": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize("levels", [40, 900, 50_000])
def test_a_deeply_nested_configuration_is_refused_with_400(installed, pat_acme, accepted, levels):
    response = _raw(pat_acme, "PUT", f"/synchronizations/{accepted}/configuration", _nested(levels))
    assert response.status_code == 400, response.text[:500]
    assert response.json()["error"] == "malformed" and "nest" in response.json()["message"]
    assert len(response.content) < 1000
    assert pat_acme.get(f"/synchronizations/{accepted}/configuration").json()["draft"] is None


def test_access_is_checked_before_a_deeply_nested_configuration_is_read(installed, accepted):
    dev = ApiUser(installed, "acme", "dev", project="ACME")
    refused = _raw(dev, "PUT", f"/synchronizations/{accepted}/configuration", _nested(50_000))
    assert refused.status_code == 403, refused.text[:500]
    unknown = _raw(ApiUser(installed, "acme", "pat", project="ACME"), "PUT", "/synchronizations/999/configuration",
                   _nested(50_000))
    assert unknown.status_code == 404, unknown.text[:500]


def _small(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text[:500]
    assert len(response.content) < 8000, len(response.content)
    return response.json()


def test_a_huge_filter_is_not_quoted_back(installed, pat_acme, accepted):
    document = pat_acme.get(f"/synchronizations/{accepted}/configuration").json()["published"]
    document["filters"] = {"1": HUGE, "2": None}
    body = _small(pat_acme.call("PUT", f"/synchronizations/{accepted}/configuration", json=document), 422)
    assert body["problems"][0]["path"] == "/filters/1" and "…" in body["message"]


def test_huge_values_elsewhere_are_not_quoted_back(installed, pat_acme, accepted):
    huge = "A" * 1_000_000
    _small(pat_acme.post("/synchronizations", {"name": "n", "mode": "review", "project": huge,
                                                "partner": {"project": "GLOBEX"}}), 422)
    _small(pat_acme.post("/synchronizations", {"name": "n", "mode": "review", "project": "ACME",
                                                "partner": {"project": "GLOBEX", "site": "http://" + huge}}), 422)
    _small(pat_acme.post("/synchronizations", {"name": "n", "mode": "review", "project": "ACME",
                                                "partner": {"project": "GLOBEX", "site": "::" + huge}}), 422)
    _small(pat_acme.post(f"/synchronizations/{accepted}/preview", {"issue": huge}), 422)
    _small(pat_acme.patch(f"/synchronizations/{accepted}", {f"k{n}" + "y" * 1000: 1 for n in range(2000)}), 400)
    _small(pat_acme.get("/synchronizations", project=huge[:6000]), 400)
    document = pat_acme.get(f"/synchronizations/{accepted}/configuration").json()["published"]
    document["mode"] = huge
    document["fields"] = [{"bad": huge} for _ in range(3)]
    answer = _small(pat_acme.call("PUT", f"/synchronizations/{accepted}/configuration", json=document), 422)
    assert json.dumps(answer).count("A" * 100) == 0


@pytest.mark.parametrize("body", ['{"name": "a\\u0000b"}', '{"description": "x", "a\\u0000": 1}'])
def test_text_with_the_nul_character_is_refused_with_422_and_changes_nothing(installed, pat_acme, accepted, body):
    before = pat_acme.get(f"/synchronizations/{accepted}").json()
    response = _raw(pat_acme, "PATCH", f"/synchronizations/{accepted}", body)  # PostgreSQL cannot store NUL: no 500
    assert response.status_code == 422 and "NUL" in response.json()["message"], response.text[:300]
    after = pat_acme.get(f"/synchronizations/{accepted}").json()
    assert (after["name"], after["description"]) == (before["name"], before["description"])
