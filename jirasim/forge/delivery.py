"""Invocations of a remote's endpoints (events, lifecycle events, scheduled triggers): POST with a FIT, unordered,
a 5 s timeout, up to 4 retries carrying Forge's `retryContext`.

A pool of sender threads takes due invocations from a heap; retries are rescheduled, never slept on. The
webhook faults of the World (delay, duplicate, drop) apply here as they do to Connect webhooks.
"""
from __future__ import annotations

import heapq
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field

import requests

from jirasim.forge import fit

TIMEOUT_ERROR, INVALID_TOKEN, INVALID_REMOTE = ("TIMEOUT_ERROR", "INVALID_FORGE_INVOCATION_TOKEN",
                                                "INVALID_REMOTE_INVOCATION_ERROR")


@dataclass
class Invocation:
    """One POST of a payload to one endpoint of one installation, with its retries."""
    site: object
    inst: object
    endpoint: object
    payload: dict
    kind: str
    entry: dict = field(default_factory=dict)
    due: float = 0.0
    retry: int = 0
    reason: str | None = None
    copies: int = 0
    generation: int = 0


def remote_url(inst, endpoint) -> str:
    """The endpoint's URL: its remote's `baseUrl` for the installation's location (or the install's `remote_base_url`)
    plus `route.path`."""
    base = inst.remote_base_url or inst.manifest.remote_base(endpoint.remote, inst.location)
    return base.rstrip("/") + endpoint.path


def retry_reason(status: int | None, timed_out: bool) -> str | None:
    """None for a 2xx answer, else Forge's `retryReason` for it."""
    if timed_out:
        return TIMEOUT_ERROR
    if status is not None and 200 <= status < 300:
        return None
    return INVALID_TOKEN if status == 401 else INVALID_REMOTE


