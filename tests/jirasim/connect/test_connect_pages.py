"""Host pages: signed iframe URLs, module conditions, AP context tokens, all.js, and the issue pages."""
import re
from html import unescape

import jwt as pyjwt
import requests

from tests.support.eventually import eventually


def _iframe_src(html, frame_id=None):
    found = re.search(rf'<iframe[^>]*id="{frame_id}"[^>]*src="([^"]+)"' if frame_id else r'<iframe[^>]*src="([^"]+)"',
                      html)
    return unescape(found.group(1))


def _user(site, handle):
    return next(u for u in site.users.values() if u.email.startswith(handle + "@"))


def _as(installed_app, handle) -> requests.Session:
    """A browser-like session on acme's host pages as the user `handle` (picked with the user switcher's cookie)."""
    session = requests.Session()
    session.cookies.set("jirasim_user_acme", _user(installed_app.site, handle).account_id)
    return session


def _project_page(installed_app, handle):
    project = installed_app.site.project("ACME")
    return _as(installed_app, handle).get(
        f"{installed_app.url}/acme/plugins/servlet/ac/{installed_app.app.key}/ws-project",
        params={"project.key": "ACME", "project.id": project.id}, timeout=10)


def test_project_admin_page_embeds_a_signed_url_that_verifies(installed_app):
    app, project = installed_app.app, installed_app.site.project("ACME")
    r = _project_page(installed_app, "pat")
    assert r.status_code == 200, r.text
    src = _iframe_src(r.text)
    assert src.startswith(f"{app.base_url}/page/project?projectKey=ACME&projectId={project.id}&")
    for param in ("xdm_e=", "xdm_c=", "cp=", "lic=none", "cv=", "tz=", "loc=", "jwt="):
        assert param in src
    assert requests.get(src, timeout=10).status_code == 200
    (seen,) = app.pages
    pat = _user(installed_app.site, "pat")
    assert seen["claims"]["iss"] == installed_app.installation.client_key and seen["claims"]["sub"] == pat.account_id
    assert seen["claims"]["context"]["jira"]["project"] == {"id": project.id, "key": "ACME"}
    assert seen["claims"]["exp"] - seen["claims"]["iat"] <= 300


def test_project_admin_page_is_403_for_a_user_who_does_not_administer_the_project(installed_app):
    r = _project_page(installed_app, "dev")
    assert r.status_code == 403 and "<iframe" not in r.text


def test_admin_page_needs_a_jira_admin(installed_app):
    page = f"{installed_app.url}/acme/plugins/servlet/ac/{installed_app.app.key}/ws-admin"
    ok = _as(installed_app, "alice").get(page, timeout=10)
    assert ok.status_code == 200 and _iframe_src(ok.text).startswith(installed_app.app.base_url + "/page/admin?")
    assert _as(installed_app, "pat").get(page, timeout=10).status_code == 403


def test_unknown_module_or_disabled_app_is_404(installed_app):
    base = f"{installed_app.url}/acme/plugins/servlet/ac/{installed_app.app.key}"
    alice = _as(installed_app, "alice")
    assert alice.get(f"{base}/nope", timeout=10).status_code == 404
    installed_app.lifecycle("disable")
    assert alice.get(f"{base}/ws-admin", timeout=10).status_code == 404


def test_ap_token_is_a_context_token_for_the_current_user(installed_app):
    issue = installed_app.site.issue("ACME-1")
    r = _as(installed_app, "dev").post(f"{installed_app.url}/acme/_ap/token", timeout=10, json={
        "app_key": installed_app.app.key, "issue.key": "ACME-1", "issue.id": issue.id})
    assert r.status_code == 200
    installation = installed_app.installation
    claims = pyjwt.decode(r.json()["token"], installation.shared_secret, algorithms=["HS256"])
    assert claims["qsh"] == "context-qsh" and claims["iss"] == installation.client_key
    assert claims["sub"] == _user(installed_app.site, "dev").account_id
    assert claims["context"]["jira"]["issue"] == {"id": issue.id, "key": "ACME-1"}
    assert r.json()["context"] == {"jira": {"issue": {"id": issue.id, "key": "ACME-1"}}}


