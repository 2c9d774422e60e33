"""The served descriptor is valid, names only URLs we serve, and declares every page we serve."""
import copy

import pytest

import descriptor
from tests.support.constants import APP_BASE_URL


def test_descriptor_is_rendered_for_the_configured_base_url(client):
    body = client.get("/atlassian-connect.json", base_url=APP_BASE_URL).get_json()
    assert body["baseUrl"] == APP_BASE_URL and body["key"] == "work-sync"
    assert body["apiMigrations"] == {"signed-install": True, "context-qsh": True}
    assert body["authentication"] == {"type": "jwt"}
    # DELETE: mirrored comments and markers follow deletes; PROJECT_ADMIN: versions and components created missing
    assert set(body["scopes"]) == {"READ", "WRITE", "DELETE", "PROJECT_ADMIN"}
    descriptor.validate(body)


def test_every_url_the_descriptor_names_is_served(app, client):
    body = client.get("/atlassian-connect.json", base_url=APP_BASE_URL).get_json()
    adapter = app.url_map.bind("work-sync.test", script_name="/app")
    for kind, method, url in descriptor.declared_urls(body):
        path = url.split("?", 1)[0]
        adapter.match(path, method)  # raises NotFound / MethodNotAllowed
        assert kind


def test_every_page_the_app_serves_is_declared(app):
    rendered = descriptor.render(APP_BASE_URL, "work-sync")
    declared = {url.split("?")[0] for _, _, url in descriptor.declared_urls(rendered)}
    served = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(("/pages/", "/lifecycle/"))}
    assert served <= declared, served - declared


@pytest.mark.parametrize("breakage, where", [
    (lambda d: d.pop("authentication"), "authentication"),
    (lambda d: d["modules"]["adminPages"][0].update(url="https://evil.example.com/x"), "adminPages/0/url"),
    (lambda d: d["modules"]["webhooks"][0].update(event="issue_made"), "webhooks/0/event"),
    (lambda d: d["apiMigrations"].update(**{"signed-install": "yes"}), "signed-install"),
    (lambda d: d["modules"].update(unknownModule=[]), "unknownModule"),
    (lambda d: d["modules"]["jiraProjectAdminTabPanels"][0]["conditions"].append({"params": {}}), "conditions"),
])
def test_schema_rejects_a_broken_descriptor(breakage, where):
    broken = copy.deepcopy(descriptor.render(APP_BASE_URL, "work-sync"))
    breakage(broken)
    with pytest.raises(descriptor.DescriptorError, match=where):
        descriptor.validate(broken)
