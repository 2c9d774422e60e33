"""Install from a manifest, reinstall, major and minor upgrades, uninstall — and what each sends to the remote."""
import requests

from tests.jirasim.connect.support import InstalledApp, running_test_app
from tests.jirasim.forge.support import APP_ID, ForgeApp, manifest, running_remote


def test_install_answers_the_ids_and_sends_installed_to_the_lifecycle_endpoint(forge_app):
    site = forge_app.simulator.site("acme")
    inst = site.forge_apps[APP_ID]
    (installed,) = forge_app.remote.of("/forge/lifecycle")
    payload = installed["body"]["payload"]
    assert payload["eventType"] == "avi:forge:installed:app"
    assert payload["id"] == inst.installation_id.rsplit("/", 1)[-1]
    assert payload["app"] == {"id": APP_ID.rsplit("/", 1)[-1], "version": "1.0.0"}
    assert set(payload["environment"]) == {"id"} and payload["context"] == {"cloudId": site.cloud_id,
                                                                             "moduleKey": "ws-lifecycle"}
    assert installed["claims"]["app"]["installationId"] == inst.installation_id
    assert "X-Forge-Oauth-System" in installed["headers"]
    app_user = site.user(inst.account_id)
    assert app_user.account_type == "app" and app_user.is_app


def test_a_reinstall_after_uninstall_is_a_new_installation_of_the_same_cloud(forge_app):
    first = forge_app.simulator.site("acme").forge_apps[APP_ID]
    gone = requests.post(f"{forge_app.url}/_sim/sites/acme/forge/uninstall", json={"appId": APP_ID}, timeout=10)
    assert gone.status_code == 200 and gone.json()["uninstalled"] == first.installation_id
    again = forge_app.install()
    assert again.status_code == 201
    assert again.json()["installationId"] != first.installation_id and again.json()["cloudId"] == first.cloud_id
    forge_app.flush()
    assert [r["body"]["payload"]["eventType"] for r in forge_app.remote.of("/forge/lifecycle")] == [
        "avi:forge:installed:app", "avi:forge:installed:app"]


def test_uninstall_sends_no_event_and_the_token_and_triggers_stop_working(forge_app):
    token = forge_app.system_token()
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token).status_code == 200
    before = len(forge_app.remote.received)
    assert requests.post(f"{forge_app.url}/_sim/sites/acme/forge/uninstall", json={}, timeout=10).status_code == 200
    forge_app.flush()
    assert len(forge_app.remote.received) == before  # Forge has no uninstalled event (FRGE-1246)
    refused = forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token)
    assert refused.status_code == 401 and refused.json() == {"code": 401, "message": "Unauthorized"}
    fire = requests.post(f"{forge_app.url}/_sim/sites/acme/forge/scheduled/fire", json={}, timeout=10)
    assert fire.status_code == 404


def test_a_new_scope_is_a_major_upgrade_that_sends_upgraded(forge_app):
    wider = manifest(scopes=("read:jira-work", "write:jira-work", "read:app-system-token", "manage:jira-configuration"))
    answer = forge_app.install(wider)
    assert answer.status_code == 200 and answer.json()["event"] == "avi:forge:upgraded:app"
    assert answer.json()["appVersion"] == "2.0.0"
    forge_app.flush()
    upgraded = forge_app.remote.of("/forge/lifecycle")[-1]["body"]["payload"]
    assert upgraded["eventType"] == "avi:forge:upgraded:app"
    assert upgraded["permissions"]["scopes"] == wider["permissions"]["scopes"]
    assert upgraded["id"] == forge_app.remote.of("/forge/lifecycle")[0]["body"]["payload"]["id"]


def test_a_minor_upgrade_sends_nothing(forge_app):
    answer = forge_app.install(manifest(title="Work Sync (renamed)"))
    assert answer.status_code == 200 and answer.json() == {**answer.json(), "event": None, "appVersion": "1.1.0"}
    forge_app.flush()
    assert len(forge_app.remote.of("/forge/lifecycle")) == 1


def test_a_broken_manifest_is_refused_by_the_built_in_check(simulator, forge_remote):
    app = ForgeApp(simulator, forge_remote)
    broken = manifest()
    broken["modules"]["trigger"][1]["endpoint"] = "nowhere"
    answer = app.install(broken)
    assert answer.status_code == 400
    assert {"path": "modules.trigger.1.endpoint", "message": "no endpoint with key 'nowhere'"} in \
        answer.json()["problems"]
    assert simulator.site("acme").forge_apps == {}


def test_a_site_holds_a_connect_and_a_forge_installation_and_both_hear_of_a_change(forge_app):
    with running_test_app(forge_app.url) as connect_app:
        connect = InstalledApp(forge_app.simulator, connect_app)
        assert connect.install().status_code == 201
        created = connect.call("POST", "/rest/api/3/issue", json={"fields": {
            "project": {"key": "ACME"}, "issuetype": {"name": "Task"}, "summary": "Both hear"}})
        assert created.status_code == 201, created.text
        connect.flush_webhooks()
        forge_app.flush()
        assert any(w["body"]["issue"]["key"] == created.json()["key"] for w in connect_app.webhooks
                   if w["body"]["webhookEvent"] == "jira:issue_created")
    (event,) = [r for r in forge_app.remote.of("/forge/events")
                if r["body"]["payload"]["eventType"] == "avi:jira:created:issue"]
    assert event["body"]["payload"]["issue"]["key"] == created.json()["key"]
    assert event["body"]["payload"]["selfGenerated"] is False  # the Connect app made it, not this app


def test_a_site_pinned_to_a_region_its_manifest_names_is_served_by_that_regions_remote(simulator, forge_remote):
    with running_remote(simulator.base_url) as eu:
        document = manifest()
        document["remotes"][0]["baseUrl"] = {"default": forge_remote.base_url, "EU": eu.base_url}
        app = ForgeApp(simulator, forge_remote)
        pinned = app.install(document, remote_base_url=None, location="EU")
        assert pinned.status_code == 201, pinned.text
        app.flush()
        assert [r["body"]["payload"]["eventType"] for r in eu.of("/forge/lifecycle")] == ["avi:forge:installed:app"]
        assert forge_remote.of("/forge/lifecycle") == []
        listed = requests.get(f"{app.url}/_sim/sites/acme/forge/apps", timeout=5).json()
        assert [a["location"] for a in listed] == ["EU"]


def test_a_site_in_a_region_the_manifest_lacks_is_served_by_the_default_remote(simulator, forge_remote):
    with running_remote(simulator.base_url) as eu:
        document = manifest()
        document["remotes"][0]["baseUrl"] = {"default": forge_remote.base_url, "EU": eu.base_url}
        app = ForgeApp(simulator, forge_remote)
        assert app.install(document, remote_base_url=None, location="JP").status_code == 201
        app.flush()
        assert len(forge_remote.of("/forge/lifecycle")) == 1 and eu.of("/forge/lifecycle") == []


def test_a_location_that_is_no_region_is_refused(simulator, forge_remote):
    answer = ForgeApp(simulator, forge_remote).install(location="Mars")
    assert answer.status_code == 400 and "location must be one of" in answer.json()["error"]
