"""`POST /jql/parse` answers each query with its structure, or with Jira's errors and warnings for it.

The reference's JqlQueryClause sets `additionalProperties: false` beside its `anyOf`, which rejects every clause
(its own example too), so answers that carry a `where` structure are compared with that example's shape by hand;
the other answers are validated against the reference.
"""
from __future__ import annotations

import pytest

from tests.jirasim.conformance import check

VALID = "project = ACME AND labels in (infra, \"needs review\") AND assignee = currentUser() ORDER BY key DESC"
INVALID = ["project = NOPE", "status = ", "universe = 42", "summary = text"]


def _parse(alice, validation: str, queries: list[str]):
    return alice.post(f"{alice.base}/rest/api/3/jql/parse?validation={validation}", json={"queries": queries})


def test_a_valid_query_gets_its_structure(openapi, alice):
    response = _parse(alice, "strict", [VALID])
    assert response.status_code == 200
    (parsed,) = response.json()["queries"]
    assert "errors" not in parsed and parsed["query"] == VALID
    where = parsed["structure"]["where"]
    assert where["operator"] == "and" and len(where["clauses"]) == 3
    project, labels, assignee = where["clauses"]
    assert project == {"field": {"name": "project", "encodedName": "project"}, "operator": "=",
                       "operand": {"value": "ACME", "encodedValue": "ACME"}}
    assert labels["operator"] == "in"
    assert [v["encodedValue"] for v in labels["operand"]["values"]] == ["infra", '"needs review"']
    assert assignee["operand"] == {"function": "currentUser", "arguments": [], "encodedOperand": "currentUser()"}
    assert parsed["structure"]["orderBy"] == {"fields": [{"field": {"name": "key", "encodedName": "key"},
                                                          "direction": "desc"}]}
    only_order = check(openapi, _parse(alice, "strict", ["ORDER BY updated"])).json()["queries"][0]
    assert only_order["structure"] == {"orderBy": {"fields": [{"field": {"name": "updated", "encodedName": "updated"},
                                                               "direction": "asc"}]}}


def test_strict_validation_reports_each_querys_errors_without_structure(openapi, alice):
    response = check(openapi, _parse(alice, "strict", INVALID))
    missing, broken, unknown, operator = response.json()["queries"]
    assert missing == {"query": "project = NOPE",
                       "errors": ["The value 'NOPE' does not exist for the field 'project'."]}
    assert broken["errors"][0].startswith("Error in the JQL Query: Expecting either a value")
    assert unknown["errors"] == ["Field 'universe' does not exist or you do not have permission to view it."]
    assert operator["errors"] == ["The operator '=' is not supported by the 'summary' field."]
    assert all("structure" not in q for q in (missing, broken, unknown, operator))


@pytest.mark.parametrize("validation", ["warn", "none"])
def test_lenient_validation_gives_the_structure_of_every_well_formed_query(alice, validation):
    response = _parse(alice, validation, INVALID)
    assert response.status_code == 200
    missing, broken, unknown, operator = response.json()["queries"]
    assert missing["structure"]["where"]["operand"]["value"] == "NOPE"
    assert missing.get("warnings") == (["The value 'NOPE' does not exist for the field 'project'."]
                                       if validation == "warn" else None)
    assert "errors" not in missing
    assert "structure" in operator and ("errors" in operator) == (validation == "warn")
    assert "structure" not in broken and "structure" not in unknown


def test_a_request_without_queries_is_refused(openapi, alice):
    response = check(openapi, alice.post(f"{alice.base}/rest/api/3/jql/parse?validation=strict", json={}),
                     request_body=False)
    assert response.status_code == 400
