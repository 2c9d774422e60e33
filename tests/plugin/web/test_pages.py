"""Pages show the site and project they were opened for and may be framed only by that site."""
import re

import pytest

from plugin.models import Tenant
from plugin.web.security import frame_ancestors
from tests.support.constants import APP_BASE_URL
from tests.support.jira_site import page_context


def test_project_settings_page_is_the_projects_overview_without_a_header_of_internals(client, site):
    url = site.signed_url("/pages/project-settings", {"project.key": "ACME", "project.id": "10000"}, sub="557058:pat")
    html = client.get(url, base_url=APP_BASE_URL).get_data(as_text=True)
    assert '<title>Work Sync · ACME</title>' in html and 'data-project="ACME"' in html
    assert "(id 10000)" not in html and "557058:pat" not in html  # Jira's own page knows site, project and user
    assert re.search(r'<script nonce="[^"]+" src="https://connect-cdn.atl-paas.net/all.js"', html)


def test_admin_page_and_glance_render(client, site):
    admin = client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL).get_data(as_text=True)
    assert '<title>Work Sync · administration</title>' in admin and 'data-project=""' in admin
    glance = client.get(site.signed_url("/pages/issue-glance", {"issue.key": "ACME-7", "issue.id": "10007",
                                                                "project.key": "ACME"}), base_url=APP_BASE_URL)
    assert glance.status_code == 200 and "ACME-7" in glance.get_data(as_text=True)


def test_pages_may_be_framed_only_by_the_tenant_site(client, site):
    response = client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors http://127.0.0.1:9 https://jira.acme.com;" in csp
    assert response.headers["Cache-Control"] == "no-store"


def test_frame_ancestors_are_origins_even_when_the_site_has_a_path():
    tenant = Tenant(base_url="http://127.0.0.1:8080/acme", display_url="https://jira.acme.com/")
    assert frame_ancestors(tenant) == "http://127.0.0.1:8080 https://jira.acme.com"


def test_a_stored_display_url_that_is_not_a_plain_url_never_reaches_the_csp():
    tenant = Tenant(base_url="https://acme.atlassian.net", display_url="https://jira.acme.com; script-src *")
    assert frame_ancestors(tenant) == "https://acme.atlassian.net"


def test_every_response_gets_its_own_script_nonce_and_the_scripts_carry_it(client, site):
    nonces = []
    for _ in range(2):
        response = client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL)
        nonce = re.search(r"script-src [^;]*'nonce-([A-Za-z0-9_-]{16,})'", response.headers["Content-Security-Policy"])
        assert nonce, response.headers["Content-Security-Policy"]
        html = response.get_data(as_text=True)
        scripts = html.count("<script ")
        assert scripts >= 2 and html.count(f'<script nonce="{nonce[1]}" ') == scripts
        nonces.append(nonce[1])
    assert nonces[0] != nonces[1]
    assert "'nonce-none'" not in response.headers["Content-Security-Policy"]


def test_api_and_error_responses_carry_a_csp_too(client, site):
    token = site.token("GET", "/api/context", context=True)
    api = client.get("/api/context", headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    assert "frame-ancestors http://127.0.0.1:9 https://jira.acme.com;" in api.headers["Content-Security-Policy"]
    refused = client.get("/pages/admin", base_url=APP_BASE_URL)
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]


def test_all_js_comes_from_the_configured_url(app, settings, site):
    from plugin.app import create_app

    other = create_app(settings.with_(all_js_url="http://127.0.0.1:9/_static/all.js"))
    html = other.test_client().get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL).get_data(as_text=True)
    assert re.search(r'<script nonce="[^"]+" src="http://127.0.0.1:9/_static/all.js"', html)


@pytest.mark.parametrize("page, params", [
    ("/pages/project-settings", {"project.key": "ACME\n", "project.id": "10000"}),
    ("/pages/project-settings", {"project.key": "ACME", "project.id": "10000\n"}),
    ("/pages/issue-glance", {"issue.key": "ACME-7\n", "issue.id": "10007"}),
    ("/pages/issue-glance", {"issue.key": "ACME-7", "issue.id": "10007", "project.key": "ACME\n"}),
])
def test_a_trailing_newline_in_a_key_or_id_is_refused(client, site, page, params):
    response = client.get(site.signed_url(page, params), base_url=APP_BASE_URL)
    assert response.status_code == 400
    assert "malformed" in response.get_json()["message"]


def test_a_project_id_that_is_not_the_signed_project_is_refused(client, site):
    signed = {"context": page_context({"project.key": "ACME", "project.id": "10000"})}
    url = site.signed_url("/pages/project-settings", {"project.key": "ACME", "project.id": "10001"}, claims=signed)
    response = client.get(url, base_url=APP_BASE_URL)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"project.id": "mismatch"}


def test_an_issue_glance_for_another_project_is_refused(client, site):
    params = {"issue.key": "ACME-7", "issue.id": "10007", "project.key": "OTHER"}
    assert client.get(site.signed_url("/pages/issue-glance", params), base_url=APP_BASE_URL).status_code == 400
