"""What people do in a fault scenario, and the checks after it: converged, one partner per issue, every comment and
attachment exactly once on each side, no write that no person caused, no open transient error, the workers alive."""
from __future__ import annotations

import os
import time
import uuid
from collections import Counter

import requests
from sqlalchemy import select

from jirasim import adf
from plugin.models import SyncError
from tests.support.eventually import eventually

FULL = os.environ.get("WORK_SYNC_FAULTS_FULL") == "1"
SIZE = 4 if FULL else 1  # issues people create on each side in a scenario's workload
SITES = {1: ("acme", "ACME"), 2: ("globex", "GLOBEX")}
# POSTs that only read (everything else our app POSTs, PUTs or DELETEs is a write)
READS = {"/rest/api/3/search/jql", "/rest/api/3/search/approximate-count", "/rest/api/3/issue/bulkfetch",
         "/rest/api/3/jql/parse", "/rest/api/3/permissions/check"}
CREATE, COMMENT, ATTACH = ("/rest/api/3/issue", "/rest/api/3/issue/{issueIdOrKey}/comment",
                           "/rest/api/3/issue/{issueIdOrKey}/attachments")


def text_of(comment: dict) -> str:
    """A comment's own text (a mirror's last line: the first is the attribution)."""
    return adf.to_text(comment["body"]).split("\n")[-1]


class People:
    """People working on both sides of one synchronization; what they did is what the engine must carry."""

    def __init__(self, engine, sync_id: str):
        self.engine, self.sync_id = engine, sync_id
        self.tag = "t" + uuid.uuid4().hex[:10]
        self.issues: list[tuple[int, str]] = []
        self.summaries: dict[tuple[int, str], str] = {}
        self.comments: dict[tuple[int, str], list[str]] = {}
        self.attachments: dict[tuple[int, str], list[str]] = {}
        self.baseline: Counter = Counter()

    def create(self, side: int) -> str:
        site, project = SITES[side]
        summary = f"{self.tag} issue {len(self.issues) + 1}"
        key = self.engine.create(site, project, summary)
        self.issues.append((side, key))
        self.summaries[(side, key)] = summary
        return key

    def comment(self, side: int, key: str) -> None:
        text = f"{self.tag} comment {sum(map(len, self.comments.values())) + 1}"
        answer = self.engine.rest(SITES[side][0], "POST", f"/issue/{key}/comment", json={"body": adf.from_text(text)})
        assert answer.status_code == 201, answer.text
        self.comments.setdefault((side, key), []).append(text)

    def attach(self, side: int, key: str) -> None:
        name = f"{self.tag}-{sum(map(len, self.attachments.values())) + 1}.txt"
        site = SITES[side][0]
        answer = self.engine.installed.as_user(site, "dev").post(
            f"{self.engine.installed.sim.site_url(site)}/rest/api/3/issue/{key}/attachments",
            headers={"X-Atlassian-Token": "no-check"}, files={"file": (name, f"{name} content".encode(), "text/plain")},
            timeout=30)
        assert answer.status_code == 200, answer.text
        self.attachments.setdefault((side, key), []).append(name)

    def edit(self, side: int, key: str) -> None:
        summary = self.summaries[(side, key)] = self.summaries[(side, key)] + " edited"
        self.engine.edit(SITES[side][0], key, summary=summary)

    def work(self, size: int = SIZE) -> None:
        """On each side, `size` new issues, each commented, attached to and edited."""
        for side in (1, 2):
            for _ in range(size):
                key = self.create(side)
                self.comment(side, key)
                self.attach(side, key)
                self.edit(side, key)

    # -- what the engine must have done ----------------------------------------------------------------------
    def writes_due(self) -> Counter:
        """The writes people's work asks of our app: (site written to, endpoint) → count."""
        due = Counter()
        for side, _ in self.issues:
            due[(SITES[3 - side][0], CREATE)] += 1
        for (side, _), texts in self.comments.items():
            due[(SITES[3 - side][0], COMMENT)] += len(texts)
        for (side, _), names in self.attachments.items():
            due[(SITES[3 - side][0], ATTACH)] += len(names)
        return due

    def mark(self) -> None:
        """From here on our app's writes are counted (the simulator's log is cleared; what people did so far and the
        engine carried does not count)."""
        self.engine.reset_calls()
        self.baseline = self.writes_due()


