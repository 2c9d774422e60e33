"""Comments of a linked pair: which to mirror, write again, edit, delete or forget on the other side."""
import pytest

from plugin.engine.core.comments import MIRROR_PROPERTY, Known, adopt, digest, mirror_body, plan, token_of

BOTH = {"direction": "both", "visibility": "all"}


def _comment(cid, text="hello", token=None, visibility=None, author="Ann"):
    comment = {"id": cid, "author": {"displayName": author},
               "body": {"type": "doc", "version": 1, "content": [
                   {"type": "paragraph", "content": [{"type": "text", "text": text}]}]}}
    if visibility:
        comment["visibility"] = visibility
    if token:
        comment["properties"] = [{"key": MIRROR_PROPERTY, "value": {"token": token}}]
    return comment


def _known(origin_side, origin_id, mirror_id, comment=None, state="active", token=None):
    return Known(origin_side, origin_id, mirror_id, digest(comment) if comment else None, state, token)


def test_a_new_comment_is_mirrored_to_the_other_side():
    result = plan({1: [_comment("c1")], 2: []}, [], BOTH, "unlink")
    assert [(side, c["id"]) for side, c in result.create] == [(2, "c1")]
    assert not (result.retry or result.edit or result.delete or result.forget)


def test_a_mirror_is_never_mirrored_back():
    origin = _comment("c1")
    known = [_known(1, "c1", "m1", origin)]
    result = plan({1: [origin], 2: [_comment("m1", "Ann on A wrote: hello")]}, known, BOTH, "unlink")
    assert result.create == [] and result.edit == []


def test_a_comment_carrying_our_mirror_property_is_never_carried_back():
    # Its link was lost, but the property says it is one of ours.
    result = plan({1: [], 2: [_comment("m1", token="t-1")]}, [], BOTH, "unlink")
    assert result.create == [] and result.retry == []


def test_an_edited_origin_edits_its_mirror():
    before, after = _comment("c1", "hello"), _comment("c1", "hello, edited")
    result = plan({1: [after], 2: [_comment("m1")]}, [_known(1, "c1", "m1", before)], BOTH, "unlink")
    assert [(side, mirror, c["id"]) for side, mirror, c in result.edit] == [(2, "m1", "c1")]


def test_an_unchanged_origin_changes_nothing():
    origin = _comment("c1")
    result = plan({1: [origin], 2: [_comment("m1")]}, [_known(1, "c1", "m1", origin)], BOTH, "unlink")
    assert (result.create, result.retry, result.edit, result.delete, result.forget) == ([], [], [], [], [])


def test_a_visibility_change_counts_as_an_edit():
    before, after = _comment("c1"), _comment("c1", visibility={"type": "role", "value": "Developers"})
    assert digest(before) != digest(after)
    result = plan({1: [after], 2: []}, [_known(1, "c1", "m1", before)], BOTH, "unlink")
    assert [mirror for _, mirror, _ in result.edit] == ["m1"]


def test_a_pending_mirror_is_retried_under_its_token():
    origin = _comment("c1")
    pending = _known(1, "c1", None, origin, token="t-1")
    assert pending.pending
    result = plan({1: [origin], 2: []}, [pending], BOTH, "unlink")
    assert [(side, c["id"]) for side, c in result.retry] == [(2, "c1")]
    assert result.create == [] and result.edit == []


@pytest.mark.parametrize("known, pending", [
    (Known(1, "c1", None, None, "active", "t"), True),
    (Known(1, "c1", "m1", None, "active", "t"), False),
    (Known(1, "c1", None, None, "deleted", "t"), False),
])
def test_only_an_active_link_without_mirror_id_is_pending(known, pending):
    assert known.pending is pending


def test_a_deleted_origin_deletes_its_mirror_when_deletes_unlink():
    result = plan({1: [], 2: [_comment("m1")]}, [_known(1, "c1", "m1", _comment("c1"))], BOTH, "unlink")
    assert result.delete == [(2, "m1", "c1")] and result.forget == []


def test_a_deleted_origin_keeps_its_mirror_otherwise_and_the_link_is_forgotten():
    result = plan({1: [], 2: [_comment("m1")]}, [_known(1, "c1", "m1", _comment("c1"))], BOTH, "keep")
    assert result.delete == [] and result.forget == [(1, "c1")]


