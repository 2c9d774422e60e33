"""The pinned `@forge/manifest` from npm: the test app's manifest passes its schema; a broken one is refused with
the schema's complaint; trigger events are checked against its product-event → scope mapping."""
import json

import jsonschema
import pytest
import requests

from tests.jirasim.forge.support import EVENTS, ForgeApp, manifest
from tests.support import npm


@pytest.fixture
def validating(simulator, forge_remote, forge_manifest_package):
    """A ForgeApp on a simulator that validates with Atlassian's files."""
    loaded = requests.post(f"{simulator.base_url}/_sim/forge/manifest-schema",
                           json={"package_dir": str(forge_manifest_package)}, timeout=10)
    assert loaded.status_code == 200 and loaded.json()["source"] == f"@forge/manifest@{npm.VERSION}"
    return ForgeApp(simulator, forge_remote)


def test_the_test_apps_manifest_passes_atlassians_schema(validating, forge_manifest_package):
    schema = json.loads((forge_manifest_package / "out/schema/manifest-schema.json").read_text())
    assert list(jsonschema.Draft7Validator(schema).iter_errors(manifest())) == []
    assert validating.install().status_code == 201


def test_a_broken_manifest_is_refused_with_the_schemas_message(validating, forge_manifest_package):
    broken = manifest()
    del broken["app"]["id"]
    schema = json.loads((forge_manifest_package / "out/schema/manifest-schema.json").read_text())
    expected = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(broken)]
    answer = validating.install(broken)
    assert answer.status_code == 400
    assert [p["message"] for p in answer.json()["problems"]] == expected == ["'id' is a required property"]
    assert answer.json()["problems"][0]["path"] == "app"


def test_event_subscriptions_need_the_scopes_of_atlassians_mapping(validating, forge_manifest_package):
    mapping = json.loads((forge_manifest_package / "out/mapping/product-event-to-scope-mapping.json").read_text())
    listed = {e["productEvent"]: e["oAuthScopes"] for e in mapping["mapping"]}
    assert all(listed[event]["current"] == ["read:jira-work"] for event in EVENTS)
    answer = validating.install(manifest(scopes=("write:jira-work", "read:app-system-token")))
    assert answer.status_code == 400
    assert {"path": "permissions.scopes",
            "message": "Trigger event: 'avi:jira:created:issue' requires 'read:jira-work' scope"} in \
        answer.json()["problems"]
    granular = sorted({s for event in EVENTS for s in listed[event]["beta"]})
    assert validating.install(manifest(scopes=(*granular, "write:jira-work", "read:app-system-token"))).status_code \
        == 201
