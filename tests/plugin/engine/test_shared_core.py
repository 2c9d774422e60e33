"""What two newly paired issues already share, decided without Jira: comments of the same text (white space and our
own attribution line aside), attachments of the same name and size, one to one."""
from plugin.engine.core.adf import from_text
from plugin.engine.core.comments import MIRROR_PROPERTY, mirror_body
from plugin.engine.core.shared import attachments, comment_text, comments


def _comment(cid, text, **extra):
    return {"id": cid, "body": from_text(text), **extra}


def test_comments_of_the_same_text_are_shared_whatever_their_white_space():
    listed = {1: [_comment("11", "Shared  note\n"), _comment("12", "Only here")],
              2: [_comment("21", "Other"), _comment("22", " Shared note")]}
    assert comments(listed) == [("11", "22")]


def test_text_differing_in_case_or_words_is_not_shared_and_empty_comments_never_are():
    listed = {1: [_comment("11", "Shared note"), {"id": "12", "body": None}],
              2: [_comment("21", "shared note"), {"id": "22", "body": None}]}
    assert comments(listed) == []


def test_repeated_comments_pair_one_to_one_oldest_first():
    listed = {1: [_comment("11", "+1"), _comment("12", "+1"), _comment("13", "+1")],
              2: [_comment("21", "+1"), _comment("22", "+1")]}
    assert comments(listed) == [("11", "21"), ("12", "22")]


def test_one_of_our_mirrors_is_compared_without_its_attribution_line():
    origin = {"id": "1", "author": {"displayName": "Ann"}, "body": from_text("Same words")}
    body = mirror_body(origin, "acme.example", "{author} on {site} wrote:", lambda account: None)
    mirror = {"id": "21", "body": body, "properties": [{"key": MIRROR_PROPERTY, "value": {"token": "t"}}]}
    assert comment_text(mirror) == "Same words"
    assert comments({1: [_comment("11", "Same words")], 2: [mirror]}) == [("11", "21")]
    unmarked = {**mirror, "properties": []}  # a person's comment that only looks like a mirror keeps its first line
    assert comments({1: [_comment("11", "Same words")], 2: [unmarked]}) == []


def test_ids_already_linked_are_left_out():
    listed = {1: [_comment("11", "Note"), _comment("12", "Note")], 2: [_comment("21", "Note")]}
    assert comments(listed, {1: {"11"}, 2: set()}) == [("12", "21")]


def test_attachments_of_the_same_name_and_size_are_shared():
    listed = {1: [{"id": "11", "filename": "spec.txt", "size": 10}, {"id": "12", "filename": "log.txt", "size": 3}],
              2: [{"id": "21", "filename": "spec.txt", "size": 11}, {"id": "22", "filename": "spec.txt", "size": 10}]}
    assert attachments(listed) == [("11", "22")]
