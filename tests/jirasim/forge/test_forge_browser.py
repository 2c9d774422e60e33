"""Chromium opens the Forge host pages; the Custom UI's @forge/bridge shim round-trips invokeRemote and getContext."""
import re

import pytest
from playwright import sync_api

from tests.support.browser import chromium

pytestmark = pytest.mark.browser

PAGE = """<html><head></head><body><p id=out>idle</p><p id=ctx></p><script>
ForgeBridge.view.getContext().then(function (c) { document.getElementById('ctx').textContent =
  c.moduleKey + ' ' + c.extension.type + ' ' + ((c.extension.issue || c.extension.project || {}).key || '-'); });
ForgeBridge.invokeRemote({path: '/api/echo', method: 'POST', body: {hello: 'forge'}}).then(function (r) {
  document.getElementById('out').textContent = r.status + ' ' + r.body.body.hello + ' ' + r.body.principal;
  ForgeBridge.showFlag({id: 'done', title: 'Work Sync', description: 'round trip', appearance: 'success'});
}, function (e) { document.getElementById('out').textContent = 'error ' + e.message; });
</script></body></html>"""


def _browser_as(browser, forge_app, handle: str):
    user = next(u for u in forge_app.simulator.site("acme").users.values() if u.email.startswith(handle + "@"))
    context = browser.new_context()
    context.add_cookies([{"name": "jirasim_user_acme", "value": user.account_id, "url": forge_app.url}])
    return user, context.new_page()


@pytest.fixture
def custom_ui(forge_app):
    with open(f"{forge_app.resources['main']}/index.html", "w") as page:
        page.write(PAGE)
    return forge_app


def test_the_project_settings_page_round_trips_invoke_remote_in_chromium(custom_ui):
    app_uuid = custom_ui.document["app"]["id"].rsplit("/", 1)[-1]
    with chromium() as browser:
        alice, page = _browser_as(browser, custom_ui, "alice")
        page.goto(f"{custom_ui.url}/acme/projects/ACME")
        page.click("a.forge-project-settings")
        assert page.url.endswith(f"/acme/jira/projects/ACME/settings/apps/{app_uuid}/ws-project")
        frame = page.frame_locator("#forge-ws-project")
        sync_api.expect(frame.locator("#out")).to_have_text(f"201 forge {alice.account_id}", timeout=15000)
        sync_api.expect(frame.locator("#ctx")).to_have_text("ws-project jira:projectSettingsPage ACME")
        sync_api.expect(page.locator("#ap-flags .forge-flag")).to_contain_text("Work Sync", timeout=5000)
    claims = custom_ui.remote.of("/api/echo")[-1]["claims"]
    assert claims["principal"] == alice.account_id
    assert claims["context"]["extension"]["project"]["key"] == "ACME"


def test_the_issue_view_shows_the_issue_context_with_its_issue(custom_ui):
    with chromium() as browser:
        _, page = _browser_as(browser, custom_ui, "alice")
        page.goto(f"{custom_ui.url}/acme/browse/ACME-1")
        frame = page.frame_locator("#forge-ws-context")
        sync_api.expect(frame.locator("#ctx")).to_have_text("ws-context jira:issueContext ACME-1", timeout=15000)
        sync_api.expect(frame.locator("#out")).to_contain_text("201 forge", timeout=15000)


def test_the_admin_page_is_for_jira_admins_only(custom_ui):
    app_uuid = custom_ui.document["app"]["id"].rsplit("/", 1)[-1]
    with chromium() as browser:
        _, page = _browser_as(browser, custom_ui, "dev")
        answer = page.goto(f"{custom_ui.url}/acme/jira/settings/apps/{app_uuid}/ws-admin")
        assert answer.status == 403
        _, page = _browser_as(browser, custom_ui, "alice")
        page.goto(f"{custom_ui.url}/acme/")
        page.click("a.forge-admin-page")
        sync_api.expect(page.frame_locator("#forge-ws-admin").locator("#ctx")).to_have_text(
            "ws-admin jira:adminPage -", timeout=15000)


TALL = """<html><head></head><body><div id=tall style="height: 1500px">tall content</div></body></html>"""


def test_the_host_sizes_a_custom_ui_frame_to_its_content(forge_app):
    with open(f"{forge_app.resources['main']}/index.html", "w") as page_file:
        page_file.write(TALL)
    with chromium() as browser:
        _, page = _browser_as(browser, forge_app, "alice")
        page.goto(f"{forge_app.url}/acme/projects/ACME")
        page.click("a.forge-project-settings")
        frame = page.locator("#forge-ws-project")
        # as tall as the content (1500 px and the body's margins), not the 600 px it starts with
        sync_api.expect(frame).to_have_attribute("style", re.compile(r"^height: 15\d\dpx;$"), timeout=15000)
