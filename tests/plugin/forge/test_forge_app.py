"""`python -m plugin forge-app`: the manifest is valid by Atlassian's own files (the pinned `@forge/manifest`'s
schema, its event → scope mapping and its exported `validate()`), made from the module list the Connect descriptor
is made from, asks for exactly the scopes of the Jira operations the app calls, and ships Custom UI pages that run
the Connect pages' scripts through the Forge transport, with no CDN and no inline script."""
import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

import descriptor
from descriptor import modules
from jirasim.forge import scope_table
from plugin.__main__ import main
from plugin.forge import app as forge_app
from tests.support import npm

APP_ID = "ari:cloud:ecosystem::app/8db33809-1f32-48bb-8c52-5877dab48107"
BASE_URL = "https://work-sync.example.com/ws"
EVENTS = ["avi:jira:created:issue", "avi:jira:updated:issue", "avi:jira:deleted:issue", "avi:jira:commented:issue",
          "avi:jira:deleted:comment", "avi:jira:created:attachment", "avi:jira:deleted:attachment"]
REPO = Path(__file__).resolve().parents[3]
VALIDATE = """const { validate } = require("@forge/manifest");
validate(false, process.argv[2]).then(
  (r) => console.log(JSON.stringify({ success: r.success, errors: r.errors || [] })),
  (e) => { console.error(e && e.stack || e); process.exit(3); });
"""


@pytest.fixture
def generated(tmp_path):
    out = tmp_path / "forge-app"
    written = forge_app.write(out, BASE_URL, "/ws", None)
    return out, written.manifest


def _loaded(out: Path) -> dict:
    return yaml.safe_load((out / "manifest.yml").read_text())


