"""Chromium opens host pages; the app iframes get context tokens through all.js and show a flag."""
import pytest
from playwright import sync_api

from tests.support.browser import chromium

pytestmark = pytest.mark.browser


def _browser_as(browser, installed_app, handle: str):
    user = next(u for u in installed_app.site.users.values() if u.email.startswith(handle + "@"))
    context = browser.new_context()
    context.add_cookies([{"name": "jirasim_user_acme", "value": user.account_id, "url": installed_app.url}])
    return user, context.new_page()


def test_project_settings_iframe_gets_a_context_token_via_all_js_and_shows_a_flag(installed_app):
    project = installed_app.site.project("ACME")
    with chromium() as browser:
        pat, page = _browser_as(browser, installed_app, "pat")
        page.goto(f"{installed_app.url}/acme/plugins/servlet/ac/{installed_app.app.key}/ws-project"
                  f"?project.key=ACME&project.id={project.id}")
        out = page.frame_locator("#ap-module").locator("#out")
        sync_api.expect(out).to_have_text("token ok context-qsh", timeout=15000)
        sync_api.expect(page.locator("#ap-flags .ap-flag")).to_contain_text("Work Sync", timeout=5000)
    (claims,) = installed_app.app.tokens
    assert claims["sub"] == pat.account_id and claims["iss"] == installed_app.installation.client_key
    assert claims["context"]["jira"]["project"] == {"id": project.id, "key": "ACME"}


def test_issue_glance_and_context_get_a_context_token_for_their_issue(installed_app):
    with chromium() as browser:
        alice, page = _browser_as(browser, installed_app, "alice")
        page.goto(f"{installed_app.url}/acme/browse/ACME-1")
        for frame in ("#glance-ws-glance", "#context-ws-context"):
            out = page.frame_locator(frame).locator("#out")
            sync_api.expect(out).to_have_text("token ok context-qsh", timeout=15000)
    assert installed_app.app.tokens[-1]["context"]["jira"]["issue"]["key"] == "ACME-1"
    assert installed_app.app.tokens[-1]["sub"] == alice.account_id


def test_a_flag_with_close_auto_closes_by_itself_a_manual_one_stays_and_no_favicon_is_asked_for(installed_app):
    project = installed_app.site.project("ACME")
    with chromium() as browser:
        _, page = _browser_as(browser, installed_app, "pat")
        asked = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{installed_app.url}/acme/plugins/servlet/ac/{installed_app.app.key}/ws-project"
                  f"?project.key=ACME&project.id={project.id}")
        sync_api.expect(page.frame_locator("#ap-module").locator("#out")).to_have_text("token ok context-qsh",
                                                                                       timeout=15000)
        frame = page.locator("#ap-module").element_handle().content_frame()
        frame.evaluate("AP.flag.create({title: 'Saved', body: 'gone soon', type: 'success', close: 'auto'})")
        frame.evaluate("AP.flag.create({title: 'Stays', body: 'until closed', type: 'error', close: 'manual'})")
        flags = page.locator("#ap-flags .ap-flag")
        sync_api.expect(flags.filter(has_text="gone soon")).to_have_count(1, timeout=5000)
        sync_api.expect(flags.filter(has_text="gone soon")).to_have_count(0, timeout=8000)  # AUI: after 5 s
        sync_api.expect(flags.filter(has_text="until closed")).to_have_count(1)
    assert not [url for url in asked if url.endswith("/favicon.ico")], asked
