"""The support ZIP from a Forge page: invokeRemote answers only JSON bodies, so the page asks for the ZIP as JSON
(base64) and the Forge transport hands the browser the same ZIP file a Connect page downloads."""
import pytest

from tests.support.browser import on_one_database
from tests.support.forge_world import FORGE_SITE, forge_installed  # noqa: F401  (the fixture)
from tests.support.pages import Overview

pytestmark = [pytest.mark.browser, on_one_database()]


def test_the_support_zip_downloads_from_a_forge_page_as_the_zip_file(forge_installed, browser):  # noqa: F811
    world = forge_installed
    sync_id = world.running_sync("Forge and Connect")
    context = browser.new_context()
    context.add_cookies([{"name": f"jirasim_user_{FORGE_SITE}", "value": world.user("alice").account_id,
                          "url": world.sim.base_url}])
    page = context.new_page()
    page.goto(f"{world.sim.site_url(FORGE_SITE)}/jira/projects/ACME/settings/apps/{world.app_uuid}"
              "/ws-project-settings")
    overview = Overview(page)
    overview.frame = page.frame_locator("#forge-ws-project-settings")
    overview.loaded()
    assert "includes issue data" in overview.support_zip("Forge and Connect", sync_id)
    context.close()