def app_writes(engine, since: float | None = None) -> list[dict]:
    """Our app's successful writes in the simulator's log (since an epoch time)."""
    return [r for r in engine.app_requests() if r["method"] in ("POST", "PUT", "DELETE", "PATCH")
            and r["endpoint"] not in READS and 200 <= r["status"] < 300 and (since is None or r["at"] >= since)]


def _search(engine, site: str, project: str, tag: str) -> list[dict]:
    answer = engine.rest(site, "POST", "/search/jql", user="alice", json={
        "jql": f'project = {project} AND summary ~ "{tag}"', "fields": ["summary"], "maxResults": 100})
    assert answer.status_code == 200, answer.text
    return answer.json()["issues"]


def alive(processes) -> None:
    dead = [(p.pid, p.returncode) for p in processes if p.poll() is not None]
    assert not dead, f"worker processes ended (pid, rc): {dead}"


def converged(engine, people: People, healed_at: float, name: str, timeout: float = 120) -> float:
    """Check every promise after a scenario healed at `healed_at` (time.monotonic); print the time it took."""
    alive(engine.worker_processes)
    engine.settle(timeout=timeout)
    took = time.monotonic() - healed_at
    print(f"\n[faults] {name}: converged {took:.1f} s after healing")
    alive(engine.worker_processes)
    total = len(people.issues)
    for site, project in SITES.values():  # one partner per issue (search sees all: wait for its index)
        eventually(lambda s=site, p=project: len(_search(engine, s, p, people.tag)) >= total, timeout=15)
        found = _search(engine, site, project, people.tag)
        assert len(found) == total, [i["fields"]["summary"] for i in found]
    for side, key in people.issues:
        partner = engine.partner(people.sync_id, side, key)
        assert partner, f"{key} has no partner"
        site, other = SITES[side][0], SITES[3 - side][0]
        assert engine.issue(site, key)["summary"] == engine.issue(other, partner)["summary"] == people.summaries[
            (side, key)]
        texts = sorted(people.comments.get((side, key), []) + people.comments.get((3 - side, partner), []))
        names = sorted(people.attachments.get((side, key), []) + people.attachments.get((3 - side, partner), []))
        for on, issue in ((site, key), (other, partner)):  # exactly once on each side, nothing echoed back
            listed = engine.rest(on, "GET", f"/issue/{issue}/comment", user="alice").json()["comments"]
            assert sorted(map(text_of, listed)) == texts, (on, issue, [adf.to_text(c["body"]) for c in listed])
            assert sorted(a["filename"] for a in engine.issue(on, issue)["attachment"] or []) == names, (on, issue)
    done = Counter((r["site"], r["endpoint"]) for r in app_writes(engine)
                   if r["method"] == "POST" and r["endpoint"] in (CREATE, COMMENT, ATTACH))
    due = people.writes_due() - people.baseline
    assert done == due, f"our app wrote {dict(done)}, people asked for {dict(due)}"
    since = time.time()  # and once all is carried, a poll writes nothing
    engine.poll_now()
    engine.settle(timeout=timeout)
    assert app_writes(engine, since) == []
    # After that poll: a site-wide error of a poll that met the fault is resolved by the next poll that works.
    with engine.runtime.sessions() as session:
        open_errors = session.scalars(select(SyncError).where(SyncError.sync_id == int(people.sync_id),
                                                              SyncError.state == "open")).all()
    left = [(e.category, e.side, e.issue_key or e.issue_id, e.message, e.count) for e in open_errors
            if not e.permanent or e.category == "transient"]
    assert left == [], f"open errors left after converging: {left}"
    alive(engine.worker_processes)
    return took


def begin(engine) -> People:
    """A running synchronization with one linked issue whose later writes are counted."""
    sync_id = engine.synchronize()
    people = People(engine, sync_id)
    people.create(1)
    engine.settle()
    people.mark()
    return people


def held(engine, site: str, endpoint: str) -> bool:
    """Whether a latency rule holds (or held) a request to `endpoint` on `site`."""
    applied = requests.get(f"{engine.installed.sim.base_url}/_sim/faults", timeout=10).json()["applied"]
    return any(a["fault"] == "latency" and a["site"] == site and a["endpoint"] == endpoint for a in applied)


def answered(engine, site: str, endpoint: str, method: str = "POST") -> bool:
    """Whether Jira finished a held request of our app (2xx) to `endpoint` on `site`."""
    return any(r["site"] == site and r["endpoint"] == endpoint and r["method"] == method and
               200 <= r["status"] < 300 and r["faults"] for r in engine.app_requests())
