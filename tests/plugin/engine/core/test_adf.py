"""Atlassian Document Format: plain text in and out, and mentions of people the other side lacks."""
from hypothesis import given
from hypothesis import strategies as st

from plugin.engine.core.adf import from_text, map_mentions, mentioned, to_text


def _mention(account, text="@Ann"):
    return {"type": "mention", "attrs": {"id": account, "text": text}}


def _doc(*inline):
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": list(inline)}]}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1))
def test_plain_text_survives_a_trip_through_a_document(text):
    assert to_text(from_text(text)) == text


def test_each_line_is_a_paragraph_and_an_empty_line_an_empty_one():
    doc = from_text("one\n\ntwo")
    assert [block["type"] for block in doc["content"]] == ["paragraph"] * 3
    assert doc["content"][1]["content"] == []


def test_no_text_is_no_document_and_no_document_no_text():
    assert from_text(None) is None and from_text("") is None
    assert to_text(None) is None and to_text({"type": "doc", "version": 1, "content": []}) is None


def test_a_mention_reads_as_its_text_and_a_hard_break_as_a_new_line():
    doc = _doc({"type": "text", "text": "Hi "}, _mention("a1", "@Ann"), {"type": "hardBreak"},
               {"type": "text", "text": "bye"})
    assert to_text(doc) == "Hi @Ann\nbye"


def test_list_items_read_one_a_line():
    doc = {"type": "doc", "version": 1, "content": [{"type": "bulletList", "content": [
        {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "a"}]}]},
        {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "b"}]}]}]}]}
    assert to_text(doc) == "a\nb"


def test_a_mention_with_a_counterpart_points_at_it_and_the_original_is_untouched():
    doc = _doc(_mention("a1"))
    mapped = map_mentions(doc, {"a1": "b1"}.get)
    assert mentioned(mapped) == {"b1"}
    assert mentioned(doc) == {"a1"}


def test_a_mention_without_counterpart_becomes_its_text():
    mapped = map_mentions(_doc(_mention("a1", "@Ann")), lambda account: None)
    assert mapped["content"][0]["content"] == [{"type": "text", "text": "@Ann"}]
    assert mentioned(mapped) == set()


def test_a_nameless_mention_without_counterpart_becomes_someone():
    mapped = map_mentions(_doc({"type": "mention", "attrs": {"id": "a1"}}), lambda account: None)
    assert to_text(mapped) == "@someone"


def test_mentions_nested_in_lists_are_mapped_too():
    doc = {"type": "doc", "version": 1, "content": [{"type": "bulletList", "content": [
        {"type": "listItem", "content": [_doc(_mention("a1"))["content"][0]]}]}]}
    assert mentioned(map_mentions(doc, {"a1": "b1"}.get)) == {"b1"}


def test_no_document_maps_to_no_document():
    assert map_mentions(None, lambda account: "x") is None
    assert mentioned(None) == set()
