"""Host module pages: signed iframe URL, conditions, AP context tokens, all.js."""
import re
from html import unescape

import jwt as pyjwt
import requests

from jirasim.connect.install import apps


def _iframe_src(html):
    return unescape(re.search(r'<iframe[^>]*src="([^"]+)"', html).group(1))


def _as(user):
    return {"jirasim_user_alpha": user}


def test_project_admin_page_embeds_signed_url_that_verifies(installed):
    world, url, app = installed
    r = requests.get(f"{url}/alpha/plugins/servlet/ac/{app.key}/ws-project",
                     params={"project.key": "A", "project.id": "10000"}, cookies=_as("u-alice"), timeout=10)
    assert r.status_code == 200, r.text
    src = _iframe_src(r.text)
    assert src.startswith(app.base_url + "/page/project?projectKey=A&projectId=10000&")
    for param in ("xdm_e=", "xdm_c=", "cp=", "lic=none", "cv=", "tz=", "loc=", "jwt="):
        assert param in src
    page = requests.get(src, timeout=10)
    assert page.status_code == 200
    (seen,) = app.pages
    inst = apps(world.sites["alpha"])[app.key]
    assert seen["claims"]["iss"] == inst.client_key and seen["claims"]["sub"] == "u-alice"
    assert seen["claims"]["context"]["jira"]["project"] == {"id": "10000", "key": "A"}
    assert seen["claims"]["exp"] - seen["claims"]["iat"] <= 300


def test_project_admin_page_is_403_for_non_admin(installed):
    world, url, app = installed
    r = requests.get(f"{url}/alpha/plugins/servlet/ac/{app.key}/ws-project",
                     params={"project.key": "A", "project.id": "10000"}, cookies=_as("u-bob"), timeout=10)
    assert r.status_code == 403 and "<iframe" not in r.text


def test_admin_page_needs_jira_admin(installed):
    world, url, app = installed
    ok = requests.get(f"{url}/alpha/plugins/servlet/ac/{app.key}/ws-admin", cookies=_as("u-alice"), timeout=10)
    assert ok.status_code == 200 and _iframe_src(ok.text).startswith(app.base_url + "/page/admin?")
    no = requests.get(f"{url}/alpha/plugins/servlet/ac/{app.key}/ws-admin", cookies=_as("u-bob"), timeout=10)
    assert no.status_code == 403


def test_unknown_module_or_disabled_app_is_404(installed):
    world, url, app = installed
    assert requests.get(f"{url}/alpha/plugins/servlet/ac/{app.key}/nope", timeout=10).status_code == 404
    requests.post(f"{url}/_sim/sites/alpha/disable", json={"app_key": app.key}, timeout=10)
    assert requests.get(f"{url}/alpha/plugins/servlet/ac/{app.key}/ws-admin", timeout=10).status_code == 404


def test_ap_token_is_a_context_token_for_current_user(installed):
    world, url, app = installed
    r = requests.post(f"{url}/alpha/_ap/token", json={"app_key": app.key, "issue.key": "A-1", "issue.id": "7"},
                      cookies=_as("u-bob"), timeout=10)
    assert r.status_code == 200
    inst = apps(world.sites["alpha"])[app.key]
    claims = pyjwt.decode(r.json()["token"], inst.shared_secret, algorithms=["HS256"])
    assert claims["qsh"] == "context-qsh" and claims["sub"] == "u-bob" and claims["iss"] == inst.client_key
    assert claims["context"]["jira"]["issue"] == {"id": "7", "key": "A-1"}
    assert r.json()["context"] == {"jira": {"issue": {"id": "7", "key": "A-1"}}}


def test_static_all_js_is_served(sim):
    _, url = sim
    r = requests.get(f"{url}/_static/all.js", timeout=5)
    assert r.status_code == 200 and "AP" in r.text and "getToken" in r.text


def test_issue_pages_create_edit_comment_attach_and_glance(installed):
    world, url, app = installed
    s = requests.Session()
    s.cookies.set("jirasim_user_alpha", "u-alice")
    assert "Alpha project" in s.get(f"{url}/alpha/", timeout=10).text
    project = s.get(f"{url}/alpha/projects/A", timeout=10)
    assert project.status_code == 200 and "ws-project" in project.text
    r = s.post(f"{url}/alpha/projects/A/issues", data={"issuetype": "1", "summary": "First", "description": "Hi"},
               timeout=10)
    assert r.url.endswith("/alpha/browse/A-1")
    s.post(f"{url}/alpha/browse/A-1/edit", data={"summary": "Renamed", "description": "Line 1\nLine 2",
                                                 "priority": "High", "labels": "x y"}, timeout=10)
    s.post(f"{url}/alpha/browse/A-1/transition", data={"transition": "21"}, timeout=10)
    s.post(f"{url}/alpha/browse/A-1/assign", data={"account_id": "u-bob"}, timeout=10)
    s.post(f"{url}/alpha/browse/A-1/comment", data={"body": "Nice"}, timeout=10)
    s.post(f"{url}/alpha/browse/A-1/attach", files={"file": ("a.txt", b"hello")}, timeout=10)
    page = s.get(f"{url}/alpha/browse/A-1", timeout=10).text
    for expected in ("Renamed", "Line 1\nLine 2", "In Progress", "Nice", "a.txt (5 bytes)", 'value="x y"'):
        assert expected in unescape(page), expected
    src = _iframe_src(page)
    assert src.startswith(app.base_url + "/page/glance?issueKey=A-1&")
    assert requests.get(src, timeout=10).status_code == 200
    assert app.pages[-1]["claims"]["context"]["jira"]["issue"]["key"] == "A-1"
    assert "Renamed" in s.get(f"{url}/alpha/projects/A", timeout=10).text


def test_user_switcher_sets_cookie(installed):
    world, url, app = installed
    s = requests.Session()
    r = s.post(f"{url}/alpha/_user", data={"account_id": "u-bob", "next": "/alpha/"}, timeout=10)
    assert r.status_code == 200 and s.cookies.get("jirasim_user_alpha") == "u-bob"
    assert 'value="u-bob" selected' in r.text
