"""overrideScreenSecurity: an app with the ADMIN scope may set fields off the edit screen; nobody else may."""
import requests

from jirasim import adf
from tests.jirasim.connect.support import InstalledApp, running_test_app


def _release_notes(simulator) -> str:
    return next(f.id for f in simulator.site("acme").fields.values() if f.name == "Release Notes")


def _edit(app: InstalledApp, field: str, override: bool) -> requests.Response:
    params = [("overrideScreenSecurity", "true")] if override else []
    return app.call("PUT", "/rest/api/3/issue/SUP-1", params, json={"fields": {field: adf.from_text("Notes")}})


def test_only_an_admin_app_overrides_screen_security(simulator, installed_app):
    notes = _release_notes(simulator)
    assert _edit(installed_app, notes, override=False).status_code == 400
    refused = _edit(installed_app, notes, override=True)
    assert refused.status_code == 403 and refused.json()["errorMessages"]
    alice = requests.put(simulator.site_url("acme") + "/rest/api/3/issue/SUP-1?overrideScreenSecurity=true",
                         auth=("alice@acme.example.com", "t"), json={"fields": {notes: adf.from_text("x")}}, timeout=10)
    assert alice.status_code == 403
    with running_test_app(simulator.base_url, scopes=("READ", "WRITE", "ADMIN"), key="work-sync-admin") as app:
        admin = InstalledApp(simulator, app)
        assert admin.install().status_code == 201
        assert _edit(admin, notes, override=True).status_code == 204
        hidden = admin.call("GET", "/rest/api/3/issue/SUP-1/editmeta", [("overrideScreenSecurity", "true")])
        assert notes in hidden.json()["fields"]
        simulator.world.webhooks.flush(10)
    assert simulator.site("acme").issue("SUP-1").fields[notes] == adf.from_text("Notes")
