"""A Jira admin breaks a configuration through REST: removes a select option, deletes a custom field."""
from __future__ import annotations

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


def url(session, path):
    return session.base + "/rest/api/3/" + path


def _field(session, name: str) -> str:
    return next(f["id"] for f in session.get(url(session, "field")).json() if f["name"] == name)


def test_removing_an_option_takes_it_off_issues_and_out_of_the_field(openapi, simulator):
    alice, dev = (session_for(simulator, "globex", name) for name in ("alice", "dev"))
    platforms = _field(alice, "Platforms")
    (context,) = check(openapi, alice.get(url(alice, f"field/{platforms}/context"))).json()["values"]
    assert context["isGlobalContext"] is True
    options = check(openapi, alice.get(url(alice, f"field/{platforms}/context/{context['id']}/option"))).json()
    ios = next(o["id"] for o in options["values"] if o["value"] == "IOS")
    assert alice.put(url(alice, "issue/GLOBEX-1"), json={"fields": {platforms: [{"value": "IOS"}, {"value": "Web"}]}}
                     ).status_code == 204
    before = alice.get(url(alice, "issue/GLOBEX-1?fields=updated")).json()["fields"]["updated"]

    assert check(openapi, dev.delete(url(dev, f"field/{platforms}/context/{context['id']}/option/{ios}"))
                 ).status_code == 403
    removed = check(openapi, alice.delete(url(alice, f"field/{platforms}/context/{context['id']}/option/{ios}")))
    assert removed.status_code == 204
    issue = alice.get(url(alice, f"issue/GLOBEX-1?fields=updated,{platforms}")).json()["fields"]
    assert [o["value"] for o in issue[platforms]] == ["Web"] and issue["updated"] == before
    left = check(openapi, alice.get(url(alice, f"field/{platforms}/context/{context['id']}/option"))).json()
    assert [o["value"] for o in left["values"]] == ["Web", "Android"]
    refused = alice.put(url(alice, "issue/GLOBEX-1"), json={"fields": {platforms: [{"value": "IOS"}]}})
    assert refused.status_code == 400 and platforms in refused.json()["errors"]
    again = check(openapi, alice.delete(url(alice, f"field/{platforms}/context/{context['id']}/option/{ios}")))
    assert again.status_code == 404


def test_deleting_a_custom_field_is_a_finished_task_and_the_field_is_gone(openapi, simulator):
    alice, dev = (session_for(simulator, "globex", name) for name in ("alice", "dev"))
    points = _field(alice, "Story Points")
    assert alice.put(url(alice, "issue/GLOBEX-1"), json={"fields": {points: 5}}).status_code == 204
    assert check(openapi, dev.delete(url(dev, f"field/{points}"))).status_code == 403
    assert check(openapi, alice.delete(url(alice, "field/summary"))).status_code == 400

    deleted = check(openapi, alice.delete(url(alice, f"field/{points}"), allow_redirects=False))
    assert deleted.status_code == 303 and deleted.headers["Location"] == deleted.json()["self"]
    task = check(openapi, alice.get(deleted.headers["Location"])).json()
    assert task["status"] == "COMPLETE" and task["progress"] == 100
    assert points not in {f["id"] for f in alice.get(url(alice, "field")).json()}
    assert points not in alice.get(url(alice, "issue/GLOBEX-1")).json()["fields"]
    refused = alice.put(url(alice, "issue/GLOBEX-1"), json={"fields": {points: 8}})
    assert refused.json()["errors"][points] == (
        f"Field '{points}' cannot be set. It is not on the appropriate screen, or unknown.")
    assert check(openapi, alice.delete(url(alice, f"field/{points}"), allow_redirects=False)).status_code == 404
