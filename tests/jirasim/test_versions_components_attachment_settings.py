"""Renaming and describing components and versions (project admins), and a site's attachment settings."""
from __future__ import annotations

import requests

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


def url(session, path):
    return session.base + "/rest/api/3/" + path


def test_a_project_admin_renames_and_describes_a_component_and_others_are_refused(openapi, simulator):
    pat, dev = (session_for(simulator, "acme", name) for name in ("pat", "dev"))
    created = pat.post(url(pat, "component"), json={"project": "ACME", "name": "Billing"}).json()
    changed = check(openapi, pat.put(url(pat, f"component/{created['id']}"),
                                     json={"name": "Invoicing", "description": "Bills and invoices"}))
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["description"]) == ("Invoicing", "Bills and invoices")
    assert [c["name"] for c in dev.get(url(dev, "project/ACME/components")).json()][-1] == "Invoicing"
    refused = check(openapi, dev.put(url(dev, f"component/{created['id']}"), json={"name": "Mine"}))
    assert refused.status_code == 403
    taken = check(openapi, pat.put(url(pat, f"component/{created['id']}"), json={"name": "backend"}))
    assert taken.status_code == 400 and "already exists" in taken.json()["errors"]["name"]
    assert check(openapi, pat.put(url(pat, "component/1"), json={"name": "X"})).status_code == 404


def test_a_project_admin_renames_and_describes_a_version(openapi, simulator):
    pat, dev = (session_for(simulator, "acme", name) for name in ("pat", "dev"))
    project_id = int(pat.get(url(pat, "project/ACME")).json()["id"])
    created = pat.post(url(pat, "version"), json={"projectId": project_id, "name": "3.0"}).json()
    changed = check(openapi, pat.put(url(pat, f"version/{created['id']}"),
                                     json={"name": "3.0 Spring", "description": "The spring release"}))
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["description"]) == ("3.0 Spring", "The spring release")
    assert check(openapi, dev.get(url(dev, f"version/{created['id']}"))).json()["name"] == "3.0 Spring"
    assert check(openapi, dev.put(url(dev, f"version/{created['id']}"), json={"name": "x"})).status_code == 404
    taken = check(openapi, pat.put(url(pat, f"version/{created['id']}"), json={"name": "1.0"}))
    assert taken.status_code == 400 and taken.json()["errors"]["name"]


def test_attachment_settings_are_per_site_and_uploads_obey_them(openapi, simulator):
    alice, gina = session_for(simulator, "acme", "alice"), session_for(simulator, "globex", "gina")
    default = check(openapi, alice.get(url(alice, "attachment/meta"))).json()
    assert default == {"enabled": True, "uploadLimit": 10 * 1024 * 1024}
    tuned = requests.post(simulator.base_url + "/_sim/sites/globex/attachments", json={"uploadLimit": 5}).json()
    assert tuned == {"enabled": True, "uploadLimit": 5}
    assert check(openapi, gina.get(url(gina, "attachment/meta"))).json()["uploadLimit"] == 5
    assert alice.get(url(alice, "attachment/meta")).json()["uploadLimit"] == 10 * 1024 * 1024
    headers = {"X-Atlassian-Token": "no-check"}
    too_large = gina.post(url(gina, "issue/GLOBEX-1/attachments"), headers=headers,
                          files={"file": ("big.txt", b"123456", "text/plain")})
    assert too_large.status_code == 413 and "5 bytes" in too_large.text
    assert gina.post(url(gina, "issue/GLOBEX-1/attachments"), headers=headers,
                     files={"file": ("ok.txt", b"12345", "text/plain")}).status_code == 200
    requests.post(simulator.base_url + "/_sim/sites/globex/attachments", json={"enabled": False})
    assert gina.get(url(gina, "attachment/meta")).json() == {"enabled": False, "uploadLimit": 5}
    assert gina.post(url(gina, "issue/GLOBEX-1/attachments"), headers=headers,
                     files={"file": ("ok.txt", b"1", "text/plain")}).status_code == 403
    bad = requests.post(simulator.base_url + "/_sim/sites/globex/attachments", json={"uploadLimit": "lots"})
    assert bad.status_code == 400
