"""The configuration compiled into rules: how a value of one side becomes the other's, never by id across sites."""
import pytest

from plugin.config.metadata import Field, SideMetadata
from plugin.engine.core.mapping import People, PersonMatcher, field_rules, flows, status_rule, type_map
from plugin.engine.core.model import UNMAPPED

NOBODY = {"pairs": [], "match": [], "fallback": {"type": "none"}}


def _meta(site, fields, priorities=None, options=None):
    known = {fid: Field(fid, fid, kind, fid.startswith("customfield")) for fid, kind in fields.items()}
    return SideMetadata(site=site, project_id="p", project_key="P", fields=known, priorities=priorities or {},
                        options=options or {})


def _row(one, two, direction="both", transform=None, **extra):
    row = {"1": {"id": one}, "2": {"id": two}, "direction": direction, **extra}
    if transform is not None:
        row["transform"] = transform
    return row


def _rules(rows, meta, users=NOBODY, people=None):
    return field_rules({"fields": rows}, meta, PersonMatcher(users, people or People()))


@pytest.mark.parametrize("direction, source, expected", [
    ("both", 1, True), ("both", 2, True), ("1→2", 1, True), ("1→2", 2, False), ("2→1", 2, True),
    ("2→1", 1, False), ("none", 1, False),
])
def test_values_flow_only_in_the_direction_of_the_row(direction, source, expected):
    assert flows(direction, source) is expected


def test_a_row_naming_a_field_that_one_side_lacks_makes_no_rule():
    meta = {1: _meta("A", {"summary": "text"}), 2: _meta("B", {"summary": "text"})}
    rules = _rules([_row("summary", "summary"), _row("customfield_1", "summary")], meta)
    assert [rule.key for rule in rules] == ["summary|summary"]


def test_a_rule_carries_each_sides_kind_direction_and_conflict_policy():
    meta = {1: _meta("A", {"labels": "labels"}), 2: _meta("B", {"customfield_9": "labels"})}
    (rule,) = _rules([_row("labels", "customfield_9", direction="1→2", conflict="2")], meta)
    assert (rule.ids, rule.direction, rule.conflict, rule.is_set) == ({1: "labels", 2: "customfield_9"}, "1→2", "2",
                                                                      True)
    (default,) = _rules([_row("labels", "customfield_9")], meta)
    assert default.conflict == "newest"


def test_a_set_field_mapped_to_a_single_value_is_not_merged_as_a_set():
    meta = {1: _meta("A", {"labels": "labels"}), 2: _meta("B", {"summary": "text"})}
    (rule,) = _rules([_row("labels", "summary")], meta)
    assert not rule.is_set


def test_priorities_and_options_cross_by_name_never_by_id():
    meta = {1: _meta("A", {"priority": "priority", "cf": "option"}, priorities={"1": "High", "2": "Low"},
                     options={"cf": {"10": "Red"}}),
            2: _meta("B", {"priority": "priority", "cf": "option"}, priorities={"7": "high", "8": "Other"},
                     options={"cf": {"20": "red"}})}
    priority, option = _rules([_row("priority", "priority"), _row("cf", "cf")], meta)
    assert priority.translate[1]("1") == "7" and priority.translate[2]("7") == "1"
    assert option.translate[1]("10") == "20"
    assert priority.translate[1]("2") is UNMAPPED and priority.translate[2]("8") is UNMAPPED
    assert priority.translate[1](None) is None


def test_a_multi_select_crosses_by_name_and_drops_options_the_other_side_lacks():
    meta = {1: _meta("A", {"cf": "options"}, options={"cf": {"1": "Red", "2": "Blue"}}),
            2: _meta("B", {"cf": "options"}, options={"cf": {"9": "Red"}})}
    (rule,) = _rules([_row("cf", "cf")], meta)
    assert rule.translate[1](frozenset({"1", "2"})) == frozenset({"9"})


def test_a_value_map_translates_its_pairs_and_falls_back_to_its_default():
    meta = {1: _meta("A", {"priority": "priority"}), 2: _meta("B", {"priority": "priority"})}
    transform = {"type": "valueMap", "pairs": [{"1": {"id": "1"}, "2": {"id": "7"}}], "default": {"2": {"id": "8"}}}
    (rule,) = _rules([_row("priority", "priority", transform=transform)], meta)
    assert rule.translate[1]("1") == "7" and rule.translate[1]("5") == "8"
    assert rule.translate[2]("7") == "1" and rule.translate[2]("9") is UNMAPPED
    assert rule.translate[1](None) is None


def test_a_value_map_of_a_multi_select_drops_what_it_cannot_map():
    meta = {1: _meta("A", {"cf": "options"}), 2: _meta("B", {"cf": "options"})}
    transform = {"type": "valueMap", "pairs": [{"1": {"id": "1"}, "2": {"id": "7"}}]}
    (rule,) = _rules([_row("cf", "cf", transform=transform)], meta)
    assert rule.translate[1](frozenset({"1", "2"})) == frozenset({"7"})