def test_static_all_js_is_served(simulator):
    r = requests.get(f"{simulator.base_url}/_static/all.js", timeout=5)
    assert r.status_code == 200 and "AP" in r.text and "getToken" in r.text


def test_issue_pages_create_edit_transition_assign_comment_attach_and_show_the_glance_and_context(installed_app):
    url, app = installed_app.url, installed_app.app
    pat = _as(installed_app, "pat")
    assert "Acme Product" in pat.get(f"{url}/acme/", timeout=10).text
    project = pat.get(f"{url}/acme/projects/ACME", timeout=10)
    assert project.status_code == 200 and "/ws-project?project.key=ACME" in unescape(project.text)
    r = pat.post(f"{url}/acme/projects/ACME/issues", timeout=10,
                 data={"issuetype": "10001", "summary": "First", "description": "Hi"})
    key = r.url.rsplit("/", 1)[1]
    assert r.url == f"{url}/acme/browse/{key}" and key.startswith("ACME-")
    pat.post(f"{url}/acme/browse/{key}/edit", timeout=10, data={
        "summary": "Renamed", "description": "Line 1\r\nLine 2", "priority": "High", "labels": "x y"})
    pat.post(f"{url}/acme/browse/{key}/transition", data={"transition": "21"}, timeout=10)
    dev = _user(installed_app.site, "dev")
    pat.post(f"{url}/acme/browse/{key}/assign", data={"account_id": dev.account_id}, timeout=10)
    pat.post(f"{url}/acme/browse/{key}/comment", data={"body": "Nice"}, timeout=10)
    pat.post(f"{url}/acme/browse/{key}/attach", files={"file": ("a.txt", b"hello")}, timeout=10)
    page = unescape(pat.get(f"{url}/acme/browse/{key}", timeout=10).text)
    assert 'id="error"' not in page
    for expected in ("Renamed", "Line 1\nLine 2</textarea>", "<strong id=\"status\">In Progress</strong>",
                     "Pat Project</strong>: Nice", "a.txt (5 bytes)", 'value="x y"', "<option selected>High</option>",
                     f'value="{dev.account_id}" selected'):
        assert expected in page, expected
    glance = _iframe_src(page, "glance-ws-glance")
    assert glance.startswith(f"{app.base_url}/page/glance?issueKey={key}&")
    assert requests.get(glance, timeout=10).status_code == 200
    assert app.pages[-1]["claims"]["context"]["jira"]["issue"]["key"] == key
    context = _iframe_src(page, "context-ws-context")  # the glance's successor, shown beside it
    assert context.startswith(f"{app.base_url}/page/context?issueKey={key}&")
    assert requests.get(context, timeout=10).status_code == 200
    assert app.pages[-1]["claims"]["context"]["jira"]["project"]["key"] == "ACME"
    # The project page lists issues through search, which sees a write only after the search lag.
    eventually(lambda: "Renamed" in pat.get(f"{url}/acme/projects/ACME", timeout=10).text)


def test_an_action_the_rest_api_refuses_comes_back_as_the_page_error(installed_app):
    r = _as(installed_app, "dev").post(f"{installed_app.url}/acme/browse/ACME-1/comment", data={"body": " \r\n "},
                                       timeout=10)
    assert r.status_code == 200 and '<p class="error" id="error">comment: Comment body can not be empty!</p>' in r.text


def test_user_switcher_sets_cookie(installed_app):
    dev = _user(installed_app.site, "dev")
    session = requests.Session()
    r = session.post(f"{installed_app.url}/acme/_user", data={"account_id": dev.account_id, "next": "/acme/"},
                     timeout=10)
    assert r.status_code == 200 and session.cookies.get("jirasim_user_acme") == dev.account_id
    assert f'value="{dev.account_id}" selected' in r.text
