"""Chromium opens the pages of the generated Forge app on a Forge site — the project settings page, the admin page
and the issue panel: the page scripts of the Connect pages, behind the Forge transport, show what the Connect pages
show, with the page's facts from view.getContext and our API reached through invokeRemote."""
import pytest
from playwright.sync_api import Page, expect

from plugin.engine import problems
from tests.support.browser import on_one_database
from tests.support.eventually import eventually
from tests.support.forge_world import CONNECT_SITE, FORGE_SITE, forge_installed  # noqa: F401  (the fixture)
from tests.support.pages import WAIT_MS

pytestmark = [pytest.mark.browser, on_one_database()]

# Jira's page says where, who and what: our frame shows no header, title, site, project or user of its own.
INTERNALS = ".ws-header, h1, [data-testid='site'], [data-testid='project'], [data-testid='user']"


def _open_as(world, browser, handle: str, path: str) -> Page:
    """A new browser context logged into the Forge site as `handle` (alice, pat, dev), showing `path` of it."""
    context = browser.new_context()
    context.add_cookies([{"name": f"jirasim_user_{FORGE_SITE}", "value": world.user(handle).account_id,
                          "url": world.sim.base_url}])
    page = context.new_page()
    page.goto(f"{world.sim.site_url(FORGE_SITE)}{path}")
    return page


def _admin_path(world) -> str:
    return f"/jira/settings/apps/{world.app_uuid}/ws-admin"


def _project_settings_path(world) -> str:
    return f"/jira/projects/ACME/settings/apps/{world.app_uuid}/ws-project-settings"


@pytest.mark.parametrize(("module", "project"), [("ws-project-settings", "ACME"), ("ws-admin", "")],
                         ids=["project-settings", "admin"])
def test_the_overview_pages_on_a_forge_site_list_the_synchronizations_through_invoke_remote(
        forge_installed, browser, module, project):  # noqa: F811
    world = forge_installed
    world.running_sync("Forge and Connect")
    path = _project_settings_path(world) if project else _admin_path(world)
    page = _open_as(world, browser, "alice", path)
    frame = page.frame_locator(f"#forge-{module}")
    # The project page is the project's overview, the admin page the site's (every project: a Project column);
    # the facts came through view.getContext and the list through invokeRemote.
    expect(frame.locator("#ws-overview")).to_have_attribute("data-project", project, timeout=WAIT_MS)
    status = frame.locator('[data-testid="api-status"]')
    expect(status).to_have_attribute("data-connected", world.sim.site_url(FORGE_SITE), timeout=WAIT_MS)
    expect(status).to_be_hidden()  # no "Connected to … as …"
    rows = frame.locator('[data-testid="rows"] tr')
    expect(rows).to_have_count(1, timeout=WAIT_MS)
    expect(rows.first.locator('[data-testid="name"]')).to_have_text("Forge and Connect")
    expect(rows.first.locator('[data-testid="local-project"]')).to_have_count(0 if project else 1)
    if not project:
        expect(rows.first.locator('[data-testid="local-project"]')).to_have_text("ACME")
    expect(frame.locator(INTERNALS)).to_have_count(0)
    page.context.close()


@pytest.mark.parametrize("handle", ["pat", "dev"], ids=["project-admin", "plain-user"])
def test_the_admin_page_on_a_forge_site_refuses_a_user_who_is_not_a_jira_admin_in_words(
        forge_installed, browser, handle):  # noqa: F811
    world = forge_installed
    world.running_sync("Forge and Connect")
    page = _open_as(world, browser, handle, _admin_path(world))
    expect(page.locator("body")).to_contain_text("You do not have permission to view this page.")
    expect(page.locator("iframe")).to_have_count(0)  # no frame at all, let alone a blank one
    expect(page.locator("body")).not_to_contain_text("Forge and Connect")
    page.context.close()


def _issue_panel(world, browser, key: str):
    """(page, frame) of issue `key`'s panel on the Forge site, as Pat sees it, with ACME-1 ↔ GLOBEX-1 linked."""
    world.linked(world.running_sync("Forge and Connect"), "ACME-1", "GLOBEX-1")
    page = _open_as(world, browser, "pat", f"/browse/{key}")
    return page, page.frame_locator("#forge-ws-issue-context")


