"""Scheduled triggers: fired on their interval (tunable) and on demand, with a system token each time."""
import requests

from tests.support.eventually import eventually


def scheduled(forge_app) -> list[dict]:
    return forge_app.remote.of("/forge/scheduled")


def test_fire_now_posts_the_scheduled_trigger_to_its_endpoint(forge_app):
    fired = requests.post(f"{forge_app.url}/_sim/sites/acme/forge/scheduled/fire", json={"key": "ws-poll"}, timeout=5)
    assert fired.json() == {"fired": ["ws-poll"]}
    forge_app.flush()
    (call,) = scheduled(forge_app)
    site = forge_app.simulator.site("acme")
    assert call["body"]["payload"]["context"] == {"cloudId": site.cloud_id, "moduleKey": "ws-poll"}
    assert call["body"]["payload"]["contextToken"] and "X-Forge-Oauth-System" in call["headers"]
    assert call["claims"]["app"]["module"] == {"type": "core:endpoint", "key": "ws-scheduled"}


def test_the_trigger_fires_on_its_interval(forge_app):
    assert scheduled(forge_app) == []  # the first comes one interval (five minutes) after the install
    settings = requests.post(f"{forge_app.url}/_sim/forge/settings", json={"intervals": {"fiveMinute": 0.2}},
                             timeout=5)
    assert settings.json()["intervals"]["fiveMinute"] == 0.2
    eventually(lambda: len(scheduled(forge_app)) >= 2, timeout=10)


def test_an_unknown_interval_setting_is_refused(forge_app):
    answer = requests.post(f"{forge_app.url}/_sim/forge/settings", json={"intervals": {"minute": 1}}, timeout=5)
    assert answer.status_code == 400 and "unknown interval" in answer.json()["error"]
