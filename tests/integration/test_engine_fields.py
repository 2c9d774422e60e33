"""A running synchronization keeps linked issues equal, field by field, with one write per change and no echo."""
import pytest

from jirasim import adf
from tests.support.world import SIDE1_KINDS

pytestmark = [SIDE1_KINDS, pytest.mark.in_process]


def test_an_issue_created_on_one_side_appears_on_the_other_with_its_fields(engine):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Printer on fire", labels=["hardware"],
                        description=adf.from_text("It smokes.\nSecond line."))
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    assert partner and partner.startswith("GLOBEX-")
    fields = engine.issue("globex", partner)
    assert (fields["summary"], fields["labels"], adf.to_text(fields["description"])) == (
        "Printer on fire", ["hardware"], "It smokes.\nSecond line.")
    assert fields["issuetype"]["name"] == "Task"


def test_an_edit_is_written_once_to_the_partner_and_nothing_comes_back(engine):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Before")
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    engine.reset_calls()
    engine.edit("acme", key, summary="After")
    engine.settle()
    assert engine.issue("globex", partner)["summary"] == "After"
    calls = engine.calls()
    assert calls.get("globex PUT /rest/api/3/issue/{issueIdOrKey}") == 1
    assert not calls.get("acme PUT /rest/api/3/issue/{issueIdOrKey}")


def _ids(engine, site: str, project: str) -> dict:
    """Names → ids on a site: priorities, and the custom fields and their options."""
    fields = {f["name"]: f["id"] for f in engine.rest(site, "GET", "/field").json()}
    types = {t["name"]: t["id"] for t in engine.rest(site, "GET", f"/project/{project}").json()["issueTypes"]}
    meta = engine.rest(site, "GET", f"/issue/createmeta/{project}/issuetypes/{types['Task']}",
                       params={"maxResults": 200}).json()["fields"]
    options = {f["name"]: {v.get("value"): v["id"] for v in f.get("allowedValues") or []} for f in meta}
    return {"fields": fields, "options": options}


def test_every_kind_of_field_syncs_both_ways_through_names_never_ids(engine):
    sync_id = engine.synchronize()
    acme, globex = _ids(engine, "acme", "ACME"), _ids(engine, "globex", "GLOBEX")
    pat = engine.installed.user("acme", "pat").account_id
    dev = engine.installed.user("acme", "dev").account_id
    f = acme["fields"]
    key = engine.create("acme", "ACME", "All kinds", labels=["a", "b"], priority={"name": "High"},
                        duedate="2026-12-24", assignee={"accountId": pat}, components=[{"name": "Backend"}],
                        fixVersions=[{"name": "2.0"}], **{
                            f["Customer Reference"]: "CR-7", f["Story Points"]: 5, f["Go-live Date"]: "2027-01-15",
                            f["Severity"]: {"id": acme["options"]["Severity"]["Major"]},
                            f["Platforms"]: [{"id": acme["options"]["Platforms"]["iOS"]}],
                            f["Reviewer"]: {"accountId": dev},
                            f["Release Notes"]: adf.from_text("Shipped.")})
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    seen, g = engine.issue("globex", partner), globex["fields"]
    assert (sorted(seen["labels"]), seen["priority"]["name"], seen["duedate"]) == (["a", "b"], "High", "2026-12-24")
    assert seen["assignee"]["accountId"] == pat and seen[g["Reviewer"]]["accountId"] == dev
    assert [c["name"] for c in seen["components"]] == ["Backend"] and [v["name"] for v in seen["fixVersions"]] == [
        "2.0"]
    assert (seen[g["Customer Reference"]], seen[g["Story Points"]], seen[g["Go-live Date"]]) == ("CR-7", 5,
                                                                                                 "2027-01-15")
    assert seen[g["Severity"]]["value"] == "Major" and [o["value"] for o in seen[g["Platforms"]]] == ["IOS"]
    assert adf.to_text(seen[g["Release Notes"]]) == "Shipped."

    engine.edit("globex", partner, labels=["b", "c"], priority={"name": "Low"}, assignee=None,
                **{g["Story Points"]: 8, g["Platforms"]: [{"id": globex["options"]["Platforms"]["Web"]}]})
    engine.settle()
    back = engine.issue("acme", key)
    assert (sorted(back["labels"]), back["priority"]["name"], back["assignee"]) == (["b", "c"], "Low", None)
    assert back[f["Story Points"]] == 8 and [o["value"] for o in back[f["Platforms"]]] == ["Web"]


def test_a_status_change_moves_the_partner_through_its_workflow(engine):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Moving")
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    start = next(t["id"] for t in engine.rest("acme", "GET", f"/issue/{key}/transitions").json()["transitions"]
                 if t["to"]["name"] == "In Progress")
    assert engine.rest("acme", "POST", f"/issue/{key}/transitions", json={"transition": {"id": start}}).ok
    engine.settle()
    assert engine.issue("globex", partner)["status"]["name"] == "In Progress"


def test_a_one_way_field_follows_its_source_and_never_flows_back(engine):
    sync_id = engine.synchronize()

    def one_way_labels(document):
        next(row for row in document["fields"] if row["1"]["id"] == "labels")["direction"] = "1→2"

    engine.configure(sync_id, one_way_labels)
    key = engine.create("acme", "ACME", "One way", labels=["from-acme"])
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    engine.edit("globex", partner, labels=["local-change"], summary="Two-way still")
    engine.settle()
    assert engine.issue("acme", key)["labels"] == ["from-acme"]
    assert engine.issue("acme", key)["summary"] == "Two-way still"
    engine.edit("acme", key, labels=["again"])
    engine.settle()
    assert engine.issue("globex", partner)["labels"] == ["again"]
