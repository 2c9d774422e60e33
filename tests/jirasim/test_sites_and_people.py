"""Each site has ids (and some names) of its own; a person keeps one accountId on every site they are on."""
from __future__ import annotations

import requests

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


def url(session, path):
    return session.base + "/rest/api/3/" + path


def _configuration(openapi, session, project_key: str) -> dict:
    """Every id a sync engine could copy between sites, and the names beside them."""
    get = lambda path: check(openapi, session.get(url(session, path))).json()  # noqa: E731
    project = get(f"project/{project_key}")
    fields = get("field")
    story_points = next(f["id"] for f in fields if f["name"] == "Story Points")
    type_id = next(t["id"] for t in project["issueTypes"] if t["name"] == "Task")
    meta = get(f"issue/createmeta/{project_key}/issuetypes/{type_id}")["fields"]
    platforms = next(f for f in meta if f["name"] == "Platforms")
    issues = get(f"search/jql?jql=project%20%3D%20{project_key}&fields=summary")["issues"]
    return {
        "project": {project["id"]},
        "issue": {i["id"] for i in issues},
        "issue type": {t["id"] for t in get("issuetype")},
        "status": {s["id"] for s in get("status")},
        "custom field": {f["id"] for f in fields if f["custom"]},
        "option": {o["id"] for o in platforms["allowedValues"]},
        "component": {c["id"] for c in project["components"]},
        "version": {v["id"] for v in project["versions"]},
        "story points": story_points,
        "type names": {t["name"] for t in get("issuetype")},
        "status names": {s["name"] for s in get("status")},
        "platforms": [o["value"] for o in platforms["allowedValues"]],
    }


def test_the_sample_sites_share_no_ids_and_globex_names_some_things_its_own_way(openapi, shared_simulator):
    acme = _configuration(openapi, session_for(shared_simulator, "acme", "alice"), "ACME")
    globex = _configuration(openapi, session_for(shared_simulator, "globex", "alice"), "GLOBEX")
    for kind in ("project", "issue", "issue type", "status", "custom field", "option", "component", "version"):
        assert acme[kind] and globex[kind] and not acme[kind] & globex[kind], kind
    assert acme["story points"] != globex["story points"]
    assert {"Bug", "Task"} <= acme["type names"] and "Defect" not in acme["type names"]
    assert {"Defect", "Task"} <= globex["type names"] and "Bug" not in globex["type names"]
    assert "Done" in acme["status names"] and "Closed" in globex["status names"]
    assert acme["platforms"] == ["Web", "iOS", "Android"] and globex["platforms"] == ["Web", "IOS", "Android"]


def test_a_person_has_one_account_id_on_every_site_and_some_people_are_on_one_site_only(openapi, shared_simulator):
    acme, globex = (session_for(shared_simulator, name, "alice") for name in ("acme", "globex"))
    people = {}
    for name, session in (("acme", acme), ("globex", globex)):
        for query in ("alice", "pat", "dev", "quinn", "gina"):
            found = check(openapi, session.get(url(session, f"user/search?query={query}"))).json()
            people[name, query] = [u["accountId"] for u in found]
    for person in ("alice", "pat", "dev"):
        assert len(people["acme", person]) == 1 and people["acme", person] == people["globex", person]
    assert people["globex", "quinn"] == [] and len(people["acme", "quinn"]) == 1
    assert people["acme", "gina"] == [] and len(people["globex", "gina"]) == 1
    quinn = people["acme", "quinn"][0]
    missing = check(openapi, globex.get(url(globex, f"user?accountId={quinn}")))
    assert missing.status_code == 404
    assert requests.get(url(acme, "myself"), auth=("gina@globex.example.com", "t")).status_code == 401


def test_a_hidden_email_address_is_shown_only_to_its_owner(openapi, shared_simulator):
    alice, gina = (session_for(shared_simulator, "globex", name) for name in ("alice", "gina"))
    me = check(openapi, gina.get(url(gina, "myself"))).json()
    assert me["emailAddress"] == "gina@globex.example.com"
    seen = check(openapi, alice.get(url(alice, f"user?accountId={me['accountId']}"))).json()
    assert seen["displayName"] == "Gina Globex" and "emailAddress" not in seen


def test_project_statuses_are_those_of_each_issue_types_workflow(openapi, shared_simulator):
    globex = session_for(shared_simulator, "globex", "alice")
    by_type = {t["name"]: [s["name"] for s in t["statuses"]]
               for t in check(openapi, globex.get(url(globex, "project/GLOBEX/statuses"))).json()}
    assert by_type["Defect"] == ["To Do", "In Progress", "In Review", "Closed"]
    assert by_type["Task"] == ["To Do", "In Progress", "Closed"]
    defect = check(openapi, globex.post(url(globex, "issue"), json={"fields": {
        "project": {"key": "GLOBEX"}, "issuetype": {"name": "Defect"}, "summary": "Reviewed"}})).json()["key"]
    for name in ("Start Progress", "Request Review"):
        moved = globex.post(url(globex, f"issue/{defect}/transitions"), json={"transition": {"name": name}})
        assert moved.status_code == 204, moved.text
    issue = check(openapi, globex.get(url(globex, f"issue/{defect}?fields=status"))).json()
    assert issue["fields"]["status"]["name"] == "In Review"
