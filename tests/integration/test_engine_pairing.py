"""Pairing existing issues in the initial sync (configuration `pairing`): pairs found by summary or by an uploaded CSV
become links merged by the conflict policy, written both ways, and never get a partner created; ambiguous matches
are refused with error rows naming the candidates; the dry run shows it all first. Jira calls are counted: both
projects are read in bulk, no issue is read one by one for pairing, nothing is created for a pair."""
import time

import pytest

from jirasim import adf
from tests.support.api import ApiUser
from tests.support.world import SIDE1_KINDS

pytestmark = [SIDE1_KINDS, pytest.mark.in_process]

SINGLE_READ = "GET /rest/api/3/issue/{issueIdOrKey}"


def _pat(engine, site="acme"):
    return ApiUser(engine.installed, site, "pat", project="ACME" if site == "acme" else "GLOBEX")


def _configured(engine, pairing: dict) -> str:
    sync_id = engine.synchronize(start=False)
    engine.configure(sync_id, lambda document: document.update(existingIssues="sync", pairing=pairing))
    return sync_id


def _summaries(engine, site: str, project: str, text: str) -> list[str]:
    found = engine.rest(site, "POST", "/search/jql", json={"jql": f'project = {project} AND summary ~ "{text}"',
                                                           "fields": ["summary"], "maxResults": 100}).json()
    return [issue["fields"]["summary"] for issue in found["issues"]]


def test_issues_with_the_same_summary_are_paired_merged_by_policy_and_never_created(engine):
    mine = engine.create("acme", "ACME", "Pairing quill sharpener")
    theirs = engine.create("globex", "GLOBEX", "Pairing quill sharpener")
    twins = [engine.create("acme", "ACME", "Pairing twin lantern") for _ in range(2)]
    lone_twin = engine.create("globex", "GLOBEX", "Pairing twin lantern")
    time.sleep(1.1)  # a later change on globex: the newest change wins the first merge
    engine.edit("globex", theirs, priority={"name": "High"})
    sync_id = _configured(engine, {"by": "summary", "unpaired": "create"})

    preview = _pat(engine).post(f"/synchronizations/{sync_id}/pairing/preview", json={})
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert {"1": mine, "2": theirs} in [{side: pair[side]["key"] for side in ("1", "2")} for pair in shown["pairs"]]
    refused = {row["key"]: row for row in shown["refused"]}
    assert set(twins) | {lone_twin} <= set(refused)
    assert set(refused[lone_twin]["candidates"]) == set(twins)  # the refusal names the candidates
    assert not engine.links(sync_id)  # the dry run wrote nothing

    engine.reset_calls()
    engine.start(sync_id)
    engine.settle(timeout=120)
    assert engine.partner(sync_id, 1, mine) == theirs
    assert engine.issue("acme", mine)["priority"]["name"] == "High"  # globex's newer value, written to acme
    assert engine.issue("globex", theirs)["priority"]["name"] == "High"
    assert not any(engine.partner(sync_id, 1, key) for key in twins) and not engine.partner(sync_id, 2, lone_twin)
    assert _summaries(engine, "globex", "GLOBEX", "Pairing quill sharpener") == ["Pairing quill sharpener"]
    assert len(_summaries(engine, "globex", "GLOBEX", "Pairing twin lantern")) == 1  # refused: not created either
    progress = _pat(engine).get(f"/synchronizations/{sync_id}/progress").json()
    assert progress["state"] == "done" and progress["pairs"] >= 1 and progress["pairsWaiting"] == 0
    assert progress["refused"] >= 3
    errors = _pat(engine).get(f"/synchronizations/{sync_id}/errors").json()
    rows = [row for row in errors["errors"] if row["field"] == "pairing"]
    assert any(lone_twin in row["message"] and all(key in row["message"] for key in twins) for row in rows)

    calls = engine.calls()
    # Pairing reads in bulk: the only single reads are ordinary passes of issues the start's poll saw change (its
    # window overlaps the edits made just before the start): at most one per issue made here (5), whatever pairing did.
    made = 5
    assert calls.get(f"acme {SINGLE_READ}", 0) <= made and calls.get(f"globex {SINGLE_READ}", 0) <= made
    assert calls.get("acme POST /rest/api/3/issue/bulkfetch", 0) <= 4  # pairs merged and pages read, in bulk
    assert not calls.get("globex POST /rest/api/3/issue") and not calls.get("acme POST /rest/api/3/issue")
    assert calls.get("acme PUT /rest/api/3/issue/{issueIdOrKey}", 0) >= 1  # the merge, written where it differed

    # an edit after the pairing is an ordinary change of the pair, carried across once
    engine.edit("acme", mine, summary="Pairing quill sharpener, sharper")
    engine.settle()
    assert engine.issue("globex", theirs)["summary"] == "Pairing quill sharpener, sharper"