def test_to_text_writes_a_value_as_the_other_sides_text():
    meta = {1: _meta("A", {"priority": "priority", "labels": "labels", "description": "doc", "n": "number"},
                     priorities={"1": "High"}),
            2: _meta("B", {"summary": "text"})}
    rows = [_row(fid, "summary", direction="1→2", transform={"type": "toText"})
            for fid in ("priority", "labels", "description", "n")]
    priority, labels, description, number = (rule.translate[1] for rule in _rules(rows, meta))
    assert priority("1") == "High" and priority("404") == "404"
    assert labels(frozenset({"b", "a"})) == "a, b" and labels(frozenset()) is None
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "x"}]}]}
    assert description(doc) == "x"
    assert number(3) == "3" and number(None) is None


def test_text_mapped_to_a_document_becomes_a_document_with_mentions_of_the_other_side():
    meta = {1: _meta("A", {"summary": "text", "description": "doc"}), 2: _meta("B", {"description": "doc"})}
    users = {"pairs": [{"1": "a1", "2": "b1"}], "match": [], "fallback": {"type": "none"}}
    text, document = (rule.translate[1] for rule in _rules(
        [_row("summary", "description"), _row("description", "description")], meta, users))
    assert text("hi")["content"][0]["content"] == [{"type": "text", "text": "hi"}]
    mention = {"type": "mention", "attrs": {"id": "a1", "text": "@A"}}
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [mention]}]}
    assert document(doc)["content"][0]["content"][0]["attrs"]["id"] == "b1"


def test_people_cross_through_the_user_mapping():
    meta = {1: _meta("A", {"assignee": "user"}), 2: _meta("B", {"assignee": "user"})}
    users = {"pairs": [{"1": "a1", "2": "b1"}], "match": [], "fallback": {"type": "none"}}
    (rule,) = _rules([_row("assignee", "assignee")], meta, users)
    assert rule.translate[1]("a1") == "b1" and rule.translate[2]("b1") == "a1"


def test_plain_values_are_copied_as_they_are():
    meta = {1: _meta("A", {"summary": "text"}), 2: _meta("B", {"summary": "text"})}
    (rule,) = _rules([_row("summary", "summary")], meta)
    assert rule.translate[1]("same") == "same"


def _matcher(match=("accountId", "email"), fallback=None, pairs=()):
    people = People(exists={(2, "shared"): True},
                    emails={(1, "a1"): "Ann@Example.com", (1, "a2"): None},
                    by_email={(2, "ann@example.com"): "b-ann"})
    users = {"pairs": list(pairs), "match": list(match), "fallback": fallback or {"type": "none"}}
    return PersonMatcher(users, people)


def test_an_explicit_pair_comes_before_everything_else():
    assert _matcher(pairs=[{"1": "shared", "2": "b9"}]).match(1, "shared") == "b9"


def test_the_same_account_id_is_used_when_it_exists_on_the_other_side():
    assert _matcher().match(1, "shared") == "shared"
    assert _matcher(match=("email",)).match(1, "shared") is None


def test_an_email_matches_case_insensitively():
    assert _matcher().match(1, "a1") == "b-ann"
    assert _matcher(match=("accountId",)).match(1, "a1") is None


def test_no_match_falls_back_to_the_configured_user_unless_asked_not_to():
    fallback = {"type": "user", "1": "a-bot", "2": "b-bot"}
    assert _matcher(fallback=fallback).match(1, "a2") == "b-bot"
    assert _matcher(fallback=fallback).match(1, "a2", fallback=False) is None
    assert _matcher().match(1, "a2") is None


def test_unassigned_stays_unassigned():
    assert _matcher(fallback={"type": "user", "1": "x", "2": "y"}).match(1, None) is None


def test_statuses_cross_through_their_rows_in_each_rows_direction():
    rows = [{"1": {"id": "s1"}, "2": {"id": "t1"}}, {"1": {"id": "s2"}, "2": {"id": "t2"}, "direction": "1→2"}]
    rule = status_rule({"statuses": rows})
    assert rule.key == "status" and rule.direction == "both"
    assert rule.translate[1]("s1") == "t1" and rule.translate[1]("s2") == "t2"
    assert rule.translate[2]("t1") == "s1" and rule.translate[2]("t2") is UNMAPPED


def test_the_first_row_wins_when_two_statuses_map_to_one():
    rows = [{"1": {"id": "s1"}, "2": {"id": "t1"}}, {"1": {"id": "s2"}, "2": {"id": "t1"}}]
    assert status_rule({"statuses": rows}).translate[2]("t1") == "s1"


def test_status_rows_all_one_way_make_a_one_way_rule():
    rows = [{"1": {"id": "s1"}, "2": {"id": "t1"}, "direction": "2→1"}]
    assert status_rule({"statuses": rows}).direction == "2→1"


def test_no_status_rows_no_status_rule():
    assert status_rule({"statuses": []}) is None


def test_issue_types_are_created_only_in_their_rows_direction():
    document = {"issueTypes": [{"1": {"id": "bug"}, "2": {"id": "defect"}, "direction": "both"},
                               {"1": {"id": "task"}, "2": {"id": "todo"}, "direction": "2→1"}]}
    assert type_map(document, 1) == {"bug": "defect"}
    assert type_map(document, 2) == {"defect": "bug", "todo": "task"}
