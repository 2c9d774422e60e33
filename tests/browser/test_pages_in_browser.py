"""Chromium opens Jira's pages (the simulator's), which embed ours; our page reaches our API via AP."""
import pytest
from playwright.sync_api import expect

from tests.support.browser import on_one_database
from tests.support.pages import ADMIN_PATH, WAIT_MS, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def test_project_admin_sees_project_settings_for_their_project_without_our_own_header_or_footer(installed, browser):
    page = open_as(installed, browser, "acme", "pat", project_settings_path(installed, "acme", "ACME"))
    frame = page.frame_locator("iframe").first
    status = frame.locator('[data-testid="api-status"]')
    expect(status).to_have_attribute("data-connected", installed.sim.site_url("acme"), timeout=WAIT_MS)
    expect(status).to_be_hidden()  # no "Connected to … as …": Jira's page says where and who
    expect(frame.locator(".ws-header, h1, [data-testid='site'], [data-testid='project'], [data-testid='user']")
           ).to_have_count(0)  # no "Site … Project ACME (id 10000) You …": Jira's page title says Work Sync
    expect(frame.locator("body")).not_to_contain_text("Pat Project")


def test_site_admin_opens_the_admin_page(installed, browser):
    page = open_as(installed, browser, "globex", "alice", ADMIN_PATH)
    frame = page.frame_locator("iframe").first
    expect(frame.locator('[data-testid="api-status"]')).to_have_attribute(
        "data-connected", installed.sim.site_url("globex"), timeout=WAIT_MS)
    expect(frame.locator("h1")).to_have_count(0)


def test_a_plain_user_is_not_shown_the_project_settings_page(installed, browser):
    page = browser.new_page()
    page.context.add_cookies([{"name": "jirasim_user_acme", "value": installed.user("acme", "dev").account_id,
                               "url": installed.sim.base_url}])
    response = page.goto(f"{installed.sim.site_url('acme')}{project_settings_path(installed, 'acme', 'ACME')}")
    assert response.status == 403
