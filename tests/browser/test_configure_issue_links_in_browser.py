"""The Configure page's Issue links tab in Chromium: turned on, a link type paired by hand, published; a pair
naming a type the partner lacks is a problem on that tab."""
import pytest
from playwright.sync_api import expect

from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import Configure, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def test_issue_links_are_turned_on_and_a_type_paired_by_hand_is_published(installed, browser):
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", mode="immediate", name="Linked bridge")
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    acme = Configure(open_as(installed, browser, "acme", "pat",
                             project_settings_path(installed, "acme", "ACME"))).loaded().configure("Linked bridge")
    acme.tab("Issue links")
    toggle = acme.part("issueLinks-direction")
    expect(toggle.locator('[aria-pressed="true"]')).to_have_text("off")
    toggle.get_by_role("button", name="1 → 2").click()
    same_name = acme.frame.get_by_label("Pair link types of the same name")
    expect(same_name).to_be_checked()
    acme.frame.get_by_text("Pair link types of the same name").click()
    expect(same_name).not_to_be_checked()
    acme.part("add-link-type-pair").click()
    acme.part("link-type-1").select_option(label="Relates")
    acme.part("link-type-2").select_option(label="Blocks")
    acme.part("save").click()
    acme.expect_flag("Configuration published")
    links = pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]["issueLinks"]
    assert links["direction"] == "1→2" and links["sameName"] is False
    assert [(row["1"]["name"], row["2"]["name"]) for row in links["types"]] == [("Relates", "Blocks")]
