"""Mentions in comments and in every document field go through the user mapping; a person the other site lacks
becomes plain text with their display name, never a mention of someone else who shares the name. With
`users.mentions: text` every mention becomes plain text, so nobody on the other site is notified."""
from functools import partial

import pytest

from plugin.config.metadata import Field, SideMetadata
from plugin.engine.core import comments, worklogs
from plugin.engine.core.adf import map_mentions, mentioned, to_text
from plugin.engine.core.mapping import People, PersonMatcher, field_rules

SAME_ACCOUNT = {"pairs": [], "match": ["accountId"], "fallback": {"type": "user", "1": "fallback-1",
                                                                  "2": "fallback-2"}}


def _doc(*inline):
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": list(inline)}]}


def _mention(account, text):
    return {"type": "mention", "attrs": {"id": account, "text": text, "accessLevel": ""}}


def _people():
    """Alice is on both sites, Quinn only on side 1 (as in the simulator's sample), named by their sites."""
    return People(exists={(2, "alice"): True, (2, "quinn"): False},
                  names={"alice": "Alice Admin", "quinn": "Quinn Acme"})


def _meta(kind):
    return SideMetadata(site="s", project_id="p", project_key="P",
                        fields={"description": Field("description", "Description", kind, False),
                                "customfield_7": Field("customfield_7", "Notes", "doc", True)})


def test_an_unmapped_person_becomes_their_display_name_as_text_not_the_mentions_stale_text():
    doc = _doc({"type": "text", "text": "ask "}, _mention("quinn", "@Q"))
    mapped = map_mentions(doc, lambda account: None, {"quinn": "Quinn Acme"}.get)
    assert to_text(mapped) == "ask @Quinn Acme"
    assert mentioned(mapped) == set()


def test_a_person_whose_name_is_unknown_keeps_the_mentions_own_text():
    assert to_text(map_mentions(_doc(_mention("x", "@Xavier")), lambda a: None, {}.get)) == "@Xavier"


def test_a_description_maps_mentions_and_never_falls_back_to_the_fallback_user():
    rows = [{"1": {"id": "description"}, "2": {"id": "description"}, "direction": "both"},
            {"1": {"id": "customfield_7"}, "2": {"id": "customfield_7"}, "direction": "1→2"}]
    rules = field_rules({"fields": rows}, {1: _meta("doc"), 2: _meta("doc")}, PersonMatcher(SAME_ACCOUNT, _people()))
    doc = _doc(_mention("alice", "@Alice"), {"type": "text", "text": " and "}, _mention("quinn", "@Quinn"))
    for rule in rules:
        carried = rule.translate[1](doc)
        assert mentioned(carried) == {"alice"}  # not fallback-2, who would be notified of a stranger's mention
        assert to_text(carried) == "@Alice and @Quinn Acme"
        assert carried["content"][0]["content"][0]["attrs"]["accessLevel"] == ""  # the rest of the node stays


def test_a_plain_text_field_copied_into_a_document_has_no_mentions_to_map():
    rules = field_rules({"fields": [{"1": {"id": "description"}, "2": {"id": "description"}, "direction": "1→2"}]},
                        {1: _meta("text"), 2: _meta("doc")}, PersonMatcher(SAME_ACCOUNT, _people()))
    assert to_text(rules[0].translate[1]("@Quinn wrote")) == "@Quinn wrote"


def test_a_mirrored_comment_names_the_unmapped_person_and_mentions_the_mapped_one():
    comment = {"id": "1", "author": {"displayName": "Alice Admin"},
               "body": _doc(_mention("quinn", "@Quinn"), {"type": "text", "text": " see "}, _mention("alice", "@A"))}
    matcher = PersonMatcher(SAME_ACCOUNT, _people())
    body = comments.mirror_body(comment, "acme", "{author} on {site} wrote:",
                                lambda account: matcher.match(1, account, fallback=False), matcher.people.names.get)
    assert to_text(body) == "Alice Admin on acme wrote:\n@Quinn Acme see @A"
    assert mentioned(body) == {"alice"}


def _carried(users):
    """A description (both ways, and a second document field one way) and a comment mentioning Alice (on both sites)
    and Quinn (side 1 only), as the engine writes them on side 2 with these user settings."""
    matcher = PersonMatcher(users, _people())
    rows = [{"1": {"id": "description"}, "2": {"id": "description"}, "direction": "both"},
            {"1": {"id": "customfield_7"}, "2": {"id": "customfield_7"}, "direction": "1→2"}]
    doc = _doc(_mention("alice", "@Alice"), {"type": "text", "text": " and "}, _mention("quinn", "@Quinn"))
    fields = [rule.translate[1](doc) for rule in field_rules({"fields": rows}, {1: _meta("doc"), 2: _meta("doc")},
                                                             matcher)]
    comment = {"id": "1", "author": {"displayName": "Pat"}, "body": doc}
    body = comments.mirror_body(comment, "acme", "{author} wrote:", partial(matcher.mention, 1),
                                matcher.people.names.get)
    return [*fields, body]


def test_mentions_as_text_reach_the_partner_as_names_and_notify_nobody():
    fields = _carried({**SAME_ACCOUNT, "mentions": "text"})
    *documents, comment = fields
    for carried in documents:
        assert mentioned(carried) == set()  # not even Alice, who has the same account there
        assert to_text(carried) == "@Alice Admin and @Quinn Acme"
    assert mentioned(comment) == set()
    assert to_text(comment) == "Pat wrote:\n@Alice Admin and @Quinn Acme"


@pytest.mark.parametrize("users", [SAME_ACCOUNT, {**SAME_ACCOUNT, "mentions": "map"}], ids=["absent", "map"])
def test_mentions_follow_the_user_mapping_by_default_and_when_chosen(users):
    *documents, comment = _carried(users)
    for carried in documents:
        assert mentioned(carried) == {"alice"} and to_text(carried) == "@Alice and @Quinn Acme"
    assert mentioned(comment) == {"alice"} and to_text(comment) == "Pat wrote:\n@Alice and @Quinn Acme"


def test_mentions_as_text_leave_people_fields_to_the_user_mapping():
    matcher = PersonMatcher({**SAME_ACCOUNT, "mentions": "text"}, _people())
    assert matcher.mention(1, "alice") is None
    assert matcher.match(1, "alice") == "alice"  # an assignee still finds their counterpart


@pytest.mark.parametrize(("mentions", "there", "text"), [(None, {"alice"}, "@Alice and @Quinn Acme"),
                                                         ("text", set(), "@Alice Admin and @Quinn Acme")])
def test_a_worklogs_comment_carries_its_mentions_as_a_comment_does(mentions, there, text):
    users = {**SAME_ACCOUNT, **({"mentions": mentions} if mentions else {})}
    matcher = PersonMatcher(users, _people())
    worklog = {"id": "9", "author": {"displayName": "Pat"}, "timeSpentSeconds": 60,
               "comment": _doc(_mention("alice", "@Alice"), {"type": "text", "text": " and "},
                               _mention("quinn", "@Quinn"))}
    body = worklogs.mirror_body(worklog, "acme", mentions=partial(matcher.map_mentions, 1))["comment"]
    assert mentioned(body) == there
    assert to_text(body).split("\n")[-1] == text
