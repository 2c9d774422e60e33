"""The Configure page in Chromium on both simulated sites: review mode's drafts, immediate mode, unsaved changes.

The sample sites differ on purpose (globex calls Bug "Defect" and Done "Closed", and its ids differ), so
everything is picked by name.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import Configure, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def _accepted(installed, mode: str, name: str) -> str:
    """A synchronization ACME (acme) → GLOBEX (globex) requested and accepted through the API; its id."""
    sync = ApiUser(installed, "acme", "pat", project="ACME").request_sync("GLOBEX", partner_site="globex",
                                                                         mode=mode, name=name)
    accepted = ApiUser(installed, "globex", "pat", project="GLOBEX").post(f"/synchronizations/{sync['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return sync["id"]


def _page(installed, browser, site: str, console=None) -> Configure:
    project = site.upper()
    return Configure(open_as(installed, browser, site, "pat", project_settings_path(installed, site, project),
                             console)).loaded()


def _published(installed, sync_id: str) -> dict:
    answer = ApiUser(installed, "acme", "pat", project="ACME").get(f"/synchronizations/{sync_id}/configuration")
    return answer.json()["published"]


def _row(document: dict, section: str, side1: str) -> dict:
    return next(row for row in document[section] if row["1"]["name"] == side1)


def test_review_flow_send_decline_resend_and_accept_publishes_the_draft_on_both_sites(installed, browser):
    console = []
    acme = _page(installed, browser, "acme", console)
    acme.part("create-first").click()
    create = acme.part("create-dialog")
    create.get_by_text("A project on another Jira site").click()
    create.get_by_label("Partner site").fill(installed.sim.site_url("globex"))
    create.get_by_label("Partner project").fill("GLOBEX")
    create.get_by_label("Name", exact=True).fill("Partner bridge")
    create.get_by_text("Review", exact=True).click()
    acme.part("create-submit").click()
    acme.expect_flag("Synchronization requested")
    globex = _page(installed, browser, "globex", console)
    globex.row("Partner bridge").locator('[data-testid="view-request"]').click()
    globex.part("request-dialog").locator('[data-testid="accept"]').click()
    globex.expect_flag("Request accepted")
    expect(globex.row("Partner bridge").locator('[data-testid="draft-status"]')).to_have_text(
        "Not configured · configure it")
    sync_id = globex.row("Partner bridge").get_attribute("data-sync-id")

    acme.reload().configure("Partner bridge")
    expect(acme.part("config-draft-status")).to_have_text("Not configured · configure it")
    expect(acme.part("side-1")).to_have_text(f"ACME on {installed.sim.site_url('acme')} — this site, your project")
    expect(acme.part("side-2")).to_have_text(f"GLOBEX on {installed.sim.site_url('globex')} — the partner")
    acme.part("map-same-names").click()
    acme.expect_flag(re.compile(r"\d+ pairs added"))
    expect(acme.pair("issueTypes", "Bug")).to_have_count(0)  # "Defect" on globex: no name to match
    acme.add_pair("issueTypes", "Bug", "Defect")
    acme.tab("Fields")
    acme.pair("fields", "Description").get_by_role("button", name="1 → 2").click()
    acme.part("save").click()
    acme.expect_flag("Draft saved")
    expect(acme.part("config-draft-status")).to_have_text("Draft saved · not sent")  # not n/a (issue 20)
    expect(acme.reload().row("Partner bridge").locator('[data-testid="draft-status"]')).to_have_text(
        "Draft saved · not sent")
    acme.configure("Partner bridge")
    acme.send("Bugs are <b>your</b> defects")
    acme.expect_flag("Draft sent")
    expect(acme.part("config-draft-status")).to_have_text("Sent · waiting for the partner")

    globex.reload().configure("Partner bridge")
    expect(globex.part("config-draft-status")).to_have_text("Partner's draft · review it")
    expect(globex.part("side-2")).to_have_text(
        f"GLOBEX on {installed.sim.site_url('globex')} — this site, your project")
    expect(globex.part("received-message")).to_have_text("ACME wrote: Bugs are <b>your</b> defects")
    expect(globex.part("received-message").locator("b")).to_have_count(0)
    expect(globex.diff_row("Bug ↔ Defect")).to_contain_text("added")
    expect(globex.diff_row("Description ↔ Description")).to_contain_text("1→2")
    globex.part("decline-draft").click()
    globex.part("decline-draft-dialog").get_by_label("Message").fill("Please pair Done with Closed too")
    globex.part("decline-draft-submit").click()
    globex.expect_flag("Draft declined")
    expect(globex.part("received")).to_be_hidden()
    expect(globex.part("config-draft-status")).to_have_text("Not configured · configure it")

    acme.reload()
    expect(acme.row("Partner bridge").locator('[data-testid="draft-status"]')).to_have_text(
        "Declined · change it and send again")
    acme.configure("Partner bridge")
    expect(acme.part("decline-message")).to_have_text("They wrote: Please pair Done with Closed too")
    acme.tab("Statuses")
    acme.add_pair("statuses", "Done", "Closed")
    acme.send("Done is Closed now")  # saves the change first
    acme.expect_flag("Draft sent")

    globex.reload().configure("Partner bridge")
    expect(globex.part("received-message")).to_have_text("ACME wrote: Done is Closed now")
    expect(globex.diff_row("Done ↔ Closed")).to_contain_text("added")
    globex.part("accept-draft").click()
    globex.expect_flag("Draft accepted")
    expect(globex.part("config-draft-status")).to_have_text("Agreed · version 1")
    expect(acme.reload().row("Partner bridge").locator('[data-testid="draft-status"]')).to_have_text(
        "Agreed · version 1")
    acme.menu("Partner bridge", "Start")
    acme.expect_flag("Synchronization started")
    expect(acme.status_of("Partner bridge")).to_have_text("running")
    expect(globex.reload().row("Partner bridge").locator('[data-testid="draft-status"]')).to_have_text(
        "Agreed · version 1")

    published = _published(installed, sync_id)
    assert _row(published, "issueTypes", "Bug")["2"]["name"] == "Defect"
    assert _row(published, "statuses", "Done")["2"]["name"] == "Closed"
    assert _row(published, "fields", "Description")["direction"] == "1→2"
    assert [line for line in console if "Content Security Policy" in line] == []


def test_immediate_mode_publishes_each_save_and_shows_a_problem_on_its_row(installed, browser):
    sync_id = _accepted(installed, "immediate", "Instant bridge")
    acme = _page(installed, browser, "acme").configure("Instant bridge")
    expect(acme.part("config-draft-status")).to_have_text("Published · version 1")
    acme.tab("Fields")
    priority = acme.pair("fields", "Priority")
    priority.locator('[data-testid="edit-values"]').click()
    values = acme.frame.locator('[data-testid="value-map"]')
    values.locator('[data-testid="value-pair"]').filter(
        has=acme.frame.locator('select[data-side="1"] option:checked', has_text="Lowest")).locator(
        '[data-testid="remove"]').click()
    values.locator('[data-testid="default-2"]').select_option(label="Low")
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    expect(acme.part("config-draft-status")).to_have_text("Published · version 2")
    priority_map = _row(_published(installed, sync_id), "fields", "Priority")["transform"]
    assert [pair["1"]["name"] for pair in priority_map["pairs"]] == ["Highest", "High", "Medium", "Low"]
    assert priority_map["default"] == {"2": {"id": "4", "name": "Low"}}

    acme.pair("fields", "Customer Reference").locator('[data-testid="remove"]').click()
    points = acme.pair("fields", "Story Points")
    points.locator('select[data-side="2"]').select_option(label="Customer Reference")  # a text field
    acme.part("save").click()
    acme.expect_flag("Saved as a draft, not published")
    expect(acme.problems_below(points)).to_contain_text(
        "A Number field cannot be copied into a Short text field (ACME → GLOBEX)")
    expect(acme.part("problems-title")).to_have_text("2 problems to fix before it can be published")
    expect(acme.part("config-draft-status")).to_have_text("Draft not published · fix its problems · version 2 live")
    points.get_by_role("button", name="1 → 2").click()
    points.locator('[data-testid="transform"]').select_option(label="to text")
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    expect(acme.part("problems")).to_be_hidden()
    story_points = _row(_published(installed, sync_id), "fields", "Story Points")
    assert (story_points["2"]["name"], story_points["direction"], story_points["transform"]) == (
        "Customer Reference", "1→2", {"type": "toText"})


def test_leaving_with_unsaved_changes_asks_first_and_leaving_drops_them(installed, browser):
    _accepted(installed, "immediate", "Careful bridge")
    acme = _page(installed, browser, "acme").configure("Careful bridge")
    acme.tab("Statuses")
    acme.pair("statuses", "To Do").get_by_role("button", name="2 → 1").click()
    expect(acme.part("dirty")).to_be_visible()
    acme.part("back").click()
    expect(acme.part("leave-dialog")).to_be_visible()
    acme.part("stay").click()
    expect(acme.pair("statuses", "To Do").get_by_role("button", name="2 → 1")).to_have_attribute(
        "aria-pressed", "true")
    acme.part("back").click()
    acme.part("leave").click()
    expect(acme.part("list")).to_be_visible()
    acme.configure("Careful bridge")
    acme.tab("Statuses")
    expect(acme.pair("statuses", "To Do").get_by_role("button", name="both")).to_have_attribute(
        "aria-pressed", "true")
