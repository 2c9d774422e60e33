"""What an app may do follows its descriptor scopes: e-mail addresses, project and site configuration."""
from contextlib import contextmanager

import requests

from tests.jirasim.conformance import check
from tests.jirasim.connect.support import InstalledApp, running_test_app


@contextmanager
def _app_with(simulator, *scopes):
    with running_test_app(simulator.base_url, scopes=scopes, key="scoped-" + "-".join(scopes).lower()) as app:
        installed = InstalledApp(simulator, app)
        assert installed.install().status_code == 201
        yield installed


def _person(simulator, local_part):
    return next(u for u in simulator.site("acme").users.values() if u.email.startswith(local_part + "@"))


def test_only_an_app_with_access_email_addresses_reads_a_hidden_address(openapi, simulator):
    dev = _person(simulator, "dev")
    with _app_with(simulator, "READ", "ACCESS_EMAIL_ADDRESSES") as allowed, _app_with(simulator, "READ") as plain:
        # The reference lists only basicAuth as this operation's security, so an app's request is not validated.
        found = check(openapi, allowed.call("GET", "/rest/api/3/user/email", {"accountId": dev.account_id}),
                      request_body=False)
        assert found.status_code == 200
        assert found.json() == {"accountId": dev.account_id, "email": "dev@acme.example.com"}
        missing = allowed.call("GET", "/rest/api/3/user/email", {"accountId": "nobody"})
        assert check(openapi, missing, request_body=False).status_code == 404
        seen = check(openapi, allowed.call("GET", "/rest/api/3/user", {"accountId": dev.account_id})).json()
        assert "emailAddress" not in seen
        refused = plain.call("GET", "/rest/api/3/user/email", {"accountId": dev.account_id})
        assert refused.status_code == 403 and "ACCESS_EMAIL_ADDRESSES" in refused.json()["errorMessages"][0]
    person = requests.get(f"{simulator.site_url('acme')}/rest/api/3/user/email", params={"accountId": dev.account_id},
                          auth=("alice@acme.example.com", "t"), timeout=10)
    assert check(openapi, person).status_code == 401


def test_an_app_needs_project_admin_to_create_a_component_and_admin_to_delete_a_field(openapi, simulator):
    body = {"project": "ACME", "name": "Made by an app"}
    field_id = next(f.id for f in simulator.site("acme").fields.values() if f.name == "Story Points")
    with _app_with(simulator, "READ", "WRITE") as writer, _app_with(simulator, "PROJECT_ADMIN") as project_admin, \
            _app_with(simulator, "ADMIN") as admin:
        assert writer.call("POST", "/rest/api/3/component", json=body).status_code == 403
        assert check(openapi, project_admin.call("POST", "/rest/api/3/component", json=body)).status_code == 201
        assert project_admin.call("DELETE", f"/rest/api/3/field/{field_id}").status_code == 403
        deleted = admin.call("DELETE", f"/rest/api/3/field/{field_id}", allow_redirects=False)
        assert check(openapi, deleted).status_code == 303
    assert field_id not in simulator.site("acme").fields
