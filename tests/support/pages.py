"""Our pages as a person sees them inside the simulated Jira: open a host page as a user, drive the overview."""
from __future__ import annotations

import re
import zipfile

from playwright.sync_api import Browser, FrameLocator, Locator, Page, expect

from tests.support.constants import APP_KEY
from tests.support.world import Installed

WAIT_MS = 15000


def open_as(installed: Installed, browser: Browser, site: str, user: str, path: str,
            console: list[str] | None = None) -> Page:
    """A new browser context logged into `site` as `user` (alice, pat, dev), showing `path` of that site.

    `console`, when given, collects every console message of the page and its frames from the start.
    """
    context = browser.new_context()
    context.add_cookies([{"name": f"jirasim_user_{site}", "value": installed.user(site, user).account_id,
                          "url": installed.sim.base_url}])
    page = context.new_page()
    if console is not None:
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(f"{installed.sim.site_url(site)}{path}")
    return page


def project_settings_path(installed: Installed, site: str, key: str) -> str:
    """Project settings → Work Sync of project `key` (its id looked up on that site)."""
    project = installed.site(site).project(key)
    return f"/plugins/servlet/ac/{APP_KEY}/{APP_KEY}-project-settings?project.key={project.key}&project.id={project.id}"


ADMIN_PATH = f"/plugins/servlet/ac/{APP_KEY}/{APP_KEY}-admin"


class Overview:
    """The synchronizations overview in our iframe on a Jira host page."""

    def __init__(self, page: Page):
        self.page = page
        self.frame: FrameLocator = page.frame_locator("iframe.ap-iframe")

    def part(self, testid: str) -> Locator:
        """An element of the page by its data-testid."""
        return self.frame.locator(f'[data-testid="{testid}"]')

    def row(self, name: str) -> Locator:
        """The table row of the synchronization named exactly `name`."""
        named = self.frame.locator('[data-testid="name"]').get_by_text(name, exact=True)
        return self.frame.locator('[data-testid="sync-row"]').filter(has=named)

    def status_of(self, name: str) -> Locator:
        """The status lozenge of a row."""
        return self.row(name).locator('[data-testid="status"]')

    def menu(self, name: str, item: str) -> None:
        """Open the row's ••• menu and choose `item`."""
        self.row(name).locator('[data-testid="actions"]').click()
        self.frame.locator(f'#ws-menu-{self.row(name).get_attribute("data-sync-id")}').get_by_text(
            item, exact=True).click()

    def expect_flag(self, title: str | re.Pattern) -> None:
        """The newest of Jira's flags on the host page has this title."""
        expect(self.page.locator("#ap-flags .ap-flag strong").last).to_have_text(title)

    def loaded(self) -> Overview:
        """Wait until the first list has arrived (the table, or the empty state of a first visit)."""
        expect(self.frame.locator('[data-testid="list"]:not([hidden]), [data-testid="empty"]:not([hidden])')
               ).to_be_visible(timeout=WAIT_MS)
        return self

    def reload(self) -> Overview:
        """Load the host page again (a fresh iframe with a fresh signed URL)."""
        self.page.reload()
        return self.loaded()

    def support_zip(self, name: str, sync_id, issue_data: bool = True) -> str:
        """Create support ZIP of the synchronization `name` from its ••• menu, download it as a person does; the
        README.txt of the ZIP the browser saved (its file name checked)."""
        self.menu(name, "Create support ZIP")
        expect(self.part("view-title")).to_have_text(f"Create support ZIP: {name}", timeout=WAIT_MS)
        if issue_data:
            self.part("issue-data").check()
        with self.page.expect_download(timeout=WAIT_MS) as started:
            self.part("download").click()
        download = started.value
        assert re.fullmatch(rf"work-sync-support-{sync_id}-\d{{8}}-\d{{6}}\.zip", download.suggested_filename)
        with zipfile.ZipFile(download.path()) as archive:
            return archive.read(f"work-sync-support-{sync_id}/README.txt").decode()


class Configure(Overview):
    """The overview and its Configure page of one synchronization (the ••• menu's Configure)."""

    def configure(self, name: str) -> Configure:
        """Open the Configure page of the synchronization named `name` and wait until it has loaded."""
        self.menu(name, "Configure")
        expect(self.part("config-toolbar")).to_be_visible()
        return self

    def tab(self, title: str) -> None:
        """Switch to the tab with this title (Work types, Fields, Statuses, Users, …)."""
        self.frame.locator("#ws-config-tabs .tabs-menu a").filter(has_text=title).click()

    def pair(self, section: str, side1: str) -> Locator:
        """The row of a mapping table (issueTypes, fields, statuses) whose side 1 is named `side1`."""
        return self.frame.locator(f'[data-testid="mapping-{section}"] [data-testid="mapping-row"]'
                                  f'[data-side1="{side1}"]')

    def problems_below(self, row: Locator) -> Locator:
        """The problems shown right below a mapping row."""
        return row.locator('xpath=following-sibling::tr[1][@data-testid="row-problems"]')

    def add_pair(self, section: str, side1: str, side2: str) -> Locator:
        """Add a row to a mapping table and pick both sides by name; returns the row."""
        table = self.frame.locator(f'[data-section="{section}"]')
        table.locator('[data-testid="add-row"]').click()
        row = table.locator('[data-testid="mapping-row"]').last
        row.locator('select[data-side="1"]').select_option(label=side1)
        row = self.pair(section, side1)
        row.locator('select[data-side="2"]').select_option(label=side2)
        return row

    def diff_row(self, label: str) -> Locator:
        """The row of the received draft's changes for the mapping labelled `label` (e.g. "Bug ↔ Defect")."""
        named = self.frame.locator('[data-testid="diff-label"]').get_by_text(label, exact=True)
        return self.frame.locator('[data-testid="diff-row"]').filter(has=named)

    def send(self, message: str) -> None:
        """Send this side's draft to the partner with a message."""
        self.part("send").click()
        self.part("send-dialog").get_by_label("Message").fill(message)
        self.part("send-submit").click()
