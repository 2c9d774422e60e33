"""The worklog planner: create once per direction, edits by digest, deletes per policy, a mirror never carried back
(neither one we know of, nor one that carries our property), a pending mirror adopted by its token."""
from plugin.engine.core import worklogs as wl
from plugin.engine.core.worklogs import Known

BOTH = {"direction": "both"}


def _log(wid, seconds=3600, text="Did it", token=None, author="Alice"):
    found = {"id": wid, "timeSpentSeconds": seconds, "timeSpent": "1h", "started": "2026-11-30T09:00:00.000+0000",
             "author": {"accountId": "a1", "displayName": author},
             "comment": {"type": "doc", "version": 1, "content": [
                 {"type": "paragraph", "content": [{"type": "text", "text": text}]}]}}
    if token:
        found["properties"] = [{"key": wl.MIRROR_PROPERTY, "value": {"token": token}}]
    return found


def test_a_new_worklog_is_created_on_the_other_side_and_its_mirror_is_not_carried_back():
    origin = _log("1")
    result = wl.plan({1: [origin], 2: []}, [], BOTH, "ignore")
    assert result.create == [(2, origin)] and not (result.edit or result.delete or result.forget)
    known = [Known(1, "1", "9", wl.digest(origin), "active", "t")]
    again = wl.plan({1: [origin], 2: [_log("9")]}, known, BOTH, "ignore")
    assert not (again.create or again.retry or again.edit or again.delete or again.forget)


def test_a_worklog_carrying_our_property_is_never_carried_back_and_a_pending_one_is_adopted():
    pending = [Known(1, "1", None, None, "active", "tok")]
    listed = {1: [_log("1")], 2: [_log("9", token="tok")]}
    assert wl.adopt(pending, listed) == {"tok": "9"}
    result = wl.plan(listed, pending, BOTH, "ignore")
    assert result.retry == [(2, listed[1][0])] and result.create == []  # the mirror "9" is not created back


def test_edits_follow_by_digest_and_deletes_follow_the_policy():
    edited = _log("1", seconds=7200, text="Longer")
    known = [Known(1, "1", "9", wl.digest(_log("1")), "active", "t")]
    assert wl.plan({1: [edited], 2: [_log("9")]}, known, BOTH, "ignore").edit == [(2, "9", edited)]
    assert wl.plan({1: [], 2: [_log("9")]}, known, BOTH, "ignore").forget == [(1, "1")]
    assert wl.plan({1: [], 2: [_log("9")]}, known, BOTH, "unlink").delete == [(2, "9", "1")]


def test_one_direction_only_and_the_mirror_names_author_site_start_and_the_mapped_person():
    assert wl.plan({1: [], 2: [_log("5")]}, [], {"direction": "1→2"}, "ignore").create == []
    body = wl.mirror_body(_log("1"), "acme.example", named="Alicia")
    line = body["comment"]["content"][0]["content"][0]["text"]
    assert line == "Alice on acme.example logged 1h (started 2026-11-30T09:00:00.000+0000), for Alicia here:"
    assert body["timeSpentSeconds"] == 3600 and body["started"] == "2026-11-30T09:00:00.000+0000"
    assert body["comment"]["content"][1]["content"][0]["text"] == "Did it"


def test_a_mirror_written_as_the_mapped_person_is_their_comment_alone_with_the_same_time_and_start():
    body = wl.mirror_body(_log("1"), "acme.example", named="Alicia", attributed=False)
    assert body["comment"]["content"] == _log("1")["comment"]["content"]
    assert body["timeSpentSeconds"] == 3600 and body["started"] == "2026-11-30T09:00:00.000+0000"
