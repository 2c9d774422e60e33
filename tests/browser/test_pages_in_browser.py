"""Chromium opens Jira's pages (the simulator's), which embed ours; our page reaches our API via AP."""
import pytest
from playwright.sync_api import expect

from tests.support.browser import on_one_database
from tests.support.pages import ADMIN_PATH, WAIT_MS, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def test_project_admin_sees_project_settings_for_their_project(installed, browser):
    project_id = installed.site("acme").project("ACME").id
    page = open_as(installed, browser, "acme", "pat", project_settings_path(installed, "acme", "ACME"))
    frame = page.frame_locator("iframe").first
    expect(frame.locator('[data-testid="project"]')).to_have_text(f"ACME (id {project_id})", timeout=WAIT_MS)
    expect(frame.locator('[data-testid="site"]')).to_have_text(installed.sim.site_url("acme"))
    expect(frame.locator('[data-testid="api-status"]')).to_have_text(
        f"Connected to {installed.sim.site_url('acme')} as Pat Project.", timeout=WAIT_MS)
    expect(frame.locator('[data-testid="user"]')).to_have_text("Pat Project")


def test_site_admin_opens_the_admin_page(installed, browser):
    page = open_as(installed, browser, "globex", "alice", ADMIN_PATH)
    frame = page.frame_locator("iframe").first
    expect(frame.locator('[data-testid="api-status"]')).to_have_text(
        f"Connected to {installed.sim.site_url('globex')} as Alice Admin.", timeout=WAIT_MS)


def test_a_plain_user_is_not_shown_the_project_settings_page(installed, browser):
    page = browser.new_page()
    page.context.add_cookies([{"name": "jirasim_user_acme", "value": installed.user("acme", "dev").account_id,
                               "url": installed.sim.base_url}])
    response = page.goto(f"{installed.sim.site_url('acme')}{project_settings_path(installed, 'acme', 'ACME')}")
    assert response.status == 403
