"""Field values by kind: Jira's JSON in, a comparable value of that side, Jira's JSON out, the base snapshot."""
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugin.engine.core.values import SET_KINDS, from_json, read, to_json, utc_format, utc_timestamp, write

# Jira's moments: years of four digits (strftime does not pad 999 to 0999).
moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1))
ids = st.text(alphabet="0123456789", min_size=1, max_size=5)
names = st.text(min_size=1, max_size=12)

# A comparable value of each kind, as `read` gives it.
VALUES = {
    "text": st.one_of(st.none(), st.text(min_size=1)),
    "date": st.one_of(st.none(), st.dates().map(str)),
    "number": st.one_of(st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False)),
    "datetime": st.one_of(st.none(), moments.map(lambda moment: utc_format(moment.replace(tzinfo=UTC)))),
    "labels": st.frozensets(st.text(alphabet="abcdefgh-_", min_size=1, max_size=8)),
    "option": st.one_of(st.none(), ids),
    "priority": st.one_of(st.none(), ids),
    "options": st.frozensets(ids),
    "user": st.one_of(st.none(), st.text(alphabet="0123456789abcdef:", min_size=1, max_size=24)),
    "components": st.frozensets(names),
    "versions": st.frozensets(names),
}
kind_and_value = st.sampled_from(sorted(VALUES)).flatmap(lambda kind: st.tuples(st.just(kind), VALUES[kind]))


@given(kind_and_value)
def test_every_value_survives_the_base_snapshot(pair):
    kind, value = pair
    assert from_json(kind, to_json(value)) == value


@given(kind_and_value)
def test_a_value_written_to_jira_reads_back_as_itself(pair):
    kind, value = pair
    assert read(kind, write(kind, value)) == value


@given(st.frozensets(st.text(min_size=1)))
def test_the_base_snapshot_stores_sets_as_sorted_lists(value):
    assert to_json(value) == sorted(value)


@pytest.mark.parametrize("kind", sorted(SET_KINDS))
def test_an_empty_or_missing_set_is_the_empty_set_and_is_written_as_an_empty_list(kind):
    assert read(kind, None) == frozenset() == from_json(kind, None)
    assert write(kind, None) == []


@pytest.mark.parametrize("kind", ["text", "date", "doc", "option", "priority", "user", "datetime"])
def test_an_empty_scalar_reads_as_none(kind):
    assert read(kind, None) is None


def test_an_empty_document_reads_as_none_and_one_with_content_as_itself():
    assert read("doc", {"type": "doc", "version": 1, "content": []}) is None
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": []}]}
    assert read("doc", doc) == doc


def test_options_and_people_read_as_their_ids_components_and_versions_by_name():
    assert read("option", {"id": 10, "value": "Red"}) == "10"
    assert read("options", [{"id": "1"}, {"id": 2}]) == frozenset({"1", "2"})
    assert read("user", {"accountId": "abc", "displayName": "Ann"}) == "abc"
    assert read("components", [{"id": "9", "name": "API"}]) == frozenset({"API"})


def test_writes_are_in_jiras_shapes_and_sets_in_a_stable_order():
    assert write("priority", "3") == {"id": "3"}
    assert write("user", "abc") == {"accountId": "abc"}
    assert write("options", frozenset({"2", "1"})) == [{"id": "1"}, {"id": "2"}]
    assert write("versions", frozenset({"b", "a"})) == [{"name": "a"}, {"name": "b"}]
    assert write("labels", frozenset({"z", "a"})) == ["a", "z"]


@pytest.mark.parametrize("operation", [read, write])
def test_an_unknown_kind_is_refused(operation):
    with pytest.raises(ValueError, match="unknown kind"):
        operation("hologram", "x")


@pytest.mark.parametrize("raw", ["2026-03-01T10:00:00.000+0100", "2026-03-01T10:00:00.000+01:00",
                                 "2026-03-01T09:00:00.000Z", "2026-03-01T04:00:00.000-0500"])
def test_jira_datetimes_in_any_offset_compare_as_the_same_utc_moment(raw):
    assert utc_timestamp(raw) == "2026-03-01T09:00:00.000+0000"


def test_no_datetime_is_no_timestamp():
    assert utc_timestamp(None) is None and utc_timestamp("") is None


def test_a_naive_datetime_is_taken_as_utc():
    assert utc_format(datetime(2026, 1, 2, 3, 4, 5, 678000)) == "2026-01-02T03:04:05.678+0000"


@given(moments, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_utc_strings_order_as_the_moments_they_name(moment, minutes):
    zone = timezone(timedelta(minutes=minutes))
    aware = moment.replace(tzinfo=zone)
    later = aware + timedelta(milliseconds=1)
    assert utc_format(aware) < utc_format(later)
    assert utc_timestamp(utc_format(aware)) == utc_format(aware)
