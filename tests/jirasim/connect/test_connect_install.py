"""Key server, signed install, uninstall, enable/disable."""
import requests

from jirasim.connect import keys
from jirasim.connect.install import apps


def test_key_server_serves_pem_for_known_kid_only(sim):
    _, url = sim
    kid = keys.current().kid
    ok = requests.get(f"{url}/_keys/{kid}", timeout=5)
    assert ok.status_code == 200 and ok.text.startswith("-----BEGIN PUBLIC KEY-----")
    assert requests.get(f"{url}/_keys/unknown-kid", timeout=5).status_code == 404


def test_install_posts_signed_payload(installed):
    world, url, app = installed
    (entry,) = [e for e in app.lifecycle if e["event"] == "installed"]
    body, claims = entry["body"], entry["claims"]
    assert entry["alg"] == "RS256"
    site = world.sites["alpha"]
    assert body["key"] == app.key and body["baseUrl"] == site.base_url and body["productType"] == "jira"
    assert body["eventType"] == "installed" and body["sharedSecret"] and body["clientKey"]
    for field in ("publicKey", "serverVersion", "pluginsVersion", "displayUrl", "description"):
        assert field in body
    assert claims["iss"] == body["clientKey"] and claims["aud"] == [app.base_url]
    inst = apps(site)[app.key]
    assert inst.shared_secret == body["sharedSecret"] and inst.enabled
    assert inst.account_id in site.users


def test_reinstall_keeps_client_key_and_rotates_secret(installed):
    world, url, app = installed
    first = app.tenants.copy()
    r = requests.post(f"{url}/_sim/sites/alpha/install",
                      json={"descriptor_url": app.base_url + "/atlassian-connect.json"}, timeout=20)
    assert r.status_code == 201
    (client_key,) = first
    assert list(app.tenants) == [client_key]
    assert app.tenants[client_key]["sharedSecret"] != first[client_key]["sharedSecret"]


def test_sites_have_distinct_client_keys(installed):
    world, url, app = installed
    r = requests.post(f"{url}/_sim/sites/beta/install",
                      json={"descriptor_url": app.base_url + "/atlassian-connect.json"}, timeout=20)
    assert r.status_code == 201
    assert len(app.tenants) == 2


def test_failed_install_surfaces_app_status_and_body(sim, test_app):
    world, url = sim
    test_app.install_status = 403
    r = requests.post(f"{url}/_sim/sites/alpha/install",
                      json={"descriptor_url": test_app.base_url + "/atlassian-connect.json"}, timeout=20)
    assert r.status_code == 409
    assert r.json()["appStatus"] == 403 and r.json()["appBody"] == "no thanks"
    assert apps(world.sites["alpha"]) == {}


def test_bad_descriptor_url_fails(sim):
    _, url = sim
    r = requests.post(f"{url}/_sim/sites/alpha/install", json={"descriptor_url": url + "/nothing"}, timeout=20)
    assert r.status_code == 409 and r.json()["appStatus"] == 404


def test_disable_enable_uninstall(installed):
    world, url, app = installed
    site = world.sites["alpha"]
    r = requests.post(f"{url}/_sim/sites/alpha/disable", json={"app_key": app.key}, timeout=20)
    assert r.status_code == 200 and not apps(site)[app.key].enabled
    r = requests.post(f"{url}/_sim/sites/alpha/enable", json={"app_key": app.key}, timeout=20)
    assert r.status_code == 200 and apps(site)[app.key].enabled
    r = requests.post(f"{url}/_sim/sites/alpha/uninstall", json={"app_key": app.key}, timeout=20)
    assert r.status_code == 200 and app.key not in apps(site)
    events = [(e["event"], e["alg"]) for e in app.lifecycle]
    assert events == [("installed", "RS256"), ("disabled", "HS256"), ("enabled", "HS256"),
                      ("uninstalled", "RS256")]
    assert app.lifecycle[-1]["body"]["eventType"] == "uninstalled"
    listed = requests.get(f"{url}/_sim/sites/alpha/apps", timeout=5).json()
    assert listed == []
