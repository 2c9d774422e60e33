"""Existing issues: brought across in bulk when a synchronization first starts, resumably, with progress."""
import time

import pytest

from tests.support.api import ApiUser
from tests.support.engine import kill, workers
from tests.support.world import SIDE1_KINDS

pytestmark = SIDE1_KINDS


def _many(engine, count: int) -> list[str]:
    """Existing issues on acme, created in bulk by a person (before the synchronization starts)."""
    types = {t["name"]: t["id"] for t in engine.rest("acme", "GET", "/project/ACME").json()["issueTypes"]}
    keys = []
    for start in range(0, count, 50):
        body = {"issueUpdates": [{"fields": {"project": {"key": "ACME"}, "issuetype": {"id": types["Task"]},
                                              "summary": f"Existing {n}", "labels": ["old"]}}
                                 for n in range(start, min(count, start + 50))]}
        answer = engine.rest("acme", "POST", "/issue/bulk", json=body)
        assert answer.status_code == 201, answer.text
        keys += [issue["key"] for issue in answer.json()["issues"]]
    return keys


def _progress(engine, sync_id):
    return ApiUser(engine.installed, "acme", "pat", project="ACME").get(
        f"/synchronizations/{sync_id}/progress").json()


@pytest.mark.in_process  # no worker process: what it checks needs none
def test_existing_issues_are_brought_across_in_bulk_with_progress(engine):
    keys = _many(engine, 120)
    engine.reset_calls()
    sync_id = engine.synchronize()
    engine.settle(timeout=120)
    assert all(engine.partner(sync_id, 1, key) for key in keys)
    progress = _progress(engine, sync_id)
    assert progress["state"] == "done" and progress["done"] == progress["total"] > 120
    calls = engine.calls()
    assert calls.get("globex POST /rest/api/3/issue/bulk", 0) <= 4  # 129 acme issues over pages of 100
    assert calls.get("acme POST /rest/api/3/issue/bulkfetch", 0) <= 3
    assert not calls.get("globex POST /rest/api/3/issue")  # no issue created one by one
    partner = engine.partner(sync_id, 1, keys[7])
    assert engine.issue("globex", partner)["summary"] == "Existing 7"


@pytest.mark.in_process  # no worker process: what it checks needs none
def test_existing_issues_are_left_alone_when_so_configured(engine):
    keys = _many(engine, 3)
    sync_id = engine.synchronize(mode="review", start=False)
    pat_acme = ApiUser(engine.installed, "acme", "pat", project="ACME")
    pat_globex = ApiUser(engine.installed, "globex", "pat", project="GLOBEX")
    document = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion").json()
    document["existingIssues"] = "ignore"
    pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document)
    pat_acme.post(f"/synchronizations/{sync_id}/configuration/send")
    pat_globex.post(f"/synchronizations/{sync_id}/configuration/accept")
    engine.start(sync_id)
    new = engine.create("acme", "ACME", "Made after the start")
    engine.settle()
    assert engine.partner(sync_id, 1, new) and not any(engine.partner(sync_id, 1, key) for key in keys)
    assert _progress(engine, sync_id)["state"] == "n/a"


def test_an_initial_sync_killed_halfway_resumes_and_creates_no_duplicate(installed, engine):
    keys = _many(engine, 150)
    engine.fault(kind="latency", site="globex", endpoint="/rest/api/3/issue/bulk", ms=1500)
    sync_id = engine.synchronize()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _progress(engine, sync_id)["done"] == 0:
        time.sleep(0.2)
    for process in engine.worker_processes:
        kill(process)
    assert _progress(engine, sync_id)["state"] == "running"
    engine.clear_faults()
    with workers(installed.live.settings, 1):
        engine.settle(timeout=180)
    assert all(engine.partner(sync_id, 1, key) for key in keys)
    found = engine.rest("globex", "POST", "/search/jql", json={"jql": 'project = GLOBEX AND summary ~ "Existing"',
                                                               "fields": ["summary"], "maxResults": 100}).json()
    summaries = [i["fields"]["summary"] for i in found["issues"]]
    while not found.get("isLast", True):
        found = engine.rest("globex", "POST", "/search/jql", json={
            "jql": 'project = GLOBEX AND summary ~ "Existing"', "fields": ["summary"], "maxResults": 100,
            "nextPageToken": found["nextPageToken"]}).json()
        summaries += [i["fields"]["summary"] for i in found["issues"]]
    assert len(summaries) == len(set(summaries)) == 150
