"""The Configure page's pairing control in Chromium (Filters tab, beside Existing work items): pairing by a key field
picked per side, previewed before anything is saved, then published; key pairs uploaded or typed as CSV, checked
line by line, and refused when saved with the server's problems next to the control."""
import pytest
from playwright.sync_api import expect

from tests.support.api import ApiUser
from tests.support.browser import on_one_database
from tests.support.pages import Configure, open_as, project_settings_path

pytestmark = [pytest.mark.browser, on_one_database()]


def _create(installed, site: str, project: str, summary: str, **fields) -> str:
    """An issue made by Dev through the site's REST API; its key."""
    url = f"{installed.sim.site_url(site)}/rest/api/3"
    person = installed.as_user(site, "dev")
    types = {t["name"]: t["id"] for t in person.get(f"{url}/project/{project}", timeout=30).json()["issueTypes"]}
    created = person.post(f"{url}/issue", timeout=30, json={"fields": {
        "project": {"key": project}, "issuetype": {"id": types["Task"]}, "summary": summary, **fields}})
    assert created.status_code == 201, created.text
    return created.json()["key"]


def _accepted(installed, browser, name: str) -> tuple[ApiUser, dict, Configure]:
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", mode="immediate", name=name)
    assert ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync['id']}/accept").status_code == 200
    page = Configure(open_as(installed, browser, "acme", "pat",
                             project_settings_path(installed, "acme", "ACME"))).loaded().configure(name)
    page.tab("Filters")
    return pat, sync, page


def _field_id(installed, site: str, name: str) -> str:
    url = f"{installed.sim.site_url(site)}/rest/api/3/field"
    return next(f["id"] for f in installed.as_user(site, "dev").get(url, timeout=30).json() if f["name"] == name)


def test_pairing_by_a_key_field_is_previewed_before_saving_and_published(installed, browser):
    mine = _create(installed, "acme", "ACME", "Key-field lamp")
    reference = _field_id(installed, "globex", "Customer Reference")
    theirs = _create(installed, "globex", "GLOBEX", "Lamp, as globex calls it", **{reference: mine})
    pat, sync, acme = _accepted(installed, browser, "Pairing bridge")
    acme.frame.locator('label[for="ws-existing-sync"]').click()
    acme.part("pairing-by").select_option("key-field")
    expect(acme.part("pairing-field-2")).to_be_visible()
    expect(acme.part("pairing-csv")).to_be_hidden()
    acme.part("pairing-field-2").select_option(label="Customer Reference")
    acme.part("pairing-unpaired").select_option("skip")

    acme.part("pairing-preview").click()  # the dry run of the unsaved choice
    expect(acme.part("pairing-preview-pairs")).to_contain_text(f"{mine} ↔ {theirs} (by key-field)")
    expect(acme.part("pairing-preview-summary")).to_contain_text("0 partners to create")
    assert "pairing" not in pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]

    acme.part("save").click()
    acme.expect_flag("Configuration published")
    published = pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]
    assert published["existingIssues"] == "sync"
    assert published["pairing"] == {"by": "key-field", "unpaired": "skip",
                                    "field": {"2": {"id": reference, "name": "Customer Reference"}}}


def test_key_pairs_are_checked_line_by_line_and_a_refused_save_shows_why_next_to_the_control(installed, browser):
    pat, sync, acme = _accepted(installed, browser, "Csv bridge")
    acme.frame.locator('label[for="ws-existing-ignore"]').click()
    acme.part("pairing-by").select_option("csv")
    text = "ACME-1,GLOBEX-1\nnot a pair\nACME-1,GLOBEX-2"
    acme.part("pairing-file").set_input_files({"name": "pairs.csv", "mimeType": "text/csv", "buffer": text.encode()})
    expect(acme.part("pairing-csv")).to_have_value(text)  # the upload is shown, and checked at once
    expect(acme.part("pairing-csv-problems")).to_contain_text("line 2: a line holds two issue keys")
    acme.part("pairing-csv").fill(text.replace("not a pair", "still no pair"))
    expect(acme.part("pairing-csv-problems")).to_be_empty()  # an edit waits for the next check
    acme.part("pairing-check").click()
    expect(acme.part("pairing-csv-problems")).to_contain_text("line 2: a line holds two issue keys")

    acme.part("save").click()
    acme.expect_flag("Saved as a draft, not published")
    expect(acme.part("pairing-pairs-problems")).to_contain_text("ACME-1 is paired twice")
    expect(acme.part("pairing-problems")).to_contain_text("Pairing is part of syncing existing issues")
    expect(acme.part("pairing-needs-existing")).to_be_visible()
    assert "pairing" not in pat.get(f"/synchronizations/{sync['id']}/configuration").json()["published"]
