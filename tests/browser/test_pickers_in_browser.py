"""Pickers instead of ids (issue 20), in Chromium on both simulated sites: the site-wide Create picks the local project
from the site's projects, the site-wide list names it, and Users → pairs finds people by name on each side."""
import pytest
from playwright.sync_api import expect

from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import ADMIN_PATH, Configure, Overview, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def test_the_site_wide_create_picks_the_project_and_the_list_names_it(installed, browser):
    admin = Overview(open_as(installed, browser, "acme", "alice", ADMIN_PATH)).loaded()
    admin.frame.locator("[data-testid=create-first]:visible, [data-testid=create]:visible").first.click()
    dialog = admin.part("create-dialog")
    picker = dialog.locator('[data-testid="create-project"]')
    expect(picker.locator("option", has_text="Acme Support (SUP)")).to_have_count(1)
    expect(picker.locator("option", has_text="GLOBEX")).to_have_count(0)  # only this site's projects
    assert picker.evaluate("s => getComputedStyle(s).appearance") == "none"  # AUI's select
    picker.select_option(label="Acme Support (SUP)")
    dialog.get_by_label("Partner project").fill("ACME")
    dialog.get_by_label("Name", exact=True).fill("Support to product")
    admin.part("create-submit").click()
    admin.expect_flag("Synchronization requested")
    expect(admin.frame.locator('[data-testid="local-project-header"]')).to_have_text("Project")
    expect(admin.row("Support to product").locator('[data-testid="local-project"]')).to_have_text("SUP")
    project_page = Overview(open_as(installed, browser, "acme", "pat", project_settings_path(installed, "acme", "SUP")))
    expect(project_page.loaded().row("Support to product")).to_have_count(1)
    expect(project_page.frame.locator('[data-testid="local-project"]')).to_have_count(0)  # its own project: no column


def test_users_pairs_find_people_by_name_on_each_side(installed, browser):
    sync = ApiUser(installed, "acme", "pat", project="ACME").request_sync("GLOBEX", partner_site="globex",
                                                                         mode="immediate", name="People bridge")
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    acme = Configure(open_as(installed, browser, "acme", "pat", project_settings_path(installed, "acme", "ACME"))
                     ).loaded().configure("People bridge")
    acme.tab("Users")
    acme.part("add-user-pair").click()
    pair = acme.frame.locator('[data-testid="user-pair"]').last
    pair.locator('[data-testid="user-search-1"]').fill("quin")
    pair.locator('[data-testid="user-results-1"]').select_option(label="Quinn Quality")
    pair = acme.frame.locator('[data-testid="user-pair"]').last
    pair.locator('[data-testid="user-search-2"]').fill("gin")
    expect(pair.locator('[data-testid="user-results-2"] option').first).to_have_text("1 found: choose one…")
    pair.locator('[data-testid="user-results-2"]').select_option(label="Gina Globex")
    pair = acme.frame.locator('[data-testid="user-pair"]').last
    expect(pair.locator('[data-testid="user-pair-1"]')).to_have_text("Quinn Quality")
    expect(pair.locator('[data-testid="user-pair-2"]')).to_have_text("Gina Globex")
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    published = ApiUser(installed, "acme", "pat", project="ACME").get(
        f"/synchronizations/{sync['id']}/configuration").json()["published"]
    assert published["users"]["pairs"] == [{"1": installed.user("acme", "quinn").account_id,
                                            "2": installed.user("globex", "gina").account_id}]


def test_stored_user_pairs_show_names_asked_once_per_side_and_a_missing_person_marked(installed, browser):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", mode="immediate", name="People bridge")
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    document = pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]
    quinn, gina = installed.user("acme", "quinn").account_id, installed.user("globex", "gina").account_id
    document["users"]["pairs"] = [{"1": quinn, "2": gina}, {"1": "557058:gone-for-good", "2": gina}]
    saved = pat.call("PUT", f"/synchronizations/{sync['id']}/configuration", json=document)
    assert saved.status_code == 200, saved.text
    page = open_as(installed, browser, "acme", "pat", project_settings_path(installed, "acme", "ACME"))
    lookups = []
    page.on("request", lambda request: lookups.append(request.url) if "/people?" in request.url else None)
    acme = Configure(page).loaded().configure("People bridge")
    acme.tab("Users")
    pairs = acme.frame.locator('[data-testid="user-pair"]')
    expect(pairs.nth(0).locator('[data-testid="user-pair-1"]')).to_have_text("Quinn Quality")
    expect(pairs.nth(0).locator('[data-testid="user-pair-2"]')).to_have_text("Gina Globex")
    expect(pairs.nth(1).locator('[data-testid="user-pair-2"]')).to_have_text("Gina Globex")
    gone = pairs.nth(1).locator('[data-testid="user-pair-1"]')
    expect(gone).to_have_text("557058:gone-for-good (not found on this site)")
    expect(gone).to_have_attribute("data-missing", "true")
    expect(pairs.nth(0).locator('[data-testid="user-pair-1"]')).not_to_have_attribute("data-missing", "true")
    assert len(lookups) == 2, lookups  # one per side for all its people, not one per person
