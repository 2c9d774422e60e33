"""Pairing existing issues, decided without Jira: by summary (refused when ambiguous, naming the candidates), by a
key field, by uploaded pairs; the CSV read and checked line by line."""
from plugin.config.pairing import pair_problems
from plugin.engine.core.pairing import Candidate, match, parse_csv


def _one(n, summary="", named=None):
    return Candidate(1, f"1{n}", f"ACME-{n}", summary, named)


def _two(n, summary="", named=None):
    return Candidate(2, f"2{n}", f"GLOBEX-{n}", summary, named)


def test_summaries_pair_when_unique_and_are_refused_with_their_candidates_when_not():
    result = match({"by": "summary"}, {1: [_one(1, "Fix  login"), _one(2, "Twin"), _one(3, "Twin"), _one(4, "Alone")],
                                       2: [_two(1, "Fix login"), _two(2, "Twin"), _two(3, "Other")]})
    assert [(a.key, b.key, how) for a, b, how in result.pairs] == [("ACME-1", "GLOBEX-1", "summary")]
    refused = {row["key"]: row["candidates"] for row in result.refused}
    assert refused == {"ACME-2": ["ACME-2", "ACME-3"], "ACME-3": ["ACME-2", "ACME-3"],
                       "GLOBEX-2": ["ACME-2", "ACME-3"]}
    assert [c.key for c in result.unpaired[1]] == ["ACME-4"] and [c.key for c in result.unpaired[2]] == ["GLOBEX-3"]


def test_a_key_field_pairs_from_either_side_and_refuses_an_issue_named_twice():
    result = match({"by": "key-field"}, {1: [_one(1, named="GLOBEX-1"), _one(2, named="GLOBEX-2"),
                                             _one(3, named="GLOBEX-2"), _one(4, named="GLOBEX-404")],
                                         2: [_two(1, named="ACME-1"), _two(2), _two(5, named="ACME-5"), _two(6)]})
    assert [(a.key, b.key) for a, b, _ in result.pairs] == [("ACME-1", "GLOBEX-1")]
    refused = {row["key"]: row for row in result.refused}
    assert refused["GLOBEX-2"]["candidates"] == ["ACME-2", "ACME-3"]
    assert {"ACME-2", "ACME-3", "ACME-4", "GLOBEX-5"} <= set(refused)  # ambiguous, or naming no existing issue
    assert [c.key for c in result.unpaired[2]] == ["GLOBEX-6"]


def test_uploaded_pairs_pair_what_exists():
    result = match({"by": "csv", "pairs": [["ACME-1", "GLOBEX-2"], ["ACME-9", "GLOBEX-1"]]},
                   {1: [_one(1), _one(2)], 2: [_two(1), _two(2)]})
    assert [(a.key, b.key, how) for a, b, how in result.pairs] == [("ACME-1", "GLOBEX-2", "csv")]
    assert [c.key for c in result.unpaired[1]] == ["ACME-2"]


def test_a_csv_is_read_with_a_header_and_its_bad_lines_are_named():
    pairs, problems = parse_csv("side 1,side 2\nacme-1, GLOBEX-2\n\nACME-3\nACME-4,GLOBEX-4,GLOBEX-5\n")
    assert pairs == [["ACME-1", "GLOBEX-2"]]
    assert [problem["line"] for problem in problems] == [4, 5]


def test_pairs_of_other_projects_unknown_keys_and_keys_paired_twice_are_problems_by_line():
    pairs = [["ACME-1", "GLOBEX-1"], ["ACME-1", "GLOBEX-2"], ["OTHER-1", "GLOBEX-3"], ["ACME-2", "GLOBEX-9"]]
    problems = pair_problems(pairs, {1: "ACME", 2: "GLOBEX"},
                             {1: {"ACME-1", "ACME-2"}, 2: {"GLOBEX-1", "GLOBEX-2", "GLOBEX-3"}})
    assert [(p["line"], p["key"]) for p in problems] == [(2, "ACME-1"), (3, "OTHER-1"), (4, "GLOBEX-9")]
    assert "paired twice (lines 1 and 2)" in problems[0]["message"]
