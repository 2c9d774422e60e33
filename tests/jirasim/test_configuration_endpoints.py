"""Components and versions created by project admins, priorities and resolutions listed as Jira lists them."""
from __future__ import annotations

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


def url(session, path):
    return session.base + "/rest/api/3/" + path


def test_a_project_admin_creates_a_component_that_the_project_then_lists(openapi, shared_simulator):
    pat, dev = (session_for(shared_simulator, "acme", name) for name in ("pat", "dev"))
    body = {"project": "ACME", "name": "Billing", "description": "Invoices", "assigneeType": "PROJECT_LEAD"}
    created = check(openapi, pat.post(url(pat, "component"), json=body))
    assert created.status_code == 201
    component = created.json()
    assert (component["name"], component["project"], component["realAssigneeType"]) == (
        "Billing", "ACME", "PROJECT_LEAD")
    assert component["realAssignee"]["displayName"] == "Pat Project"
    listed = check(openapi, dev.get(url(dev, "project/ACME/components"))).json()
    assert [c["name"] for c in listed] == ["Backend", "Frontend", "Billing"]
    assert check(openapi, dev.get(url(dev, f"component/{component['id']}"))).json()["id"] == component["id"]
    refused = check(openapi, dev.post(url(dev, "component"), json={**body, "name": "Mine"}))
    assert refused.status_code == 403
    twice = check(openapi, pat.post(url(pat, "component"), json=body))
    assert twice.status_code == 400 and "already exists" in twice.json()["errors"]["name"]
    issue = pat.put(url(pat, "issue/ACME-1"), json={"fields": {"components": [{"name": "Billing"}]}})
    assert issue.status_code == 204, issue.text


def test_a_project_admin_creates_a_version_and_others_are_told_the_project_is_not_found(openapi, shared_simulator):
    pat, dev = (session_for(shared_simulator, "acme", name) for name in ("pat", "dev"))
    project_id = int(dev.get(url(dev, "project/ACME")).json()["id"])
    body = {"projectId": project_id, "name": "3.0", "description": "Spring", "releaseDate": "2027-03-31"}
    created = check(openapi, pat.post(url(pat, "version"), json=body))
    assert created.status_code == 201
    assert (created.json()["name"], created.json()["releaseDate"], created.json()["released"]) == (
        "3.0", "2027-03-31", False)
    listed = check(openapi, dev.get(url(dev, "project/ACME/versions"))).json()
    assert [v["name"] for v in listed] == ["1.0", "2.0", "3.0"]
    assert check(openapi, dev.post(url(dev, "version"), json={**body, "name": "4.0"})).status_code == 404
    unnamed = check(openapi, pat.post(url(pat, "version"), json={"projectId": project_id}))
    assert unnamed.status_code == 400 and unnamed.json()["errors"]["name"]
    fixed = pat.put(url(pat, "issue/ACME-2"), json={"update": {"fixVersions": [{"add": {"name": "3.0"}}]}})
    assert fixed.status_code == 204, fixed.text


def test_priorities_are_paged_and_filtered_by_search(openapi, alice):
    everything = check(openapi, alice.get(url(alice, "priority/search"))).json()
    assert [p["name"] for p in everything["values"]] == ["Highest", "High", "Medium", "Low", "Lowest"]
    assert everything["isLast"] is True and everything["total"] == 5
    page = check(openapi, alice.get(url(alice, "priority/search?maxResults=2&startAt=2"))).json()
    assert [p["name"] for p in page["values"]] == ["Medium", "Low"] and page["isLast"] is False
    default = check(openapi, alice.get(url(alice, "priority/search?onlyDefault=true"))).json()
    assert [(p["name"], p["isDefault"]) for p in default["values"]] == [("Medium", True)]


def test_resolutions_are_listed_searched_and_got_by_id(openapi, alice):
    listed = check(openapi, alice.get(url(alice, "resolution"))).json()
    assert [r["name"] for r in listed] == ["Done", "Won't Do", "Duplicate", "Cannot Reproduce"]
    done = next(r for r in listed if r["name"] == "Done")
    assert check(openapi, alice.get(url(alice, f"resolution/{done['id']}"))).json()["name"] == "Done"
    searched = check(openapi, alice.get(url(alice, f"resolution/search?id={done['id']}"))).json()
    assert [(r["name"], r["default"]) for r in searched["values"]] == [("Done", True)]
    assert check(openapi, alice.get(url(alice, "resolution/99"))).status_code == 404
