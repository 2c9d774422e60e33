"""The pickers' routes (issue 20, "pickers instead of ids"): the site's projects for the site-wide Create, and a side's
people for Users → pairs. Each asks Jira whether the caller may, answers for the caller's own tenant only, and pages.

Every answer here is validated against openapi.yaml by ApiUser."""
import pytest

from tests.support.api import ApiUser


def _accepted(installed) -> str:
    sync = ApiUser(installed, "acme", "pat", project="ACME").request_sync("GLOBEX", partner_site="globex")
    accepted = ApiUser(installed, "globex", "pat", project="GLOBEX").post(f"/synchronizations/{sync['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return sync["id"]


def test_a_jira_admin_picks_among_the_sites_projects_page_by_page_and_never_another_sites(installed):
    alice = ApiUser(installed, "acme", "alice")  # the administration page: no project
    every = alice.get("/projects")
    assert every.status_code == 200, every.text
    keys = [p["key"] for p in every.json()["projects"]]
    assert "ACME" in keys and "SUP" in keys and "GLOBEX" not in keys
    assert every.json()["total"] == len(keys)
    first = alice.get("/projects", perPage="1").json()
    second = alice.get("/projects", perPage="1", page="2").json()
    assert (first["total"], [p["key"] for p in first["projects"] + second["projects"]]) == (len(keys), keys[:2])
    named = alice.get("/projects", query="support").json()["projects"]
    assert [p["key"] for p in named] == ["SUP"] and named[0]["name"] == "Acme Support"
    globex = ApiUser(installed, "globex", "alice").get("/projects").json()["projects"]
    assert "GLOBEX" in [p["key"] for p in globex] and "ACME" not in [p["key"] for p in globex]


@pytest.mark.parametrize("user, project", [("pat", None), ("pat", "ACME"), ("dev", None)])
def test_only_a_jira_admin_lists_the_sites_projects(installed, user, project):
    answer = ApiUser(installed, "acme", user, project=project).get("/projects")
    assert answer.status_code == 403 and "Administer Jira" in answer.json()["message"]


def test_the_project_list_checks_its_query(installed):
    assert ApiUser(installed, "acme", "alice").get("/projects", query="x" * 101).status_code == 400
    assert ApiUser(installed, "acme", "alice").get("/projects", perPage="101").status_code == 400


def test_people_of_each_side_are_searched_on_their_own_site_for_the_syncs_admins(installed):
    sync_id = _accepted(installed)
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    mine = pat.get(f"/synchronizations/{sync_id}/people", side="1", query="qu")
    assert mine.status_code == 200, mine.text
    assert [p["displayName"] for p in mine.json()["people"]] == ["Quinn Quality"]  # Quinn is only on acme
    theirs = pat.get(f"/synchronizations/{sync_id}/people", side="2", query="qu").json()
    assert theirs["people"] == [] and theirs["more"] is False
    gina = pat.get(f"/synchronizations/{sync_id}/people", side="2", query="gina").json()["people"]
    assert len(gina) == 1 and gina[0]["accountId"] == installed.user("globex", "gina").account_id
    # from the partner's page the sides are the same: side 1 is acme
    seen = ApiUser(installed, "globex", "pat", project="GLOBEX").get(
        f"/synchronizations/{sync_id}/people", side="1", query="quinn").json()["people"]
    assert [p["displayName"] for p in seen] == ["Quinn Quality"]


def test_people_come_a_page_at_a_time_without_apps(installed):
    sync_id = _accepted(installed)
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    everyone = pat.get(f"/synchronizations/{sync_id}/people", side="1", query="e", perPage="100").json()
    names = [p["displayName"] for p in everyone["people"]]
    assert everyone["more"] is False and "Work Sync" not in " ".join(names) and len(names) >= 3
    first = pat.get(f"/synchronizations/{sync_id}/people", side="1", query="e", perPage="2").json()
    second = pat.get(f"/synchronizations/{sync_id}/people", side="1", query="e", perPage="2", page="2").json()
    assert first["more"] is True and [p["displayName"] for p in first["people"] + second["people"]] == names[:4]


def test_people_need_the_syncs_admin_a_known_side_a_query_and_an_accepted_partner(installed):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    pending = pat.request_sync("GLOBEX", partner_site="globex", name="Pending")["id"]
    before = pat.get(f"/synchronizations/{pending}/people", side="2", query="gina")
    assert before.status_code == 409, before.text  # nothing of the partner before it accepts
    assert pat.get(f"/synchronizations/{pending}/people", side="1", query="pat").status_code == 200
    accepted = ApiUser(installed, "globex", "pat", project="GLOBEX").post(f"/synchronizations/{pending}/accept")
    assert accepted.status_code == 200, accepted.text
    sync_id = pending
    assert pat.get(f"/synchronizations/{sync_id}/people", side="2", query="gina").status_code == 200
    assert pat.get(f"/synchronizations/{sync_id}/people", side="3", query="pat").status_code == 400
    assert pat.get(f"/synchronizations/{sync_id}/people", side="1", query=" ").status_code == 400
    unnamed = pat.get(f"/synchronizations/{sync_id}/people", side="1")  # neither a query nor accountIds
    assert unnamed.status_code == 422 and "or one or more 'accountId'" in unnamed.json()["message"], unnamed.text
    dev = ApiUser(installed, "acme", "dev", project="ACME")
    assert dev.get(f"/synchronizations/{sync_id}/people", side="1", query="pat").status_code == 403
    # the partner site's people who do not administer GLOBEX are refused too, and an unknown id is not there
    stranger = ApiUser(installed, "globex", "dev", project="GLOBEX")
    assert stranger.get(f"/synchronizations/{sync_id}/people", side="1", query="pat").status_code == 403
    assert pat.get("/synchronizations/999/people", side="1", query="pat").status_code == 404


def test_people_named_by_their_account_ids_come_in_one_answer_without_those_jira_does_not_show(installed):
    sync_id = _accepted(installed)
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    quinn, gina = installed.user("acme", "quinn").account_id, installed.user("globex", "gina").account_id
    mine = pat.get(f"/synchronizations/{sync_id}/people", side="1", accountId=[quinn, "557058:nobody", quinn])
    assert mine.status_code == 200, mine.text
    assert mine.json()["people"] == [{"accountId": quinn, "displayName": "Quinn Quality"}]
    theirs = pat.get(f"/synchronizations/{sync_id}/people", side="2", accountId=[gina]).json()["people"]
    assert theirs == [{"accountId": gina, "displayName": "Gina Globex"}]
    assert pat.get(f"/synchronizations/{sync_id}/people", side="1").status_code == 422  # neither query nor ids
    assert pat.get(f"/synchronizations/{sync_id}/people", side="1",
                   accountId=[f"id-{n}" for n in range(101)]).status_code == 400
