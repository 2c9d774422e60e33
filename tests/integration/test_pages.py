"""Pages opened without a signed project context ask Jira whether project.id is project.key."""
import time

import jwt
import requests
from atlassian_jwt.url_utils import hash_url


def _page(installed, site: str, params: dict) -> requests.Response:
    """GET the project settings page signed with the site's secret, with no context in the token."""
    installation = installed.site(site).apps["work-sync"]
    query = "&".join(f"{k}={v}" for k, v in params.items())
    now = int(time.time())
    token = jwt.encode({"iss": installation.client_key, "iat": now, "exp": now + 60,
                        "qsh": hash_url("GET", f"/pages/project-settings?{query}")},
                       installation.shared_secret, algorithm="HS256")
    return requests.get(f"{installed.live.base_url}/pages/project-settings?{query}&jwt={token}", timeout=10)


def test_a_project_id_jira_does_not_know_as_that_key_is_refused(installed):
    assert _page(installed, "acme", {"project.key": "ACME", "project.id": "10000"}).status_code == 200
    wrong = _page(installed, "acme", {"project.key": "ACME", "project.id": "10001"})  # 10001 is SUP
    assert wrong.status_code == 400 and wrong.json()["errors"] == {"project.id": "mismatch"}
    assert _page(installed, "acme", {"project.key": "ACME", "project.id": "99999"}).status_code == 400
