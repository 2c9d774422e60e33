"""Key server, signed install, uninstall, enable/disable."""
import requests

from jirasim.connect import keys


def test_key_server_serves_pem_for_known_kid_only(simulator):
    kid = keys.current().kid
    ok = requests.get(f"{simulator.base_url}/_keys/{kid}", timeout=5)
    assert ok.status_code == 200 and ok.text.startswith("-----BEGIN PUBLIC KEY-----")
    assert requests.get(f"{simulator.base_url}/_keys/unknown-kid", timeout=5).status_code == 404


def test_install_posts_signed_payload(installed_app):
    app, site = installed_app.app, installed_app.site
    (entry,) = [e for e in app.lifecycle if e["event"] == "installed"]
    body, claims = entry["body"], entry["claims"]
    assert entry["alg"] == "RS256"
    assert body["key"] == app.key and body["baseUrl"] == site.base_url and body["productType"] == "jira"
    assert body["eventType"] == "installed" and body["sharedSecret"] and body["clientKey"]
    for field in ("publicKey", "serverVersion", "pluginsVersion", "displayUrl", "description"):
        assert field in body
    assert claims["iss"] == body["clientKey"] and claims["aud"] == [app.base_url]
    installation = installed_app.installation
    assert installation.shared_secret == body["sharedSecret"] and installation.enabled
    assert site.users[installation.account_id].account_type == "app"


def test_reinstall_keeps_client_key_and_rotates_secret(installed_app):
    app = installed_app.app
    first = app.tenants.copy()
    assert installed_app.install().status_code == 201
    (client_key,) = first
    assert list(app.tenants) == [client_key]
    assert app.tenants[client_key]["sharedSecret"] != first[client_key]["sharedSecret"]


def test_sites_have_distinct_client_keys(installed_app):
    assert installed_app.install("globex").status_code == 201
    assert len(installed_app.app.tenants) == 2


def test_failed_install_surfaces_app_status_and_body(simulator, connect_app):
    connect_app.install_status = 403
    r = requests.post(f"{simulator.base_url}/_sim/sites/acme/install",
                      json={"descriptor_url": connect_app.descriptor_url}, timeout=20)
    assert r.status_code == 409
    assert r.json()["appStatus"] == 403 and r.json()["appBody"] == "no thanks"
    assert simulator.site("acme").apps == {}


def test_bad_descriptor_url_fails(simulator):
    r = requests.post(f"{simulator.base_url}/_sim/sites/acme/install",
                      json={"descriptor_url": simulator.base_url + "/nothing"}, timeout=20)
    assert r.status_code == 409 and r.json()["appStatus"] == 404


def test_disable_enable_uninstall(installed_app):
    app, site = installed_app.app, installed_app.site
    assert installed_app.lifecycle("disable").status_code == 200 and not site.apps[app.key].enabled
    assert installed_app.lifecycle("enable").status_code == 200 and site.apps[app.key].enabled
    assert installed_app.lifecycle("uninstall").status_code == 200 and app.key not in site.apps
    events = [(e["event"], e["alg"]) for e in app.lifecycle]
    assert events == [("installed", "RS256"), ("disabled", "HS256"), ("enabled", "HS256"),
                      ("uninstalled", "RS256")]
    assert app.lifecycle[-1]["body"]["eventType"] == "uninstalled"
    assert requests.get(f"{installed_app.url}/_sim/sites/acme/apps", timeout=5).json() == []