def test_the_command_writes_the_app_with_the_app_id_from_the_flag_then_the_setting_then_a_placeholder(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("APP_BASE_URL", "https://sync.example.org")
    monkeypatch.delenv("FORGE_APP_ID", raising=False)
    main(["forge-app", "--out", str(tmp_path / "a")])
    assert _loaded(tmp_path / "a")["app"]["id"] == forge_app.PLACEHOLDER_APP_ID
    assert "forge register" in capsys.readouterr().out
    monkeypatch.setenv("FORGE_APP_ID", "ari:cloud:ecosystem::app/11111111-2222-4333-8444-555555555555")
    main(["forge-app", "--out", str(tmp_path / "b")])
    assert _loaded(tmp_path / "b")["app"]["id"] == "ari:cloud:ecosystem::app/11111111-2222-4333-8444-555555555555"
    main(["forge-app", "--out", str(tmp_path / "c"), "--app-id", APP_ID])
    written = _loaded(tmp_path / "c")
    assert written["app"]["id"] == APP_ID
    assert written["remotes"][0]["baseUrl"] == "https://sync.example.org"
    for name in ("README.md", "package.json", "src/bridge.js"):
        assert (tmp_path / "c" / name).is_file()
    readme = (tmp_path / "c" / "README.md").read_text()
    for step in ("forge register", "forge deploy -e production", "forge install --site SITE --product jira"):
        assert step in readme


def test_the_manifest_is_what_the_contract_names(generated):
    out, document = generated
    assert _loaded(out) == document
    assert document["app"]["runtime"] == {"name": "nodejs22.x"}
    assert document["remotes"][0]["key"] == "work-sync" and document["remotes"][0]["baseUrl"] == BASE_URL
    assert document["permissions"]["external"] == {"fetch": {"backend": [{"remote": "work-sync"}]}}
    found = document["modules"]
    assert [m["key"] for m in found["jira:projectSettingsPage"]] == ["ws-project-settings"]
    assert [m["key"] for m in found["jira:adminPage"]] == ["ws-admin"]
    assert [m["key"] for m in found["jira:issueContext"]] == ["ws-issue-context"]
    endpoints = {e["key"]: e for e in found["endpoint"]}
    assert all(e["auth"] == {"appSystemToken": {"enabled": True}} for e in endpoints.values())
    routes = {t["key"]: (t["events"], endpoints[t["endpoint"]].get("route", {}).get("path")) for t in found["trigger"]}
    assert sorted(routes.values()) == [(["avi:forge:installed:app", "avi:forge:upgraded:app"], "/forge/lifecycle"),
                                       (EVENTS, "/forge/events")]
    [poll] = found["scheduledTrigger"]
    assert poll["interval"] == "fiveMinute" and endpoints[poll["endpoint"]]["route"]["path"] == "/forge/scheduled"
    resources = {r["key"]: r["path"] for r in document["resources"]}
    for kind in ("jira:projectSettingsPage", "jira:adminPage", "jira:issueContext"):
        [module] = found[kind]
        assert endpoints[module["resolver"]["endpoint"]].get("route") is None  # invokeRemote names the path
        assert (out / resources[module["resource"]] / "index.html").is_file()


def test_forge_and_connect_are_two_renderings_of_one_module_list(generated):
    _, document = generated
    connect = descriptor.render(BASE_URL, "work-sync")["modules"]
    for view in modules.VIEWS:
        assert [m["resource"] for m in document["modules"][view.forge_module]] == [view.name]
        for kind, module in view.connect:
            assert module in connect[kind]
    assert {m["key"] for kind, found in connect.items() if kind != "webhooks" and kind != "jiraEntityProperties"
            for m in found} == {m["key"] for v in modules.VIEWS for _, m in v.connect}
    webhooks = [w["event"] for w in connect["webhooks"]]
    assert webhooks == [e.connect for e in modules.EVENTS if e.connect]
    assert document["modules"]["trigger"][1]["events"] == [e.forge for e in modules.EVENTS if e.forge] == EVENTS


def _called_operations() -> set[str]:
    """Every Jira REST operation plugin/jira calls, as `METHOD /rest/api/3/{template}` of Atlassian's OpenAPI."""
    source = "".join((REPO / "plugin" / "jira" / name).read_text() for name in ("client.py", "files.py"))
    found = {(m[1], m[2]) for m in re.finditer(r'_call\(\s*"(GET|POST|PUT|DELETE)",\s*f?"(rest/api/3/[^"]*)"', source)}
    found |= {("GET", m[1]) for m in re.finditer(r'_pages\(\s*f?"(rest/api/3/[^"]*)"', source)}
    found |= {("GET", m[1]) for m in re.finditer(r'session\.get\(f"\{client\.base_url\}/(rest/api/3/[^"]*)"', source)}
    found |= {("POST", m[1]) for m in re.finditer(r'session\.post\(f"\{client\.base_url\}/(rest/api/3/[^"]*)"',
                                                   source)}
    templates = {re.sub(r"\{[^}]*\}", "{}", t): t for t in scope_table.load()}
    return {f"{method} {templates['/' + re.sub(r'{[^}]*}', '{}', path)]}" for method, path in found}


def test_the_operations_are_the_ones_the_client_calls_with_the_openapis_scopes():
    table = scope_table.load()
    assert set(forge_app.operations()) == _called_operations()
    for operation, scopes in forge_app.operations().items():
        method, template = operation.split(" ", 1)
        # the classic scopes; where the OpenAPI gives none but granular ones, those (all of one set is needed)
        assert scopes == (table[template][method]["current"] or table[template][method]["beta"]), operation
    assert forge_app.scopes() == {"manage:jira-project": {}, "read:app-system-token": {}, "read:jira-user": {},
                                  "read:jira-work": {"allowImpersonation": True}, "read:permission:jira": {},
                                  "write:jira-work": {"allowImpersonation": True}}


def test_the_manifest_validates_against_the_pinned_schema_and_every_event_has_its_scope(generated):
    package = npm.package_dir()
    _, document = generated
    schema = json.loads((package / "out" / "schema" / "manifest-schema.json").read_text())
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
    assert problems == []
    mapping = json.loads((package / "out" / "mapping" / "product-event-to-scope-mapping.json").read_text())
    required = {e["productEvent"]: e.get("oAuthScopes") or {} for e in mapping["mapping"]}
    granted = set(document["permissions"]["scopes"])
    for event in EVENTS:
        assert event in required, f"{event} is not in @forge/manifest's event mapping"
        assert set(required[event]["current"]) <= granted, event


def test_the_schema_refuses_a_broken_manifest(generated):
    package = npm.package_dir()
    _, document = generated
    schema = json.loads((package / "out" / "schema" / "manifest-schema.json").read_text())
    document["modules"]["scheduledTrigger"][0]["interval"] = "everyMinute"
    assert list(jsonschema.Draft7Validator(schema).iter_errors(document))


def _validate(manifest_file: Path) -> dict:
    where = npm.validator_dir()
    script = where / "validate-manifest.js"
    script.write_text(VALIDATE)
    done = subprocess.run(["node", str(script), str(manifest_file)], cwd=where, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_atlassians_validate_finds_no_error_in_the_generated_app(generated):
    out, _ = generated
    assert _validate(out / "manifest.yml") == {"success": True, "errors": []}


def test_atlassians_validate_finds_a_module_key_used_twice(generated):
    out, document = generated
    document["modules"]["trigger"][0]["key"] = document["modules"]["endpoint"][0]["key"]
    (out / "manifest.yml").write_text(yaml.safe_dump(document, sort_keys=False))
    answer = _validate(out / "manifest.yml")
    assert answer["success"] is False and any("duplicate module key" in e["message"] for e in answer["errors"])


def test_each_page_is_the_connect_page_behind_the_forge_transport_with_nothing_from_a_cdn(generated):
    out, _ = generated
    for view in modules.VIEWS:
        folder = out / "static" / view.name
        html = (folder / "index.html").read_text()
        assert not re.search(r"<script(?![^>]*\ssrc=)", html) and " nonce=" not in html  # no inline script
        assert not re.search(r"\son[a-z]+=", html)  # no inline handler
        sources = re.findall(r'<(?:script|link)[^>]*\s(?:src|href)="([^"]+)"', html)
        assert all(not s.startswith(("http", "/")) and (folder / s).is_file() for s in sources), sources
        assert '<meta name="ws-base-path" content="/ws">' in html
        head, body = html.split("<body>")
        assert re.findall(r'<script src="([^"]+)"', head) == ["static/forge-bridge.js", "static/transport-forge.js"]
        later = re.findall(r'<script type="text/x-work-sync-later" src="static/([^"]+)"', body)
        assert later[0] == ("pages.js" if view.name == "issue-context" else "vendor/jquery/jquery.min.js")
        assert "pages.js" in later and not re.findall(r'<script src=', body)
        assert not (folder / "static" / "transport-connect.js").exists()
        for script in later:  # the same page scripts as the Connect pages, byte for byte
            assert (folder / "static" / script).read_bytes() == (REPO / "plugin" / "static" / script).read_bytes()
    assert "@@ws.project.key@@" in (out / "static" / "project-settings" / "index.html").read_text()
    assert 'data-issue-id="@@ws.issue.id@@"' in (out / "static" / "issue-context" / "index.html").read_text()


def test_the_page_scripts_reach_the_host_only_through_the_transport():
    for script in (REPO / "plugin" / "static").glob("*.js"):
        if script.name.startswith("transport-"):
            continue
        text = script.read_text()
        assert not re.search(r"\bAP\b", text.replace("(AP)", "")), script.name
        assert not re.search(r"(?<![.\w])fetch\(", text) and "ForgeBridge" not in text, script.name


def test_region_urls_make_the_remotes_base_url_an_object_the_schema_accepts(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_BASE_URL", "https://sync.example.org")
    monkeypatch.setenv("FORGE_REGION_URLS", "EU=https://eu.sync.example.org")
    main(["forge-app", "--out", str(tmp_path / "a")])
    assert _loaded(tmp_path / "a")["remotes"][0]["baseUrl"] == {"default": "https://sync.example.org",
                                                                "EU": "https://eu.sync.example.org"}
    main(["forge-app", "--out", str(tmp_path / "b"), "--region", "US=https://us.sync.example.org",
          "--region", "AU=https://au.sync.example.org"])
    document = _loaded(tmp_path / "b")
    assert document["remotes"][0]["baseUrl"] == {"default": "https://sync.example.org",
                                                 "US": "https://us.sync.example.org",
                                                 "AU": "https://au.sync.example.org"}
    schema = json.loads((npm.package_dir() / "out" / "schema" / "manifest-schema.json").read_text())
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(document)] == []


def test_a_bad_region_flag_is_refused_with_its_fix_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("APP_BASE_URL", "https://sync.example.org")
    with pytest.raises(SystemExit) as stopped:
        main(["forge-app", "--out", str(tmp_path / "a"), "--region", "XX=https://x.example.org"])
    assert stopped.value.code == 2
    assert "--region must be REGION=URL pairs" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
