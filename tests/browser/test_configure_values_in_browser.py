"""Configure in Chromium: versions and components ("create missing values", "keep names and descriptions in sync")
and what the partner's site takes as attachments (issue 22), on both simulated sites."""
import pytest
import requests
from playwright.sync_api import expect

from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import Configure, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def _accepted(installed, name: str) -> str:
    sync = ApiUser(installed, "acme", "pat", project="ACME").request_sync("GLOBEX", partner_site="globex",
                                                                         mode="immediate", name=name)
    accepted = ApiUser(installed, "globex", "pat", project="GLOBEX").post(f"/synchronizations/{sync['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return sync["id"]


def _page(installed, browser, site: str) -> Configure:
    return Configure(open_as(installed, browser, site, "pat", project_settings_path(installed, site, site.upper()))
                     ).loaded()


def _published(installed, sync_id: str) -> dict:
    answer = ApiUser(installed, "acme", "pat", project="ACME").get(f"/synchronizations/{sync_id}/configuration")
    assert answer.status_code == 200, answer.text
    return answer.json()["published"]


def _field_row(acme: Configure, name: str):
    row = acme.pair("fields", name)
    if not row.count():
        row = acme.add_pair("fields", name, name)
    return row


def test_version_and_component_rows_tick_create_missing_and_keep_details_and_the_document_says_so(installed, browser):
    sync_id = _accepted(installed, "Release bridge")
    acme = _page(installed, browser, "acme").configure("Release bridge")
    acme.tab("Fields")
    versions = _field_row(acme, "Fix versions")
    expect(acme.pair("fields", "Summary").locator('[data-testid="createMissing"]')).to_have_count(0)
    versions.get_by_role("button", name="1 → 2").click()
    versions.get_by_text("Create missing values", exact=True).click()
    versions.get_by_text("Keep names and descriptions in sync", exact=True).click()
    expect(versions.get_by_label("Create missing values")).to_be_checked()
    expect(versions.locator('input[data-testid="createMissing"]')).to_have_class("checkbox")
    for select in ('select[data-side="1"]', '[data-testid="transform"]'):  # AUI's selects, in an AUI form
        assert versions.locator(select).evaluate("s => getComputedStyle(s).appearance") == "none"
    expect(acme.frame.locator('form.aui [data-testid="mapping-fields"]')).to_have_count(1)
    components = _field_row(acme, "Components")
    components.get_by_text("Create missing values", exact=True).click()
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    published = _published(installed, sync_id)
    rows = {row["1"]["id"]: row for row in published["fields"]}
    assert (rows["fixVersions"]["direction"], rows["fixVersions"].get("createMissing"),
            rows["fixVersions"].get("syncDetails")) == ("1→2", True, True)
    assert rows["components"].get("createMissing") is True and "syncDetails" not in rows["components"]

    # Two ways with "the newest change wins": names have no change time, so the row says what to choose.
    components.get_by_text("Keep names and descriptions in sync", exact=True).click()
    acme.part("save").click()
    acme.expect_flag("Saved as a draft, not published")
    expect(acme.problems_below(acme.pair("fields", "Components"))).to_contain_text("choose which side wins")
    acme.pair("fields", "Components").get_by_text("Keep names and descriptions in sync", exact=True).click()
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    acme.page.context.close()


def test_the_attachments_part_shows_the_partners_upload_limit_and_whether_it_takes_attachments(installed, browser):
    base = installed.sim.base_url
    tuned = requests.post(f"{base}/_sim/sites/globex/attachments", json={"uploadLimit": 5 * 1024 * 1024}, timeout=10)
    assert tuned.status_code == 200, tuned.text
    off = requests.post(f"{base}/_sim/sites/acme/attachments", json={"enabled": False}, timeout=10)
    assert off.status_code == 200, off.text
    installed.live.runtime.sides.cache.forget()
    try:
        _accepted(installed, "Files bridge")
        acme = _page(installed, browser, "acme").configure("Files bridge")
        acme.tab("Comments and attachments")
        expect(acme.part("partner-attachments-2")).to_have_text(
            "GLOBEX (2) takes files up to 5 MB: a larger file is skipped, whatever you choose here.")
        expect(acme.part("partner-attachments-1")).to_have_count(0)
        globex = _page(installed, browser, "globex").configure("Files bridge")
        globex.tab("Comments and attachments")
        expect(globex.part("partner-attachments-1")).to_have_text(
            "Attachments are turned off on ACME (1)'s site: nothing is copied there.")
    finally:
        requests.post(f"{base}/_sim/sites/acme/attachments", json={"enabled": True}, timeout=10)
