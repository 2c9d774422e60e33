"""The support ZIP: what support needs to understand a synchronization, for its own admins only, and no secret —
no shared secret of a site, no APP_SECRET_KEY, no token, no e-mail address, no issue content unless asked for."""
import base64
import io
import json
import re
import zipfile

import pytest

from plugin.engine import problems
from tests.support.api import ApiUser
from tests.support.engine import Engine

JWT_SHAPED = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
EMAIL_SHAPED = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
LOST = "the launch plan of Project Nightingale"
FILES = {"README.txt", "synchronization.json", "configuration.json", "status.json", "audit.json", "errors.json",
         "links.json", "analysis.json", "queue.json", "app.json", "settings.json"}


@pytest.fixture
def sync_id(installed):
    """A running synchronization with two errors whose texts carry an e-mail address and issue content."""
    sync_id = Engine(installed).synchronize()
    with installed.live.runtime.sessions.begin() as session:
        problems.record(session, int(sync_id), category="validation", side=2, issue_id="20001", issue_key="GLOBEX-2",
                        field="assignee", trigger="webhook", permanent=True,
                        message="Jira refused the assignee: alice@acme.example.com cannot be assigned issues")
        problems.record(session, int(sync_id), category="conflict", side=1, issue_id="10001", issue_key="ACME-2",
                        field="summary|summary", trigger="poll", state="resolved",
                        message="Both sides changed summary|summary; side 2 won",
                        detail={"lost": LOST, "won": "Something else", "winner": 2})
    return sync_id


def _download(installed, sync_id, user="pat", site="acme", project="ACME", **params):
    return ApiUser(installed, site, user, project=project).get(f"/synchronizations/{sync_id}/support.zip", **params)


def _files(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


def _secrets(installed) -> list[str]:
    return [installed.site(site).apps["work-sync"].shared_secret for site in ("acme", "globex")] + [
        installed.live.settings.secret_key]


def test_the_support_zip_holds_what_support_needs_and_no_secret(installed, sync_id):
    response = _download(installed, sync_id)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/zip"
    assert re.fullmatch(rf'attachment; filename="work-sync-support-{sync_id}-\d{{8}}-\d{{6}}\.zip"',
                        response.headers["Content-Disposition"])
    files = _files(response)
    assert set(files) == FILES
    assert all(name in files["README.txt"] for name in FILES - {"README.txt"})
    definition = json.loads(files["synchronization.json"])
    assert definition["sides"]["2"]["project"]["key"] == "GLOBEX" and definition["mode"] == "immediate"
    assert json.loads(files["configuration.json"])["published"][0]["version"] == 1
    assert [e["issue"]["key"] for e in json.loads(files["errors.json"])] == ["ACME-2", "GLOBEX-2"]
    assert {check["id"] for check in json.loads(files["analysis.json"])} >= {"permissions", "configuration", "queue"}
    assert {"create", "accept", "start"} <= {event["action"] for event in json.loads(files["audit.json"])}
    assert "flask" in json.loads(files["app.json"])["dependencies"]
    assert json.loads(files["settings.json"])["baseUrl"] == installed.live.settings.base_url
    for name, text in files.items():
        for secret in _secrets(installed):
            assert secret not in text, name
        assert not JWT_SHAPED.search(text), name
        assert not EMAIL_SHAPED.search(text), (name, EMAIL_SHAPED.search(text))
        assert LOST not in text, name


def test_issue_data_is_in_the_zip_only_when_asked_for_and_the_download_is_audited(installed, sync_id):
    files = _files(_download(installed, sync_id, issueData="true"))
    assert LOST in files["errors.json"] and "includes issue data" in files["README.txt"]
    assert all(not EMAIL_SHAPED.search(text) for text in files.values())
    events = ApiUser(installed, "globex", "pat", project="GLOBEX").get(f"/synchronizations/{sync_id}/audit").json()
    assert [e["detail"] for e in events["events"] if e["action"] == "support bundle"] == [{"issueData": True}]


def test_only_the_synchronizations_admins_may_download_it(installed, sync_id):
    assert _download(installed, sync_id, user="dev").status_code == 403
    assert _download(installed, sync_id, site="globex", project="GLOBEX").status_code == 200
    assert _download(installed, "999999").status_code == 404


@pytest.mark.parametrize("side1_kind", ["connect", "forge"], indirect=True)
def test_a_caller_that_accepts_only_json_gets_the_same_zip_base64_encoded(installed, sync_id):
    pat = ApiUser(installed, "acme", "pat", project="ACME")  # on Forge: through invokeRemote, which takes only JSON
    response = pat.call("GET", f"/synchronizations/{sync_id}/support.zip", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    answer = response.json()
    assert re.fullmatch(rf"work-sync-support-{sync_id}-\d{{8}}-\d{{6}}\.zip", answer["filename"])
    content = base64.b64decode(answer["base64"])
    assert answer["contentType"] == "application/zip" and answer["size"] == len(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {name.split("/", 1)[1] for name in archive.namelist()} == FILES
