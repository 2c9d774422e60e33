"""The support ZIP from a Forge page: invokeRemote answers only JSON bodies, so the page asks for the ZIP as JSON
(base64) and the Forge transport hands the browser the same ZIP file a Connect page downloads."""
import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.support.browser import on_one_database
from tests.support.forge_world import FORGE_SITE, forge_installed  # noqa: F401  (the fixture)
from tests.support.pages import WAIT_MS, Overview

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
    overview.menu("Forge and Connect", "Create support ZIP")
    expect(overview.part("view-title")).to_have_text("Create support ZIP: Forge and Connect", timeout=WAIT_MS)
    overview.part("issue-data").check()
    with page.expect_download(timeout=WAIT_MS) as started:
        overview.part("download").click()
    download = started.value
    assert re.fullmatch(rf"work-sync-support-{sync_id}-\d{{8}}-\d{{6}}\.zip", download.suggested_filename)
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        readme = archive.read(f"work-sync-support-{sync_id}/README.txt").decode()
    assert "includes issue data" in readme
    context.close()
