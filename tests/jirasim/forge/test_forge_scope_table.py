"""The OAuth 2.0 scope table shipped in jirasim is exactly what its script generates from Atlassian's OpenAPI."""
from jirasim.forge import scope_table, scopes
from tests.support import reference


def test_the_committed_table_is_what_the_script_generates_from_the_reference_openapi(tmp_path, capsys):
    generated = tmp_path / "scope_table.json"
    scope_table.main([str(reference.path(reference.OPENAPI)), "--output", str(generated)])
    assert generated.read_text(encoding="utf-8") == scope_table.packaged_text()
    assert "417 paths, 616 operations" in capsys.readouterr().out


def test_the_table_keeps_each_operations_classic_and_granular_scopes():
    issue = reference.jira_openapi()["paths"]["/rest/api/3/issue/{issueIdOrKey}"]["put"]
    by_state = {e["state"]: e["scopes"] for e in issue["x-atlassian-oauth2-scopes"]}
    assert scope_table.load()["/rest/api/3/issue/{issueIdOrKey}"]["PUT"] == {
        "current": by_state["Current"], "beta": by_state["Beta"]}


def test_either_the_classic_or_the_granular_set_grants_an_operation():
    assert scopes.check(["write:jira-work"], "PUT", "/rest/api/3/issue/ACME-1") is None
    assert scopes.check(["write:issue:jira"], "PUT", "/rest/api/2/issue/ACME-1") is None
    assert scopes.check(["read:jira-work"], "PUT", "/rest/api/3/issue/ACME-1") is not None