def test_the_issue_panel_on_a_forge_site_names_the_partner_issue_and_the_pair_state(forge_installed, browser):  # noqa: F811
    world = forge_installed
    page, frame = _issue_panel(world, browser, "ACME-1")
    link = frame.locator('[data-testid="partner-link"]')
    expect(link).to_have_text("GLOBEX-1", timeout=WAIT_MS)
    expect(link).to_have_attribute("href", f"{world.sim.site_url(CONNECT_SITE)}/browse/GLOBEX-1")
    expect(frame.locator('[data-testid="glance-link"]')).to_contain_text(f"on {world.sim.site_url(CONNECT_SITE)}")
    expect(frame.locator('[data-testid="link-state"]')).to_have_text("linked")
    expect(frame.locator('[data-testid="last-sync"]')).to_contain_text("last synced")
    expect(frame.locator('[data-testid="last-sync"]')).not_to_contain_text("never")
    expect(frame.locator('[data-testid="synchronization"]')).to_have_text("Synchronization Forge and Connect")
    expect(frame.locator('[data-testid="not-synced"]')).to_be_hidden()
    page.context.close()


def test_the_issue_panel_on_a_forge_site_says_an_issue_without_a_partner_is_not_synced(forge_installed, browser):  # noqa: F811
    page, frame = _issue_panel(forge_installed, browser, "ACME-2")
    expect(frame.locator('[data-testid="not-synced"]')).to_have_text("ACME-2 is not synced.", timeout=WAIT_MS)
    expect(frame.locator('[data-testid="not-synced"]')).to_be_visible()
    expect(frame.locator('[data-testid="partner-link"]')).to_have_count(0)
    page.context.close()


FIELDS = ("duedate", "priority", "labels", "components")


def test_the_issue_panel_on_a_forge_site_shows_the_pair_errors_with_retry_for_the_project_admin_only(
        forge_installed, browser):  # noqa: F811
    world = forge_installed
    sync_id = world.running_sync("Forge and Connect")
    world.linked(sync_id, "ACME-1", "GLOBEX-1")
    issue_id = world.sim.world.sites[FORGE_SITE].issue("ACME-1").id
    with world.live.runtime.sessions.begin() as session:  # more errors than the panel's first 150 px hold
        for field in FIELDS:
            problems.record(session, sync_id, category="validation", side=1, issue_id=issue_id, field=field,
                            trigger="webhook", permanent=True, message=f"Jira refused the {field}")
    dev_page = _open_as(world, browser, "dev", "/browse/ACME-1")
    dev = dev_page.frame_locator("#forge-ws-issue-context")
    messages = dev.locator('[data-testid="error-message"]')
    expect(messages).to_have_count(4, timeout=WAIT_MS)
    assert sorted(messages.all_text_contents()) == sorted(f"Jira refused the {f}" for f in FIELDS)
    expect(dev.locator('[data-testid="error-category"]').first).to_have_text("Rejected value")  # in words
    expect(dev.locator('[data-testid="retry"]')).to_have_count(0)
    # Forge sizes the frame to its content (never below its starting height): nothing of the panel is cut off
    content = dev.locator("body").evaluate("b => Math.ceil(b.getBoundingClientRect().height)")
    host = dev_page.locator("#forge-ws-issue-context")
    assert content > 150
    eventually(lambda: host.evaluate("f => f.clientHeight") >= content - 1, timeout=10)  # (1 px: rounding)
    dev_page.context.close()
    page = _open_as(world, browser, "pat", "/browse/ACME-1")
    frame = page.frame_locator("#forge-ws-issue-context")
    frame.locator('[data-testid="retry"]').first.click(timeout=WAIT_MS)
    # the answer comes back through invokeRemote, the flag is Jira's (showFlag), on the issue view
    expect(page.locator("#ap-flags .forge-flag strong").last).to_have_text("Retrying", timeout=WAIT_MS)


def test_a_dialog_opened_low_on_a_long_forge_page_opens_where_the_person_is(forge_installed, browser):  # noqa: F811
    world = forge_installed
    for number in range(20):  # a long list: Jira's page scrolls, our frame (sized to its content) does not
        world.running_sync(f"Sync {number:02d}")
    page = _open_as(world, browser, "alice", _project_settings_path(world))
    frame = page.frame_locator("#forge-ws-project-settings")
    rows = frame.locator('[data-testid="rows"] tr')
    expect(rows).to_have_count(20, timeout=WAIT_MS)
    last = rows.filter(has=frame.get_by_text("Sync 19", exact=True))
    last.locator('[data-testid="actions"]').click()
    frame.locator(f'#ws-menu-{last.get_attribute("data-sync-id")}').get_by_text("Delete", exact=True).click()
    dialog = frame.locator(".aui-dialog2[open]:not([hidden])")
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    box, viewport = dialog.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] < viewport["height"], (box, viewport)  # on screen, not at the frame's far-away top
    page.context.close()
