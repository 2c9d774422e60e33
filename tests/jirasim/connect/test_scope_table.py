"""The scope table shipped in jirasim is exactly what its script generates from Atlassian's OpenAPI."""
from jirasim.connect import scope_table
from tests.support import reference


def test_the_committed_table_is_what_the_script_generates_from_the_reference_openapi(tmp_path, capsys):
    generated = tmp_path / "scope_table.json"
    scope_table.main([str(reference.path(reference.OPENAPI)), "--output", str(generated)])
    assert generated.read_text(encoding="utf-8") == scope_table.packaged_text()
    assert "417 paths, 616 operations" in capsys.readouterr().out


def test_the_table_lists_each_method_of_a_path_with_its_connect_scope():
    openapi = reference.jira_openapi()
    table = scope_table.load()
    issue = openapi["paths"]["/rest/api/3/issue/{issueIdOrKey}"]
    assert table["/rest/api/3/issue/{issueIdOrKey}"] == {
        method.upper(): issue[method]["x-atlassian-connect-scope"] for method in ("delete", "get", "put")}
    assert table["/rest/api/3/issue/{issueIdOrKey}"] == {"DELETE": "DELETE", "GET": "READ", "PUT": "WRITE"}
