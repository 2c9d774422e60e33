"""Chromium opens the project settings page of the generated Forge app on a Forge site: the page scripts of the
Connect pages, behind the Forge transport, render the project's overview through invokeRemote."""
import pytest
from playwright.sync_api import expect

from tests.support.browser import on_one_database
from tests.support.forge_world import FORGE_SITE, forge_installed  # noqa: F401  (the fixture)
from tests.support.pages import WAIT_MS

pytestmark = [pytest.mark.browser, on_one_database()]


def test_the_project_settings_page_shows_the_overview_through_invoke_remote(forge_installed, browser):  # noqa: F811
    world = forge_installed
    world.running_sync("Forge and Connect")
    site = world.sim.world.sites[FORGE_SITE]
    alice = next(u for u in site.users.values() if u.email.startswith("alice@"))
    context = browser.new_context()
    context.add_cookies([{"name": f"jirasim_user_{FORGE_SITE}", "value": alice.account_id,
                          "url": world.sim.base_url}])
    page = context.new_page()
    page.goto(f"{world.sim.site_url(FORGE_SITE)}/jira/projects/ACME/settings/apps/{world.app_uuid}/ws-project-settings")
    frame = page.frame_locator("#forge-ws-project-settings")
    # The page is the project's overview, no header of internals (Jira names the site, the project and the user);
    # the facts came through view.getContext and the list through invokeRemote.
    expect(frame.locator("#ws-overview")).to_have_attribute("data-project", "ACME", timeout=WAIT_MS)
    expect(frame.locator('[data-testid="api-status"]')).to_have_attribute(
        "data-connected", world.sim.site_url(FORGE_SITE), timeout=WAIT_MS)
    rows = frame.locator('[data-testid="rows"] tr')
    expect(rows).to_have_count(1, timeout=WAIT_MS)
    expect(rows.first).to_contain_text("Forge and Connect")
    context.close()
