"""Edits made while our PUT was on its way: found in the changelog the PUT answers, decided by the field's policy."""
import pytest

from plugin.engine.core.inflight import overwritten
from plugin.engine.core.mapping import Rule
from plugin.engine.core.model import UNMAPPED, Change, IssueRead

READ_AT, PERSON_AT, OURS_AT = "2026-01-01T00:00:00.000+0000", "2026-01-01T00:00:02.000+0000", \
    "2026-01-01T00:00:05.000+0000"
APP, PAT = "app-account", "pat-account"


def _rule(kind="text", conflict="newest", field="summary"):
    same = lambda value: value
    return Rule(key=f"{field}|{field}", ids={1: field, 2: field}, kinds={1: kind, 2: kind}, direction="both",
                conflict=conflict, translate={1: same, 2: same})


def _issue(changes=(), side=2):
    return IssueRead(side=side, id="20", key="G-1", project_id="1", type_id="1", status_id="1", updated=READ_AT,
                     fields={}, changes=tuple(changes))


def _person(field="summary", to=None, text="Theirs", when=PERSON_AT, author=PAT):
    return Change(field, when, author, to, text)


def _ours(field="summary", text="Ours"):
    return Change(field, OURS_AT, APP, None, text)


def test_a_person_changing_the_field_we_wrote_while_our_put_was_on_its_way_is_found_and_wins_by_newest():
    (found,) = overwritten([_rule()], _issue(), _issue([_person(), _ours()]), ["summary"], APP)
    assert (found.side, found.person_wins, found.value) == (2, True, "Theirs")


def test_our_own_write_alone_is_no_overwritten_edit():
    assert overwritten([_rule()], _issue(), _issue([_ours()]), ["summary"], APP) == []


def test_a_change_made_before_our_read_is_not_one_we_overwrote():
    old = _person(when="2025-12-31T23:59:59.000+0000")
    assert overwritten([_rule()], _issue(), _issue([old, _ours()]), ["summary"], APP) == []


def test_a_change_of_a_field_we_did_not_write_is_left_to_the_next_sync():
    other = _person(field="labels")
    assert overwritten([_rule(), _rule("labels", field="labels")], _issue(), _issue([other, _ours()]),
                       ["summary"], APP) == []


@pytest.mark.parametrize(("conflict", "person_wins"), [("newest", True), ("2", True), ("1", False)])
def test_the_policy_decides_whether_the_persons_change_wins(conflict, person_wins):
    (found,) = overwritten([_rule(conflict=conflict)], _issue(), _issue([_person(), _ours()]), ["summary"], APP)
    assert found.person_wins is person_wins


def test_the_newest_of_several_changes_in_the_window_counts():
    first = _person(text="First", when="2026-01-01T00:00:01.000+0000")
    (found,) = overwritten([_rule()], _issue(), _issue([_ours(), first, _person(text="Second")]), ["summary"], APP)
    assert found.value == "Second"


@pytest.mark.parametrize(("kind", "change", "value"), [
    ("user", _person(field="f", to="acc-1", text="Pat"), "acc-1"),
    ("option", _person(field="f", to="10001", text="High"), "10001"),
    ("date", _person(field="f", to="2026-02-01", text="2026-02-01"), "2026-02-01"),
    ("doc", _person(field="f", text="plain text of a document"), UNMAPPED),
    ("labels", _person(field="f", text="a b"), UNMAPPED),
])
def test_the_persons_value_is_given_back_only_where_the_changelog_holds_it_exactly(kind, change, value):
    (found,) = overwritten([_rule(kind, field="f")], _issue(), _issue([change, _ours("f")]), ["f"], APP)
    assert found.value == value
