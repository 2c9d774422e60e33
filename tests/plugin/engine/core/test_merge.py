"""The three-way merge, field by field, against each side's base: pure, so every case is one call."""
from plugin.engine.core.mapping import Rule, status_rule
from plugin.engine.core.merge import merge
from plugin.engine.core.model import UNMAPPED, IssueRead


def _rule(kind="text", direction="both", conflict="newest", translate=None, key="f|f"):
    same = translate or (lambda value: value)
    return Rule(key=key, ids={1: "f", 2: "f"}, kinds={1: kind, 2: kind}, direction=direction, conflict=conflict,
                translate={1: same, 2: same})


def _issue(side, value, changed="2026-01-01T00:00:00.000+0000"):
    return IssueRead(side=side, id=str(side), key=f"K-{side}", project_id="1", type_id="1", status_id="1",
                     updated=changed, fields={"f": value}, changed_at={"f": changed})


def _base(one, two, key="f|f"):
    return {"1": {key: one}, "2": {key: two}}


def test_a_change_on_one_side_is_written_to_the_other_and_becomes_the_base():
    plan = merge([_rule()], {1: _issue(1, "new"), 2: _issue(2, "old")}, _base("old", "old"))
    assert (plan.writes[2].fields, plan.writes[1].fields) == ({"f": "new"}, {})
    assert plan.base == _base("new", "new")


def test_our_own_write_coming_back_changes_nothing():
    plan = merge([_rule()], {1: _issue(1, "new"), 2: _issue(2, "new")}, _base("new", "new"))
    assert plan.empty and plan.conflicts == []


def test_both_changed_the_newest_change_wins_and_the_loser_is_recorded():
    issues = {1: _issue(1, "mine", "2026-01-02T00:00:00.000+0000"), 2: _issue(2, "theirs",
                                                                            "2026-01-03T00:00:00.000+0000")}
    plan = merge([_rule()], issues, _base("old", "old"))
    assert plan.writes[1].fields == {"f": "theirs"} and not plan.writes[2]
    assert [(c.winner, c.lost, c.won) for c in plan.conflicts] == [(2, "mine", "theirs")]


def test_a_master_side_wins_whatever_the_times():
    issues = {1: _issue(1, "mine", "2026-01-02T00:00:00.000+0000"), 2: _issue(2, "theirs",
                                                                            "2026-01-03T00:00:00.000+0000")}
    plan = merge([_rule(conflict="1")], issues, _base("old", "old"))
    assert plan.writes[2].fields == {"f": "mine"} and plan.conflicts[0].winner == 1


def test_a_one_way_field_ends_equal_to_its_source_and_never_flows_back():
    back = merge([_rule(direction="1→2")], {1: _issue(1, "src"), 2: _issue(2, "local")}, _base("src", "src"))
    assert back.writes[2].fields == {"f": "src"} and not back.writes[1]


def test_sets_merge_additions_and_removals_so_a_stale_list_never_overwrites_a_fresh_one():
    base = _base(["a", "b"], ["a", "b"])
    issues = {1: _issue(1, ["a", "b", "c"]), 2: _issue(2, ["b"])}
    plan = merge([_rule(kind="labels")], issues, base)
    assert plan.writes[1].fields == {"f": ["b", "c"]} and plan.writes[2].fields == {"f": ["b", "c"]}


def test_a_value_without_counterpart_is_a_problem_not_a_write():
    rule = _rule(translate=lambda value: UNMAPPED if value == "odd" else value)
    plan = merge([rule], {1: _issue(1, "odd"), 2: _issue(2, "old")}, _base("old", "old"))
    assert not plan.writes[2] and "no counterpart" in plan.problems[0].message


def test_a_status_without_counterpart_is_named_as_people_know_it():
    rows = [{"1": {"id": "10", "name": "To Do"}, "2": {"id": "20001", "name": "Open"}, "direction": "both"}]
    document = {"statuses": rows + [{"1": {"id": "11", "name": "Done"}, "2": {"id": "20003", "name": "Closed"},
                                     "direction": "1→2"}]}
    document["statuses"].append({"1": {"id": "11", "name": "Done"}, "2": {"id": "20002", "name": "In Review"},
                                 "direction": "2→1"})
    rule = status_rule(document, {1: "ACME", 2: "GLOBEX"})
    rule.translate[2] = lambda value: UNMAPPED  # as if In Review had lost its row
    issues = {side: IssueRead(side=side, id=str(side), key=f"K-{side}", project_id="1", type_id="1",
                              status_id=status, updated="2026-01-01T00:00:00.000+0000", fields={}, changed_at={})
              for side, status in ((1, "10"), (2, "20002"))}
    plan = merge([rule], issues, {"1": {"status": "10"}, "2": {"status": "20001"}})
    assert plan.problems[0].message == ("The status 'In Review' of GLOBEX has no counterpart on ACME: add it to the "
                                        "mapping")
