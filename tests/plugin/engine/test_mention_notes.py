"""Whom Troubleshoot names after a write: the people a document mentions who have no counterpart on the other site,
and nobody when mentions are copied as text by choice."""
import pytest

from plugin.engine.core.mapping import People, PersonMatcher
from plugin.engine.mention_notes import unreached

USERS = {"pairs": [{"1": "pat-1", "2": "pat-2"}], "match": ["accountId"],
         "fallback": {"type": "user", "1": "fallback-1", "2": "fallback-2"}}
PEOPLE = People(exists={(2, "alice"): True, (2, "quinn"): False, (2, "zed"): False})


def _doc(*accounts):
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [
        {"type": "mention", "attrs": {"id": account, "text": "@" + account}} for account in accounts]}]}


def test_only_people_without_a_counterpart_are_unreached_and_the_fallback_user_is_no_counterpart():
    doc = _doc("alice", "quinn", "pat-1", "zed")
    assert unreached(PersonMatcher(USERS, PEOPLE), 1, doc) == ["quinn", "zed"]


@pytest.mark.parametrize("doc", [_doc("quinn"), None, "plain text"], ids=["a-mention", "no-document", "text"])
def test_mentions_copied_as_text_by_choice_leave_nobody_unreached(doc):
    assert unreached(PersonMatcher({**USERS, "mentions": "text"}, PEOPLE), 1, doc) == []


def test_a_document_without_mentions_leaves_nobody_unreached():
    assert unreached(PersonMatcher(USERS, PEOPLE), 1, _doc()) == []