class Sender:
    """Schedules invocations and sends them from a pool of daemon threads (between start and stop)."""

    def __init__(self, faults, policy, sim_url, tokens):
        """`sim_url()` is the simulator's base URL now; `tokens` mints the `x-forge-oauth-system` tokens."""
        self.faults, self.policy, self.sim_url, self.tokens = faults, policy, sim_url, tokens
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int, Invocation]] = []
        self.order = itertools.count()
        self.outstanding = self.in_flight = self.generation = 0
        self.log: list[dict] = []
        self.stopped = False
        self.threads: list[threading.Thread] = []

    def enqueue(self, items: list[Invocation]) -> None:
        """Schedule new invocations (after the one-shot webhook faults: drop, duplicate, delay)."""
        with self.cond:
            for item in items:
                item.entry = {"site": item.site.name, "appId": item.inst.app_id, "kind": item.kind,
                              "endpoint": item.endpoint.key, "event": item.payload.get("eventType"),
                              "attempts": [], "outcome": None, "duplicate": False}
                item.generation = self.generation
                self.outstanding += 1
                if self.faults.take_drop():
                    self._close(item, "dropped")
                    continue
                item.copies = int(self.faults.take_duplicate())
                item.due = time.monotonic() + self.faults.delay_ms / 1000 + random.uniform(0, self.policy.scatter)
                self._push(item)
            self.cond.notify_all()

    def _push(self, item: Invocation) -> None:
        heapq.heappush(self.heap, (item.due, next(self.order), item))

    def flush(self, timeout: float = 10.0, skip_delays: bool = False) -> bool:
        """Wait until every invocation is done, retries included; False on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.outstanding:
                if skip_delays:
                    self.heap = [(min(due, time.monotonic()), order, i) for due, order, i in self.heap]
                    heapq.heapify(self.heap)
                    self.cond.notify_all()
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.05))
            return True

    def pending(self) -> list[dict]:
        """Invocations not finished yet, with their retry number and seconds until due."""
        moment = time.monotonic()
        with self.cond:
            return [{**{k: i.entry[k] for k in ("site", "appId", "kind", "endpoint", "event")}, "retry": i.retry,
                     "dueInSeconds": round(max(0.0, due - moment), 3)} for due, _, i in sorted(self.heap)]

    def clear(self) -> None:
        """Forget scheduled invocations and the log (ones in flight finish unlogged)."""
        with self.cond:
            self.heap.clear()
            self.generation += 1
            self.outstanding = self.in_flight
            self.log.clear()
            self.cond.notify_all()

    def start(self) -> None:
        """Start the sender threads (once)."""
        with self.cond:
            if self.threads:
                return
            self.stopped = False
            self.threads = [threading.Thread(target=self._run, name=f"jirasim-forge-{n}", daemon=True)
                            for n in range(self.policy.workers)]
            for thread in self.threads:
                thread.start()

    def stop(self) -> None:
        """Stop the senders (scheduled invocations are abandoned)."""
        with self.cond:
            self.stopped = True
            threads, self.threads = self.threads, []
            self.cond.notify_all()
        for thread in threads:
            thread.join(5)

    def _take(self) -> Invocation | None:
        with self.cond:
            while not self.stopped:
                moment = time.monotonic()
                if self.heap and self.heap[0][0] <= moment:
                    self.in_flight += 1
                    return heapq.heappop(self.heap)[2]
                self.cond.wait(self.heap[0][0] - moment if self.heap else None)
            return None

    def _run(self) -> None:
        while (item := self._take()) is not None:
            try:
                self._attempt(item)
            except Exception as exc:  # never let a sender die
                item.entry["error"] = repr(exc)
                with self.cond:
                    self._finish(item, "error")
            finally:
                with self.cond:
                    self.in_flight -= 1
                    self.cond.notify_all()

    def body(self, item: Invocation) -> dict:
        """What is POSTed: `{"payload": ...}`, with `retryContext` on a retry."""
        payload = dict(item.payload)
        if item.retry:
            payload["retryContext"] = {"retryData": None, "retryCount": item.retry, "retryReason": item.reason}
        return {"payload": payload}

    def _attempt(self, item: Invocation) -> None:
        """POST once; on a failure schedule the next try (at most `retries`), else finish."""
        site, inst, endpoint, policy = item.site, item.inst, item.endpoint, self.policy
        if site.forge_apps.get(inst.app_id) is not inst:
            with self.cond:
                self._finish(item, "uninstalled")
            return
        token = fit.mint(fit.claims(inst, self.sim_url(), fit.BACKEND_MODULE, endpoint.key, ttl=policy.fit_ttl))
        system = self.tokens.for_installation(inst, policy.system_token_ttl) if endpoint.system_token else None
        headers = {**fit.headers(token, system), "Content-Type": "application/json"}
        status, timed_out = None, False
        try:
            status = requests.post(remote_url(inst, endpoint), data=json.dumps(self.body(item)), headers=headers,
                                   timeout=policy.timeout, allow_redirects=False).status_code
            item.entry["attempts"].append({"retry": item.retry, "status": status})
        except requests.Timeout:
            timed_out = True
            item.entry["attempts"].append({"retry": item.retry, "error": "Timeout"})
        except requests.RequestException as exc:
            item.entry["attempts"].append({"retry": item.retry, "error": type(exc).__name__})
        reason = retry_reason(status, timed_out)
        with self.cond:
            if reason and item.retry < policy.retries and item.generation == self.generation:
                item.retry, item.reason = item.retry + 1, reason
                item.due = time.monotonic() + policy.retry_delay(item.retry)
                self._push(item)
            else:
                self._finish(item, "failed" if reason else "delivered")

    def _finish(self, item: Invocation, outcome: str) -> None:
        """Log the outcome and send the duplicate, if one is due (call under `cond`)."""
        if item.generation != self.generation:
            self.outstanding -= 1
            return
        self._close(item, outcome)
        if item.copies:
            copy = Invocation(item.site, item.inst, item.endpoint, item.payload, item.kind,
                              entry=dict(item.entry, attempts=[], outcome=None, duplicate=True),
                              due=time.monotonic(), generation=item.generation)
            self.outstanding += 1
            self._push(copy)
        self.cond.notify_all()

    def _close(self, item: Invocation, outcome: str) -> None:
        item.entry["outcome"] = outcome
        self.outstanding -= 1
        self.log.append(item.entry)
        del self.log[:-5000]
