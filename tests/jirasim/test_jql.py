"""The JQL subset: parsing, errors in Jira's style, and evaluation through search/jql (incl. search lag)."""
from __future__ import annotations

from datetime import UTC

import pytest
import requests

from jirasim import jql
from jirasim.sample import populate
from jirasim.store.apps import Installation
from jirasim.testing import running_simulator
from jirasim.world import World
from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


def search(session, query, **extra):
    response = session.post(session.base + "/rest/api/3/search/jql",
                            json={"jql": query, "fields": ["summary", "labels", "status"], **extra})
    assert response.status_code == 200, response.text
    return response.json()


def keys(session, query, **extra):
    return [i["key"] for i in search(session, query, **extra)["issues"]]


def test_parser_builds_boolean_tree_and_order():
    where, order = jql.parse('project in (ACME, SUP) AND NOT (status = "Done" OR labels = x) '
                             'ORDER BY updated DESC, key ASC')
    assert where[0] == "and" and where[2][0] == "not" and where[2][1][0] == "or"
    assert order == [("updated", True), ("key", False)]


def test_parser_reads_property_clauses():
    where, _ = jql.parse('issue.property[sync.origin].site.name = "globex"')
    assert where == ("clause", ("property", "sync.origin", "site.name"), "=", "globex",
                     "issue.property[sync.origin].site.name")


@pytest.mark.parametrize("query, message", [
    ("project = ", "Expecting either a value, 'EMPTY' or a function but got the end of the query"),
    ("project ACME", "Expecting operator but got 'ACME'"),
    ("colour = red", "Field 'colour' does not exist or you do not have permission to view it."),
    ("project = ACME ORDER BY colour", "Not able to sort using field 'colour'."),
    ("project = ACME AND (status = Done", "Expecting ')'"),
])
def test_parser_errors_are_jira_shaped(query, message):
    with pytest.raises(jql.JqlError) as caught:
        jql.parse(query)
    assert message in caught.value.message
    assert caught.value.status == 400


def test_relative_and_absolute_dates():
    from datetime import datetime
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert jql.parse_date("-5m", "updated", now) == datetime(2026, 11, 29, 11, 55, tzinfo=UTC)
    assert jql.parse_date("-2d", "updated", now).day == 27
    assert jql.parse_date("2026-11-29 04:40", "updated", now).hour == 4
    assert jql.parse_date("2026/11/29", "updated", now).day == 29
    with pytest.raises(jql.JqlError):
        jql.parse_date("yesterday", "updated", now)


def test_search_filters_by_project_status_labels_and_key(alice):
    assert set(keys(alice, "project = ACME")) == {"ACME-1", "ACME-2", "ACME-3"}
    assert keys(alice, "project in (ACME, SUP) AND labels = urgent ORDER BY key") == ["ACME-2", "SUP-2"]
    assert keys(alice, "key in (ACME-1, SUP-3) ORDER BY key DESC") == ["SUP-3", "ACME-1"]
    assert keys(alice, 'project = ACME AND issuetype = Bug') == ["ACME-2"]
    assert set(keys(alice, 'project = SUP AND status != "In Progress" AND NOT labels = infra')) == {"SUP-2", "SUP-3"}
    assert keys(alice, "project = ACME AND updated >= -1h ORDER BY created ASC")[:1] == ["ACME-1"]
    assert keys(alice, 'project = ACME AND created < "2000-01-01"') == []


def test_issue_names_one_issue_by_key_or_id_as_in_jira(alice):
    one = alice.get(alice.base + "/rest/api/3/issue/ACME-2").json()
    assert keys(alice, "issue = ACME-2") == ["ACME-2"]
    assert keys(alice, f"issue = {one['id']} AND (labels = urgent)") == ["ACME-2"]
    assert keys(alice, f"issue = {one['id']} AND (labels = nowhere)") == []


def _indexing_app(site, key: str, paths: list[str]) -> None:
    """An installed app whose descriptor indexes issue property `key` at `paths` (a jiraEntityProperties module)."""
    module = {"key": "index", "name": {"value": "Index"}, "entityType": "issue", "keyConfigurations": [
        {"propertyKey": key, "extractions": [{"objectName": path, "type": "string"} for path in paths]}]}
    site.apps["indexer"] = Installation("indexer", {}, "http://127.0.0.1:9/app", "client", "secret", ["READ"], [],
                                        {"jiraEntityProperties": [module]}, {}, "app-account")


def test_only_properties_an_app_indexes_are_searchable(shared_simulator, alice):
    refused = alice.post(alice.base + "/rest/api/3/search/jql", json={"jql": 'issue.property[unindexed].origin = "x"'})
    assert refused.status_code == 400 and refused.json()["errorMessages"] == [
        "Field 'issue.property[unindexed].origin' does not exist or you do not have permission to view it."]


