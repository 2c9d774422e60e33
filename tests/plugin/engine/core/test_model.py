"""What the engine decides: the other side, a write that is empty or not, the plan as the preview shows it."""
import json

import pytest

from plugin.engine.core.model import SIDES, Conflict, Plan, Problem, Write, other


@pytest.mark.parametrize("side", SIDES)
def test_the_other_side_of_the_other_side_is_the_side(side):
    assert other(side) in SIDES and other(side) != side and other(other(side)) == side


@pytest.mark.parametrize("write, wanted", [
    (Write(), False), (Write(fields={"summary": "x"}), True), (Write(status="3"), True),
    (Write(fields={"labels": []}), True),  # clearing a field is a write
])
def test_a_write_counts_when_it_changes_a_field_or_the_status(write, wanted):
    assert bool(write) is wanted


def test_a_fresh_plan_writes_nothing_and_a_create_or_a_write_is_something():
    assert Plan().empty
    assert not Plan(create={"side": 2, "fields": {}, "status": None}).empty
    plan = Plan()
    plan.writes[1].status = "3"
    assert not plan.empty


def test_plans_do_not_share_their_writes():
    first, second = Plan(), Plan()
    first.writes[1].fields["summary"] = "x"
    first.base["1"]["k"] = "v"
    assert second.empty and second.base == {"1": {}, "2": {}}


def test_the_preview_shows_only_the_sides_that_change_and_is_json():
    plan = Plan()
    plan.writes[2] = Write(fields={"summary": "new"}, status="5")
    plan.conflicts.append(Conflict("summary|summary", 1, "lost", "won"))
    plan.problems.append(Problem("priority|priority", 2, "no counterpart", category="mapping"))
    shown = plan.as_json()
    assert shown["writes"] == {"2": {"fields": {"summary": "new"}, "status": "5"}}
    assert shown["conflicts"] == [{"field": "summary|summary", "winner": 1, "lost": "lost", "won": "won"}]
    assert shown["problems"] == [{"field": "priority|priority", "side": 2, "message": "no counterpart",
                                  "category": "mapping"}]
    assert shown["create"] is None and shown["base"] == {"1": {}, "2": {}}
    assert json.loads(json.dumps(shown)) == shown


def test_a_problem_is_permanent_unless_said_otherwise():
    assert Problem(None, None, "m").permanent and not Problem(None, None, "m", permanent=False).permanent