def test_a_csv_of_key_pairs_is_checked_line_by_line_then_paired(engine):
    ones = [engine.create("acme", "ACME", f"Csv one {n}") for n in range(3)]
    twos = [engine.create("globex", "GLOBEX", f"Csv two {n}") for n in range(3)]
    sync_id = _configured(engine, {"by": "none"})
    text = "\n".join(["acme,globex", f"{ones[0]},{twos[0]}", f"{ones[1]},GLOBEX-99999", f"{ones[0]},{twos[2]}",
                      f"{twos[1]},{ones[1]}", "not a pair"])
    checked = _pat(engine).post(f"/synchronizations/{sync_id}/pairing/preview", json={"csv": text})
    assert checked.status_code == 200, checked.text
    problems = checked.json()["problems"]
    lines = {(problem["line"], problem.get("key")) for problem in problems}
    assert (2, "GLOBEX-99999") in lines  # unknown key
    assert (3, ones[0]) in lines  # paired twice
    assert (4, twos[1]) in lines and (4, ones[1]) in lines  # keys of the other project
    assert any(problem["line"] == 6 for problem in problems)  # not a pair (a file line)

    saved = _pat(engine).call("PUT", f"/synchronizations/{sync_id}/configuration", json={
        **_pat(engine).get(f"/synchronizations/{sync_id}/configuration").json()["published"],
        "pairing": {"by": "csv", "pairs": [[ones[0], twos[0]], [ones[0], twos[1]]]}})
    assert saved.status_code == 422 and "paired twice" in saved.text  # validated when saved too

    engine.configure(sync_id, lambda document: document.update(
        pairing={"by": "csv", "pairs": [[ones[0], twos[0]], [ones[1], twos[1]]], "unpaired": "skip"}))
    preview = _pat(engine).post(f"/synchronizations/{sync_id}/pairing/preview", json={}).json()
    assert preview["creates"] == 0 and len(preview["pairs"]) == 2 and not preview["problems"]
    engine.reset_calls()
    engine.start(sync_id)
    engine.settle(timeout=120)
    assert engine.partner(sync_id, 1, ones[0]) == twos[0] and engine.partner(sync_id, 1, ones[1]) == twos[1]
    assert not engine.partner(sync_id, 1, ones[2]) and not engine.partner(sync_id, 2, twos[2])  # skipped
    merged = engine.issue("globex", twos[0])["summary"]
    assert engine.issue("acme", ones[0])["summary"] == merged  # one summary both ways (the newer one)
    calls = engine.calls()
    created = ("POST /rest/api/3/issue/bulk", "POST /rest/api/3/issue")
    assert not any(name.endswith(created) for name in calls)  # pairs and skipped issues: nothing created
    made = len(ones) + len(twos)  # as above: at most one ordinary pass per issue made here
    assert calls.get(f"acme {SINGLE_READ}", 0) <= made and calls.get(f"globex {SINGLE_READ}", 0) <= made
    progress = _pat(engine).get(f"/synchronizations/{sync_id}/progress").json()
    assert progress["pairs"] == 2 and progress["created"] == 0


def _comment(engine, site, key, text):
    assert engine.rest(site, "POST", f"/issue/{key}/comment", json={"body": adf.from_text(text)}).ok


def _comment_texts(engine, site, key):
    found = engine.rest(site, "GET", f"/issue/{key}/comment", user="alice").json()["comments"]
    return [adf.to_text(c["body"]).strip().split("\n")[-1] for c in found]


def _attach(engine, site, key, name, content):
    response = engine.installed.as_user(site, "dev").post(
        f"{engine.installed.sim.site_url(site)}/rest/api/3/issue/{key}/attachments",
        headers={"X-Atlassian-Token": "no-check"}, files={"file": (name, content, "text/plain")}, timeout=30)
    assert response.status_code == 200, response.text


WRITES = ("POST /rest/api/3/issue/{issueIdOrKey}/comment", "PUT /rest/api/3/issue/{issueIdOrKey}/comment/{id}",
          "POST /rest/api/3/issue/{issueIdOrKey}/attachments")


def _writes(calls, site):
    return {name: count for name, count in calls.items() if name.startswith(site + " ") and name.endswith(WRITES)}


def test_a_comment_both_paired_issues_already_have_is_linked_not_copied(engine):
    mine = engine.create("acme", "ACME", "Pairing shared notes")
    theirs = engine.create("globex", "GLOBEX", "Pairing shared notes")
    _comment(engine, "acme", mine, "Agreed on the  design")
    _comment(engine, "acme", mine, "Only acme knows this")
    _comment(engine, "globex", theirs, "Agreed on the design\n")  # copied by hand: the same text, other white space
    _attach(engine, "acme", mine, "spec.txt", b"the spec")
    _attach(engine, "globex", theirs, "spec.txt", b"the spec")  # already there: same name and size
    _attach(engine, "acme", mine, "only-acme.txt", b"acme only")
    sync_id = _configured(engine, {"by": "summary", "unpaired": "create"})

    engine.reset_calls()
    engine.start(sync_id)
    engine.settle(timeout=120)
    assert engine.partner(sync_id, 1, mine) == theirs
    calls = engine.calls()
    assert calls.get("globex POST /rest/api/3/issue/{issueIdOrKey}/comment") == 1  # only the comment globex lacked
    assert not _writes(calls, "acme")  # nothing went back, nothing was edited
    assert calls.get("globex POST /rest/api/3/issue/{issueIdOrKey}/attachments") == 1  # only-acme.txt
    assert _comment_texts(engine, "acme", mine) == ["Agreed on the  design", "Only acme knows this"]
    assert _comment_texts(engine, "globex", theirs) == ["Agreed on the design", "Only acme knows this"]
    assert sorted(a["filename"] for a in engine.issue("globex", theirs)["attachment"]) == ["only-acme.txt",
                                                                                            "spec.txt"]
    assert [a["filename"] for a in engine.issue("acme", mine)["attachment"]] == ["spec.txt", "only-acme.txt"]

    engine.reset_calls()
    engine.poll_now()
    engine.settle()
    calls = engine.calls()
    assert not _writes(calls, "acme") and not _writes(calls, "globex")  # a later poll writes nothing
    assert not any(" PUT " in name or " POST /rest/api/3/issue" in name and "bulkfetch" not in name
                   for name in calls)
