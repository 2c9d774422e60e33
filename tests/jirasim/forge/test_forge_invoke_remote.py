"""`POST {sim}/{site}/_forge/invoke-remote`: what a Custom UI's invokeRemote does, as the cookie's user."""
import requests

from tests.jirasim.forge.support import ForgeApp, manifest, text


def test_the_remote_answer_comes_back_unchanged_with_a_fit_for_the_user(forge_app):
    pat = next(u for u in forge_app.simulator.site("acme").users.values() if u.email.startswith("pat@"))
    extension = {"type": "jira:issueContext", "issue": {"id": "10000", "key": "ACME-1"}}
    answer = forge_app.invoke({"path": "/api/tasks?team=Forge", "method": "POST", "body": {"a": 1},
                               "headers": {"X-Custom": "yes"}, "extension": extension}, pat.account_id)
    assert answer.status_code == 201 and answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {"method": "POST", "path": "/api/tasks?team=Forge", "body": {"a": 1}, "header": "yes",
                             "principal": pat.account_id, "extension": extension}
    claims = forge_app.remote.of("/api/tasks")[-1]["claims"]
    assert claims["app"]["module"] == {"type": "jira:issueContext", "key": "ws-context"}


def test_a_non_json_answer_is_passed_through_as_it_came(forge_app):
    answer = forge_app.invoke({"path": "/api/html", "method": "GET"})
    assert answer.status_code == 418 and answer.headers["Content-Type"].startswith("text/html")
    assert answer.text == "<p>not json</p>"


def test_an_unreachable_remote_is_a_502_with_a_json_message(simulator, forge_remote):
    app = ForgeApp(simulator, forge_remote)
    body = {"manifest": text(manifest()), "remote_base_url": "http://127.0.0.1:9"}  # nothing listens on port 9
    installed = requests.post(f"{simulator.base_url}/_sim/sites/acme/forge/install", json=body, timeout=10)
    assert installed.status_code == 201
    answer = app.invoke({"path": "/api/echo", "method": "GET"})
    assert answer.status_code == 502 and answer.json() == {
        "message": "Invalid response from remote - remote network error"}
