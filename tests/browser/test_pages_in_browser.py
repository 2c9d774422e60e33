"""Chromium opens Jira's pages (the simulator's), which embed ours; our page reaches our API via AP."""
import pytest
from playwright.sync_api import expect

from tests.support.browser import chromium

pytestmark = pytest.mark.browser


def _open(installed, browser, site: str, user: str, path: str):
    context = browser.new_context()
    account = installed.user(site, user).account_id
    context.add_cookies([{"name": f"jirasim_user_{site}", "value": account, "url": installed.sim.base_url}])
    page = context.new_page()
    response = page.goto(f"{installed.sim.site_url(site)}{path}")
    return page, response, account


def test_project_admin_sees_project_settings_for_their_project(installed):
    project = installed.site("acme").projects
    project_id = next(p.id for p in project.values() if p.key == "ACME")
    with chromium() as browser:
        page, response, account = _open(
            installed, browser, "acme", "pat",
            f"/plugins/servlet/ac/work-sync/work-sync-project-settings?project.key=ACME&project.id={project_id}")
        assert response.status == 200
        frame = page.frame_locator("iframe").first
        expect(frame.locator('[data-testid="project"]')).to_have_text(f"ACME (id {project_id})", timeout=15000)
        expect(frame.locator('[data-testid="site"]')).to_have_text(installed.sim.site_url("acme"))
        expect(frame.locator('[data-testid="api-status"]')).to_have_text(
            f"Connected to {installed.sim.site_url('acme')} as Pat Project.", timeout=15000)
        expect(frame.locator('[data-testid="user"]')).to_have_text("Pat Project")


def test_site_admin_opens_the_admin_page(installed):
    with chromium() as browser:
        page, response, account = _open(installed, browser, "globex", "alice",
                                        "/plugins/servlet/ac/work-sync/work-sync-admin")
        assert response.status == 200
        frame = page.frame_locator("iframe").first
        expect(frame.locator('[data-testid="api-status"]')).to_have_text(
            f"Connected to {installed.sim.site_url('globex')} as Alice Admin.", timeout=15000)


def test_a_plain_user_is_not_shown_the_project_settings_page(installed):
    with chromium() as browser:
        _, response, _ = _open(installed, browser, "acme", "dev",
                               "/plugins/servlet/ac/work-sync/work-sync-project-settings?project.key=ACME&project.id=1")
        assert response.status == 403