def test_search_on_issue_properties(shared_simulator, alice):
    _indexing_app(shared_simulator.site("acme"), "sync", ["origin.key", "rev"])
    alice.put(alice.base + "/rest/api/3/issue/SUP-1/properties/sync", json={"origin": {"key": "GLOBEX-7"}, "rev": 4})
    sup_1 = [int(alice.get(alice.base + "/rest/api/3/issue/SUP-1").json()["id"])]  # just written: reconcile it
    assert keys(alice, 'issue.property[sync].origin.key = "GLOBEX-7"', reconcileIssues=sup_1) == ["SUP-1"]
    assert keys(alice, "project = SUP AND issue.property[sync].rev >= 4", reconcileIssues=sup_1) == ["SUP-1"]
    assert keys(alice, "issue.property[sync].rev = 5", reconcileIssues=sup_1) == []


def test_search_pages_with_next_page_token(alice):
    first = search(alice, "project in (ACME, SUP) ORDER BY key", maxResults=4)
    assert len(first["issues"]) == 4 and first["isLast"] is False
    second = search(alice, "project in (ACME, SUP) ORDER BY key", maxResults=4, nextPageToken=first["nextPageToken"])
    assert second["isLast"] is True
    assert [i["key"] for i in first["issues"] + second["issues"]][:6] == ["ACME-1", "ACME-2", "ACME-3", "SUP-1",
                                                                         "SUP-2", "SUP-3"]


def test_search_errors(alice):
    unknown = alice.post(alice.base + "/rest/api/3/search/jql", json={"jql": "project = NOPE"})
    assert unknown.status_code == 400
    assert unknown.json() == {"errorMessages": ["The value 'NOPE' does not exist for the field 'project'."],
                              "errors": {}}
    unbounded = alice.get(alice.base + "/rest/api/3/search/jql", params={"jql": "ORDER BY key"})
    assert unbounded.status_code == 400 and "Unbounded JQL" in unbounded.json()["errorMessages"][0]


def test_search_lag_hides_new_issues_and_serves_stale_ones_unless_reconciled(shared_simulator, alice):
    with shared_simulator.world.lock:  # everything written so far counts as indexed long ago
        for issue in shared_simulator.site("acme").issues.values():
            issue.writes.clear()
    shared_simulator.world.faults.set_search_lag("acme", 60_000)
    try:
        created = alice.post(alice.base + "/rest/api/3/issue", json={"fields": {
            "project": {"key": "ACME"}, "issuetype": {"name": "Task"}, "summary": "fresh"}}).json()
        alice.put(alice.base + "/rest/api/3/issue/ACME-1", json={"fields": {"summary": "renamed"}})
        assert created["key"] not in keys(alice, "project = ACME")
        stale = {i["key"]: i["fields"]["summary"] for i in search(alice, "project = ACME")["issues"]}
        assert stale["ACME-1"] == "Set up the build pipeline"
        fresh = search(alice, "project = ACME", reconcileIssues=[int(created["id"]), 10000])["issues"]
        by_key = {i["key"]: i["fields"]["summary"] for i in fresh}
        assert by_key[created["key"]] == "fresh" and by_key["ACME-1"] == "renamed"
    finally:
        shared_simulator.world.faults.set_search_lag("acme", 0)
    assert created["key"] in keys(alice, "project = ACME")


def test_search_lag_is_on_by_default_and_a_world_setting(simulator):
    assert requests.get(f"{simulator.base_url}/_sim/faults", timeout=5).json()["defaultSearchLagMs"] == 200
    world = World(populate=populate, search_lag_ms=600_000)
    world.add_site("acme")
    with running_simulator(world=world) as running:
        alice = session_for(running, "acme", "alice")
        assert set(keys(alice, "project = ACME")) == {"ACME-1", "ACME-2", "ACME-3"}  # sample data is indexed
        created = alice.post(alice.base + "/rest/api/3/issue", json={"fields": {
            "project": {"key": "ACME"}, "issuetype": {"name": "Task"}, "summary": "fresh"}}).json()
        assert created["key"] not in keys(alice, "project = ACME")
        assert created["key"] in keys(alice, "project = ACME", reconcileIssues=[int(created["id"])])
        requests.post(f"{running.base_url}/_sim/faults", json={"kind": "search_lag", "ms": 0}, timeout=5)
        assert created["key"] in keys(alice, "project = ACME")


def test_reconcile_issues_takes_at_most_50_ids(openapi, alice):
    ids = [int(alice.get(alice.base + "/rest/api/3/issue/ACME-1").json()["id"])] * 51

    def reconciling(count):
        return check(openapi, alice.post(alice.base + "/rest/api/3/search/jql",
                                         json={"jql": "project = ACME", "reconcileIssues": ids[:count]}))

    too_many = reconciling(51)
    assert too_many.status_code == 400
    assert too_many.json() == {"errorMessages": ["The number of issues to reconcile can't exceed 50."], "errors": {}}
    assert reconciling(50).status_code == 200


def test_the_approximate_count_counts_what_search_would_find(openapi, alice):
    counted = check(openapi, alice.post(alice.base + "/rest/api/3/search/approximate-count",
                                        json={"jql": "project = ACME"}))
    assert counted.json() == {"count": len(keys(alice, "project = ACME"))}
    unbounded = alice.post(alice.base + "/rest/api/3/search/approximate-count", json={"jql": ""})
    assert unbounded.status_code == 400
