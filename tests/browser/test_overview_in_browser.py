"""The synchronizations overview in Chromium, inside the simulated Jira of both sites, as their admins use it."""
import re

import pytest
from playwright.sync_api import expect

from plugin.syncs import requests_guard
from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import ADMIN_PATH, Overview, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]

TRICKY = 'Bridge <script>alert("x")</script> \'quoted\''


def _overview(installed, browser, site: str, user: str, project: str | None = None, console=None) -> Overview:
    path = project_settings_path(installed, site, project) if project else ADMIN_PATH
    return Overview(open_as(installed, browser, site, user, path, console)).loaded()


def _accepted(installed, partner_site: str, partner_project: str, name: str, own_project: str = "ACME") -> dict:
    """A synchronization requested through the API by Pat on acme and accepted by Pat on the partner's side."""
    sync = ApiUser(installed, "acme", "pat", project=own_project).request_sync(
        partner_project, partner_site=None if partner_site == "acme" else partner_site, name=name)
    accepted = ApiUser(installed, partner_site, "pat", project=partner_project).post(
        f"/synchronizations/{sync['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return sync


def _tick(box) -> None:
    """Check an AUI checkbox as a person does: its label (drawn over the hidden input, with the glyph) is clicked."""
    box.locator("xpath=following-sibling::label").click()
    expect(box).to_be_checked()


def test_a_cross_site_request_is_accepted_started_stopped_edited_and_deleted_on_both_sites(installed, browser):
    console = []
    acme = _overview(installed, browser, "acme", "pat", "ACME", console)
    alerts = []
    acme.page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    expect(acme.part("empty")).to_be_visible()
    acme.part("create-first").click()
    create = acme.part("create-dialog")
    create.get_by_text("A project on another Jira site").click()
    create.get_by_label("Partner site").fill(installed.sim.site_url("globex") + "/")
    create.get_by_label("Partner project").fill("NOPE")
    create.get_by_label("Name", exact=True).fill(TRICKY)
    create.get_by_label("Description").fill("Support <b>tickets</b> & bugs")
    acme.part("create-submit").click()
    expect(create.locator('[data-error-for="partner.project"]')).to_have_text("unknown project")
    expect(create.locator('[data-testid="dialog-error"]')).to_contain_text("Project NOPE does not exist on")
    create.get_by_label("Partner project").fill("globex")
    acme.part("create-submit").click()
    acme.expect_flag("Synchronization requested")
    expect(acme.status_of(TRICKY)).to_have_text("request sent")
    expect(acme.row(TRICKY).locator('[data-testid="partner"]')).to_have_text(
        "GLOBEX" + installed.sim.site_url("globex"))
    expect(acme.row(TRICKY).locator('[data-testid="description"]')).to_have_text("Support <b>tickets</b> & bugs")
    expect(acme.row(TRICKY).locator("script, b")).to_have_count(0)

    globex = _overview(installed, browser, "globex", "pat", "GLOBEX")
    expect(globex.status_of(TRICKY)).to_have_text("incoming request")
    globex.row(TRICKY).locator('[data-testid="view-request"]').click()
    expect(globex.part("request-details")).to_contain_text(f"ACME on {installed.sim.site_url('acme')}")
    globex.part("request-dialog").locator('[data-testid="accept"]').click()
    globex.expect_flag("Request accepted")
    expect(globex.status_of(TRICKY)).to_have_text("stopped")
    expect(globex.row(TRICKY).locator('[data-testid="draft-status"]')).to_have_text(
        re.compile(r"^Published · version \d+$"))

    acme.reload()
    acme.menu(TRICKY, "Start")
    acme.expect_flag("Synchronization started")
    expect(acme.status_of(TRICKY)).to_have_text("running")
    expect(globex.reload().status_of(TRICKY)).to_have_text("running")
    globex.menu(TRICKY, "Stop")
    globex.expect_flag("Synchronization stopped")
    expect(globex.status_of(TRICKY)).to_have_text("stopped")

    acme.reload().menu(TRICKY, "Edit")
    edit = acme.part("edit-dialog")
    expect(edit.get_by_label("Name")).to_have_value(TRICKY)
    edit.get_by_label("Name").fill("   ")
    acme.part("edit-submit").click()
    expect(edit.locator('[data-error-for="name"]')).to_have_text("a name is required")
    edit.get_by_label("Name").fill("Support bridge")
    acme.part("edit-submit").click()
    acme.expect_flag("Synchronization saved")
    expect(acme.status_of("Support bridge")).to_have_text("stopped")

    acme.menu("Support bridge", "Start")
    expect(acme.status_of("Support bridge")).to_have_text("running")
    acme.menu("Support bridge", "Delete")
    expect(acme.part("delete-name")).to_have_text("Support bridge")
    acme.part("delete-submit").click()
    acme.expect_flag("Synchronization deleted")
    expect(acme.part("empty")).to_be_visible()
    expect(globex.reload().part("empty")).to_be_visible()
    assert alerts == []
    assert [line for line in console if "Content Security Policy" in line] == []


def test_a_declined_request_leaves_the_partners_list_and_shows_the_requester_the_message(installed, browser):
    ApiUser(installed, "acme", "pat", project="ACME").request_sync("GLOBEX", partner_site="globex",
                                                                   name="Quarterly sync")
    globex = _overview(installed, browser, "globex", "pat", "GLOBEX")
    globex.row("Quarterly sync").locator('[data-testid="view-request"]').click()
    globex.part("request-dialog").locator('[data-testid="decline"]').click()
    globex.part("decline-dialog").get_by_label("Message").fill("Not this quarter, sorry")
    globex.part("decline-submit").click()
    globex.expect_flag("Request declined")
    expect(globex.part("empty")).to_be_visible()

    acme = _overview(installed, browser, "acme", "pat", "ACME")
    row = acme.row("Quarterly sync")
    expect(acme.status_of("Quarterly sync")).to_have_text("declined")
    expect(row.locator('[data-testid="declined-note"]')).to_have_text("Please delete it.")
    expect(row.locator('[data-testid="decline-message"]')).to_have_text("The partner wrote: Not this quarter, sorry")
    acme.menu("Quarterly sync", "Delete")
    acme.part("delete-submit").click()
    expect(acme.part("empty")).to_be_visible()


def test_bulk_start_and_stop_are_offered_only_for_a_selection_in_one_status(installed, browser):
    names = ["Alpha", "Beta", "Gamma"]
    alpha = _accepted(installed, "globex", "GLOBEX", "Alpha")
    _accepted(installed, "globex", "SUP", "Beta")
    _accepted(installed, "acme", "SUP", "Gamma")
    assert ApiUser(installed, "acme", "pat", project="ACME").post(
        f"/synchronizations/{alpha['id']}/start").status_code == 200
    acme = _overview(installed, browser, "acme", "pat", "ACME")
    _tick(acme.row("Alpha").locator('[data-testid="select"]'))
    _tick(acme.row("Beta").locator('[data-testid="select"]'))
    expect(acme.part("selection")).to_have_text("2 selected")
    for button in ("bulk-start", "bulk-stop"):
        expect(acme.part(button)).to_have_attribute("aria-disabled", "true")
        expect(acme.part(button)).not_to_have_attribute("title", re.compile(".+"))  # an AUI tooltip, not the browser's
        acme.part(button).hover()
        expect(acme.frame.locator("#aui-tooltip")).to_contain_text(re.compile(r"different states \(running, stopped\)"))

    acme.part("select-menu").click()
    acme.frame.locator("#ws-select-menu").get_by_text("stopped", exact=True).click()
    expect(acme.part("selection")).to_have_text("All 2 stopped synchronizations selected")
    expect(acme.part("bulk-stop")).to_be_hidden()
    expect(acme.part("bulk-start")).to_have_attribute("aria-disabled", "false")
    acme.part("bulk-start").click()
    acme.expect_flag("2 synchronizations started")
    for name in names:
        expect(acme.status_of(name)).to_have_text("running")
    expect(acme.part("bulk")).to_be_hidden()

    _tick(acme.part("select-page"))
    expect(acme.part("bulk-start")).to_be_hidden()
    acme.part("bulk-stop").click()
    acme.expect_flag("3 synchronizations stopped")
    for name in names:
        expect(acme.status_of(name)).to_have_text("stopped")
    partner = ApiUser(installed, "globex", "pat", project="GLOBEX").get("/synchronizations", project="GLOBEX").json()
    assert [s["status"] for s in partner["synchronizations"]] == ["stopped"]


def test_the_admin_page_lists_every_synchronization_of_the_site_page_by_page(installed, browser, monkeypatch):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    partner = ApiUser(installed, "globex", "pat", project="GLOBEX")
    monkeypatch.setattr(requests_guard, "DECLINE_COOLDOWN", requests_guard.timedelta(0))  # the limits on requests
    monkeypatch.setattr(requests_guard, "MAX_OPEN_PER_PARTNER", 100)  # are tested in test_request_limits
    monkeypatch.setattr(requests_guard, "MAX_PER_HOUR", 100)
    for number in range(25):  # declined requests stay on the requester's list, and may be asked again
        sync = pat.request_sync("GLOBEX", partner_site="globex", name=f"Old request {number:02}")
        assert partner.post(f"/synchronizations/{sync['id']}/decline").status_code == 200
    ApiUser(installed, "acme", "pat", project="SUP").request_sync("SUP", partner_site="globex", name="Support pair")
    pat.request_sync("SUP", name="Same site pair")

    admin = _overview(installed, browser, "acme", "alice")
    expect(admin.part("range")).to_have_text("1–25 of 27")
    expect(admin.frame.locator('[data-testid="sync-row"]')).to_have_count(25)
    admin.part("pages").get_by_text("Next").click()
    expect(admin.part("range")).to_have_text("26–27 of 27")
    expect(admin.status_of("Support pair")).to_have_text("request sent")
    expect(admin.status_of("Same site pair")).to_have_text("request sent")
    admin.row("Same site pair").locator('[data-testid="view-request"]').click()
    admin.part("request-dialog").locator('[data-testid="accept"]').click()
    admin.expect_flag("Request accepted")
    expect(admin.status_of("Same site pair")).to_have_text("stopped")
    expect(admin.part("range")).to_have_text("26–27 of 27")


def test_a_pending_request_shows_awaiting_acceptance_not_not_configured(installed, browser):
    ApiUser(installed, "acme", "pat", project="ACME").request_sync("GLOBEX", partner_site="globex", name="Pending")
    acme = _overview(installed, browser, "acme", "pat", "ACME")
    expect(acme.status_of("Pending")).to_have_text("request sent")
    draft = acme.row("Pending").locator('[data-testid="draft-status"]')
    expect(draft).to_have_text("Awaiting acceptance · the partner has not accepted yet")
    globex = _overview(installed, browser, "globex", "pat", "GLOBEX")
    expect(globex.status_of("Pending")).to_have_text("incoming request")
    expect(globex.row("Pending").locator('[data-testid="draft-status"]')).to_have_text(
        "Awaiting acceptance · accept the request first")
    for page in (acme, globex):
        expect(page.frame.locator('[data-testid="draft-status"]')).not_to_contain_text("Not configured")


def test_the_selection_checkboxes_are_auis_and_keep_their_accessible_names(installed, browser):
    _accepted(installed, "globex", "GLOBEX", "Alpha")
    acme = _overview(installed, browser, "acme", "pat", "ACME")
    for name in ("Select Alpha", "Select every synchronization on this page"):
        box = acme.frame.get_by_role("checkbox", name=name, exact=True)
        expect(box).to_have_count(1)
        # AUI's: in an AUI form, wrapped in div.checkbox with AUI's glyph drawn beside the (visually hidden) input
        expect(box.locator("xpath=ancestor::form[contains(@class, 'aui')]")).to_have_count(1)
        expect(box.locator("xpath=parent::div[contains(@class, 'checkbox')]")).to_have_count(1)
        expect(box.locator("xpath=following-sibling::span[@class='aui-form-glyph']")).to_have_count(1)
        assert box.evaluate("b => getComputedStyle(b).width") == "1px"
    _tick(acme.row("Alpha").locator('[data-testid="select"]'))
    expect(acme.part("selection")).to_have_text("1 selected")
    expect(acme.part("select-page")).to_be_checked()


def test_right_after_start_the_row_shows_the_initial_sync_starting_then_its_progress(installed, browser):
    from sqlalchemy import update

    from plugin.models.links import InitialSync

    sync = _accepted(installed, "globex", "GLOBEX", "Alpha")  # existingIssues: sync (the suggestion), no worker
    acme = _overview(installed, browser, "acme", "pat", "ACME")
    expect(acme.row("Alpha").locator('[data-testid="initial-progress"]')).to_have_count(0)
    acme.menu("Alpha", "Start")
    progress = acme.row("Alpha").locator('[data-testid="initial-progress"]')
    expect(progress).to_have_text("Initial sync: starting…")  # from the start's answer, no reload
    expect(acme.status_of("Alpha")).to_have_text("running")
    with installed.live.runtime.sessions() as session:  # a worker is through 3 of 5 work items on each side
        session.execute(update(InitialSync).where(InitialSync.sync_id == int(sync["id"]))
                        .values(state="running", done=3, total=5))
        session.commit()
    expect(progress).to_have_text("Initial sync: 6 of 10 work items")  # both sides, asked again without a reload
    with installed.live.runtime.sessions() as session:
        session.execute(update(InitialSync).where(InitialSync.sync_id == int(sync["id"]))
                        .values(state="done", done=5, total=5))
        session.commit()
    expect(progress).to_have_text("Initial sync done: 10 work items")
