"""The Configure page's Sub-tasks and worklogs tab in Chromium: hierarchy turned on and a sub-task type mapped,
worklogs one way by user mapping, published; a sub-task type mapped to a standard type is a problem that names
what to do. The Users tab's mentions choice: copied as plain text, published, and shown again."""
import pytest
from playwright.sync_api import expect

from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import Configure, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def test_hierarchy_and_worklogs_are_turned_on_and_published(installed, browser):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", mode="immediate", name="Family bridge")
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    acme = Configure(open_as(installed, browser, "acme", "pat",
                             project_settings_path(installed, "acme", "ACME"))).loaded().configure("Family bridge")
    acme.tab("Sub-tasks and worklogs")
    hierarchy = acme.part("hierarchy-direction")
    expect(hierarchy.locator('[aria-pressed="true"]')).to_have_text("off")
    hierarchy.get_by_role("button", name="both").click()
    acme.part("worklogs-direction").get_by_role("button", name="1 → 2").click()
    acme.part("worklogs-mode").select_option("user")
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    published = pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]
    assert published["hierarchy"] == {"direction": "both"}
    assert published["worklogs"] == {"direction": "1→2", "mode": "user"}


def test_a_sub_task_type_mapped_to_a_standard_type_is_a_problem_below_its_row(installed, browser):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", mode="immediate", name="Odd bridge")
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    acme = Configure(open_as(installed, browser, "acme", "pat",
                             project_settings_path(installed, "acme", "ACME"))).loaded().configure("Odd bridge")
    acme.tab("Sub-tasks and worklogs")
    acme.part("hierarchy-direction").get_by_role("button", name="both").click()
    acme.tab("Work types")
    row = acme.add_pair("issueTypes", "Sub-task", "Task")
    acme.part("save").click()
    acme.expect_flag("Saved as a draft, not published")
    expect(acme.problems_below(row)).to_contain_text("map sub-task types only to sub-task types")
    assert "hierarchy" not in pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]


def test_mentions_copied_as_plain_text_are_chosen_in_the_users_tab_and_published(installed, browser):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", mode="immediate", name="Quiet bridge")
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    assert "mentions" not in pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]["users"]
    page = open_as(installed, browser, "acme", "pat", project_settings_path(installed, "acme", "ACME"))
    acme = Configure(page).loaded().configure("Quiet bridge")
    acme.tab("Users")
    mentions = acme.part("users-mentions")
    expect(mentions.get_by_label("Follow the user mapping", exact=False)).to_be_checked()  # absent: map
    mentions.get_by_text("Copy as plain text (nobody is notified on the other site)").click()  # AUI: the label
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    published = pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]
    assert published["users"]["mentions"] == "text"
    assert published["users"]["match"]  # the rest of the user mapping stays as it was
    again = Configure(page).reload().configure("Quiet bridge")
    again.tab("Users")
    expect(again.part("users-mentions").get_by_label("Copy as plain text", exact=False)).to_be_checked()
