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


def test_a_versions_dates_and_flags_change_and_every_listing_and_issue_shows_them(openapi, simulator):
    """What the app keeps equal: `PUT version/{id}` sets releaseDate, startDate, released and archived; the project,
    its version list and an issue carrying the version by id all show the change."""
    pat, dev = (session_for(simulator, "acme", name) for name in ("pat", "dev"))
    project = pat.get(url(pat, "project/ACME")).json()
    created = pat.post(url(pat, "version"), json={"projectId": int(project["id"]), "name": "4.0"}).json()
    issue = dev.post(url(dev, "issue"), json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"id": project["issueTypes"][0]["id"]}, "summary": "In 4.0",
        "fixVersions": [{"id": created["id"]}]}}).json()
    changed = check(openapi, pat.put(url(pat, f"version/{created['id']}"), json={
        "name": "4.0 Summer", "releaseDate": "2027-06-01", "startDate": "2027-04-01", "released": True,
        "archived": True}))
    expected = {"name": "4.0 Summer", "releaseDate": "2027-06-01", "startDate": "2027-04-01", "released": True,
                "archived": True}
    assert {key: changed.json()[key] for key in expected} == expected
    listed = check(openapi, dev.get(url(dev, "project/ACME/versions"))).json()
    in_project = check(openapi, dev.get(url(dev, "project/ACME"))).json()["versions"]
    carried = check(openapi, dev.get(url(dev, f"issue/{issue['key']}"))).json()["fields"]["fixVersions"]
    for shown in (listed, in_project, carried):
        assert [{key: v.get(key) for key in expected} for v in shown if v["id"] == created["id"]] == [expected]
    bad = pat.put(url(pat, f"version/{created['id']}"), json={"released": "yes"})  # not the reference's shape
    assert bad.status_code == 400 and bad.json()["errors"]["released"]


def test_a_renamed_component_is_shown_renamed_on_the_issues_that_carry_it(openapi, simulator):
    pat, dev = (session_for(simulator, "acme", name) for name in ("pat", "dev"))
    project = pat.get(url(pat, "project/ACME")).json()
    backend = next(c for c in project["components"] if c["name"] == "Backend")
    issue = dev.post(url(dev, "issue"), json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"id": project["issueTypes"][0]["id"]}, "summary": "Backend",
        "components": [{"id": backend["id"]}]}}).json()
    assert check(openapi, pat.put(url(pat, f"component/{backend['id']}"), json={"name": "Server"})).status_code == 200
    carried = check(openapi, dev.get(url(dev, f"issue/{issue['key']}"))).json()["fields"]["components"]
    assert [(c["id"], c["name"]) for c in carried] == [(backend["id"], "Server")]
    listed = check(openapi, dev.get(url(dev, "project/ACME/components"))).json()
    assert [c["name"] for c in listed if c["id"] == backend["id"]] == ["Server"]