def test_a_deleted_origin_whose_mirror_was_never_written_is_forgotten():
    result = plan({1: [], 2: []}, [_known(1, "c1", None, token="t-1")], BOTH, "unlink")
    assert result.delete == [] and result.forget == [(1, "c1")]


def test_an_inactive_link_is_neither_edited_nor_deleted():
    known = [_known(1, "c1", "m1", _comment("c1", "old"), state="deleted"), _known(1, "c2", "m2", state="deleted")]
    result = plan({1: [_comment("c1", "new")], 2: []}, known, BOTH, "unlink")
    assert (result.create, result.edit, result.delete, result.forget) == ([], [], [], [])


def test_comments_flow_only_in_the_configured_direction():
    comments = {1: [_comment("c1")], 2: [_comment("c2")]}
    result = plan(comments, [], {"direction": "2→1"}, "unlink")
    assert [(side, c["id"]) for side, c in result.create] == [(1, "c2")]


def test_no_direction_mirrors_nothing():
    assert plan({1: [_comment("c1")], 2: []}, [], {"direction": "none"}, "unlink").create == []
    assert plan({1: [_comment("c1")], 2: []}, [], {}, "unlink").create == []


def test_public_only_keeps_restricted_comments_home_until_they_become_public():
    config = {"direction": "both", "visibility": "public"}
    restricted = _comment("c1", visibility={"type": "group", "value": "staff"})
    assert plan({1: [restricted], 2: []}, [], config, "unlink").create == []
    assert [c["id"] for _, c in plan({1: [_comment("c1")], 2: []}, [], config, "unlink").create] == ["c1"]


def test_the_token_of_a_mirror_and_none_for_a_persons_comment():
    assert token_of(_comment("m1", token="t-1")) == "t-1"
    assert token_of(_comment("c1")) is None
    assert token_of({"id": "c", "properties": [{"key": "someone.else", "value": {"token": "x"}}]}) is None
    assert token_of({"id": "c", "properties": [{"key": MIRROR_PROPERTY, "value": "not an object"}]}) is None


def test_a_mirror_whose_answer_was_lost_is_adopted_by_its_token():
    pending = _known(1, "c1", None, token="t-1")
    comments = {1: [_comment("c1")], 2: [_comment("m7", token="t-1"), _comment("x", token="t-other")]}
    assert adopt([pending], comments) == {"t-1": "m7"}


def test_a_mirror_is_adopted_only_from_the_side_it_was_written_to():
    pending = _known(1, "c1", None, token="t-1")
    assert adopt([pending], {1: [_comment("m7", token="t-1")], 2: []}) == {}


def test_only_pending_links_are_adopted():
    written = _known(1, "c1", "m1", token="t-1")
    assert adopt([written], {2: [_comment("m7", token="t-1")]}) == {}


def test_a_pending_mirror_not_found_is_not_adopted_and_is_retried():
    origin = _comment("c1")
    pending = _known(1, "c1", None, origin, token="t-1")
    comments = {1: [origin], 2: [_comment("c9")]}
    assert adopt([pending], comments) == {}
    assert [c["id"] for _, c in plan(comments, [pending], BOTH, "unlink").retry] == ["c1"]


def test_the_mirror_body_attributes_the_origin_then_carries_its_content():
    body = mirror_body(_comment("c1", "hello", author="Ann"), "Site A", "{author} on {site} wrote:", lambda a: None)
    first, second = body["content"]
    assert first["content"][0] == {"type": "text", "text": "Ann on Site A wrote:", "marks": [{"type": "em"}]}
    assert second["content"][0]["text"] == "hello"


def test_the_mirror_body_falls_back_to_the_default_line_and_someone():
    comment = {"id": "c1", "body": None}
    body = mirror_body(comment, "Site A", "", lambda a: None)
    assert body["content"] == [{"type": "paragraph", "content": [
        {"type": "text", "text": "Someone on Site A wrote:", "marks": [{"type": "em"}]}]}]


def test_the_mirror_body_maps_mentions_to_the_other_side():
    comment = _comment("c1")
    comment["body"]["content"][0]["content"].append({"type": "mention", "attrs": {"id": "a1", "text": "@Bo"}})
    body = mirror_body(comment, "A", "{author}", {"a1": "b1"}.get)
    assert body["content"][1]["content"][1]["attrs"]["id"] == "b1"
