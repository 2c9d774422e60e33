"""Chromium opens a host page; the app iframe gets a context token through all.js and shows a flag."""
import pytest
from playwright import sync_api

from jirasim.connect.install import apps
from tests.support.browser import chromium

pytestmark = pytest.mark.browser


def test_iframe_gets_context_token_via_all_js(installed):
    world, url, app = installed
    with chromium() as browser:
        context = browser.new_context()
        context.add_cookies([{"name": "jirasim_user_alpha", "value": "u-alice", "url": url}])
        page = context.new_page()
        page.goto(f"{url}/alpha/plugins/servlet/ac/{app.key}/ws-project?project.key=A&project.id=10000")
        out = page.frame_locator("#ap-module").locator("#out")
        sync_api.expect(out).to_have_text("token ok context-qsh", timeout=15000)
        sync_api.expect(page.locator("#ap-flags .ap-flag")).to_contain_text("Work Sync", timeout=5000)
    (claims,) = app.tokens
    inst = apps(world.sites["alpha"])[app.key]
    assert claims["sub"] == "u-alice" and claims["iss"] == inst.client_key
    assert claims["context"]["jira"]["project"] == {"id": "10000", "key": "A"}


def test_issue_glance_in_real_simulator_gets_token(real):
    world, url, app = real
    site = world.sites["acme"]
    alice = next(u for u in site.users.values() if u.display_name.startswith("Alice"))
    key = sorted(site.issues.values(), key=lambda i: int(i.id))[0].key
    with chromium() as browser:
        context = browser.new_context()
        context.add_cookies([{"name": "jirasim_user_acme", "value": alice.account_id, "url": url}])
        page = context.new_page()
        page.goto(f"{url}/acme/browse/{key}")
        out = page.frame_locator("iframe.ap-iframe").locator("#out")
        sync_api.expect(out).to_have_text("token ok context-qsh", timeout=15000)
    assert app.tokens[-1]["context"]["jira"]["issue"]["key"] == key
    assert app.tokens[-1]["sub"] == alice.account_id
