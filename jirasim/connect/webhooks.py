"""Webhook delivery as Jira does it: a pool of senders, no ordering promise, retries, Primary and Secondary flows.

The World queues events; each becomes one Delivery per subscribed app, scheduled for a due time and POSTed,
JWT-signed, by one of a few worker threads. Retries and late (Secondary) deliveries are rescheduled, never slept on.
"""
from __future__ import annotations

import heapq
import itertools
import json
import random
import threading
import time
import uuid
from collections import deque

import requests

from jirasim.connect import tokens
from jirasim.connect.context import from_payload, substitute
from jirasim.connect.delivery import PRIMARY, SECONDARY, Delivery, DeliveryPolicy, verdict
from jirasim.faults import WebhookFaults
from jirasim.store.entities import now
from jirasim.store.query import compile_query


class Dispatcher:
    """Schedules webhook deliveries and sends them from a pool of daemon threads (between start and stop)."""

    def __init__(self, lock, faults: WebhookFaults, policy: DeliveryPolicy | None = None,
                 reorder_window: float = 2.0):
        """`lock` guards the sites' state (a webhook filter reads an issue); `faults` are applied to deliveries."""
        self.lock, self.faults = lock, faults
        self.policy = policy or DeliveryPolicy()
        self.reorder_window = reorder_window
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int, Delivery]] = []
        self.lanes: dict[tuple, deque[Delivery]] = {}
        self.held: list[Delivery] = []
        self.held_size, self.held_until = 0, 0.0
        self.order = itertools.count()
        self.outstanding = self.in_flight = self.flushing = self.generation = 0
        self.log: list[dict] = []
        self.stopped = False
        self.threads: list[threading.Thread] = []

    # -- producer side -------------------------------------------------------------------------------
    def enqueue(self, site, payload: dict, flow: str = PRIMARY) -> None:
        """Schedule `payload` for every enabled app of `site` with a webhook for its event."""
        event = payload.get("webhookEvent")
        hooks = [(inst, hook) for inst in list(site.apps.values()) if inst.enabled
                 for hook in inst.webhooks if hook.get("event") == event]
        if not hooks:
            return
        body = json.loads(json.dumps(payload, default=str))
        items = [Delivery(str(uuid.uuid4()), site, inst, hook, body, flow)
                 for inst, hook in hooks if self._wanted(site, inst, hook, body)]
        with self.cond:
            for item in items:
                item.entry = {"deliveryId": item.delivery_id, "site": site.name, "app": item.inst.app_key,
                              "event": event, "issueKey": (body.get("issue") or {}).get("key"), "flow": flow,
                              "attempts": [], "outcome": None, "duplicate": False}
                item.generation = self.generation
                self.outstanding += 1
                self._admit(item)
            self.cond.notify_all()

    def _wanted(self, site, inst, hook: dict, payload: dict) -> bool:
        """False when the webhook's JQL `filter` does not match the event's issue (evaluated now, as the app)."""
        jql = hook.get("filter")
        issue_ref = (payload.get("issue") or {}).get("id") or (payload.get("issue") or {}).get("key")
        if not jql or not issue_ref:
            return True
        try:
            with self.lock:
                issue = site.issue(issue_ref)
                if issue is None:
                    return True
                predicate, _ = compile_query(site, jql, site.users.get(inst.account_id), now())
                return bool(predicate(issue))
        except Exception:  # an invalid filter delivers everything rather than nothing
            return True

    def _admit(self, item: Delivery) -> None:
        """Apply the one-shot faults in the order events happen, then schedule (call under `cond`)."""
        if self.faults.take_drop():
            self._close(item, "dropped")
            return
        item.copies = int(self.faults.take_duplicate())
        if self.faults.delay_ms:
            item.entry["delayMs"] = self.faults.delay_ms
        if not self.held_size:
            size = self.faults.take_reorder()
            if size > 1:
                self.held_size, self.held_until = size, time.monotonic() + self.reorder_window
        if self.held_size:
            self.held.append(item)
            if len(self.held) >= self.held_size:
                self._release_held()
            return
        self._schedule(item)

    def _release_held(self) -> None:
        held, self.held, self.held_size = self.held, [], 0
        for item in reversed(held):
            self._schedule(item)

    def _schedule(self, item: Delivery) -> None:
        """Give a new delivery its due time; in strict order it joins its lane and waits for the ones before it."""
        policy, moment = self.policy, time.monotonic()
        item.due = moment + self.faults.delay_ms / 1000 + (policy.secondary_delay if item.flow == SECONDARY else 0)
        if not policy.strict_for(item.site.name):
            item.due += random.uniform(0, policy.scatter)
            self._push(item)
            return
        item.lane = (item.site.name, item.inst.app_key)
        lane = self.lanes.setdefault(item.lane, deque())
        lane.append(item)
        if len(lane) == 1:
            self._push(item)

    def _push(self, item: Delivery) -> None:
        heapq.heappush(self.heap, (item.due, next(self.order), item))

    # -- control -------------------------------------------------------------------------------------
    def configure(self, **settings) -> DeliveryPolicy:
        """Change the delivery policy (see DeliveryPolicy.update); applies to deliveries scheduled from now on."""
        with self.cond:
            self.policy.update(**settings)
            self.cond.notify_all()
            return self.policy

    def flush(self, timeout: float = 10.0, skip_delays: bool = False) -> bool:
        """Wait until every delivery is done, retries and late ones included; False on timeout.

        `skip_delays` sends scheduled retries and late deliveries now instead of waiting for their time.
        """
        deadline = time.monotonic() + timeout
        with self.cond:
            self.flushing += 1
            self.cond.notify_all()
            try:
                while self.outstanding:
                    if skip_delays:
                        self._hurry()
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self.cond.wait(min(left, 0.05))
                return True
            finally:
                self.flushing -= 1

    def _hurry(self) -> None:
        moment = time.monotonic()
        for _, _, item in self.heap:
            item.due = min(item.due, moment)
        for lane in self.lanes.values():
            for item in lane:
                item.due = min(item.due, moment)
        self.heap = [(item.due, order, item) for _, order, item in self.heap]
        heapq.heapify(self.heap)
        self.cond.notify_all()

    def pending(self) -> list[dict]:
        """Deliveries not finished yet (scheduled, waiting in a strict-order lane, held for reordering)."""
        moment = time.monotonic()
        with self.cond:
            items = {id(i): i for i in [i for _, _, i in self.heap] + self.held
                     + [i for lane in self.lanes.values() for i in lane]}
            return [{"deliveryId": i.delivery_id, "site": i.site.name, "app": i.inst.app_key,
                     "event": i.entry["event"], "flow": i.flow, "retry": i.retry,
                     "dueInSeconds": round(max(0.0, i.due - moment), 3)}
                    for i in sorted(items.values(), key=lambda i: i.due)]

    def clear(self) -> None:
        """Forget scheduled deliveries and the delivery log (ones being sent right now finish unlogged)."""
        with self.cond:
            self.heap.clear()
            self.lanes.clear()
            self.held.clear()
            self.held_size = 0
            self.generation += 1
            self.outstanding = self.in_flight
            self.log.clear()
            self.cond.notify_all()

    def start(self) -> None:
        """Start the pool of sender threads (once)."""
        with self.cond:
            if self.threads:
                return
            self.stopped = False
            self.threads = [threading.Thread(target=self._run, name=f"jirasim-webhooks-{n}", daemon=True)
                            for n in range(self.policy.workers)]
            for thread in self.threads:
                thread.start()

    def stop(self) -> None:
        """Stop the senders (scheduled deliveries are abandoned)."""
        with self.cond:
            self.stopped = True
            threads, self.threads = self.threads, []
            self.cond.notify_all()
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(5)

    # -- sender side ---------------------------------------------------------------------------------
    def _take(self) -> Delivery | None:
        with self.cond:
            while not self.stopped:
                moment = time.monotonic()
                if self.held and (self.flushing or moment >= self.held_until):
                    self._release_held()
                if self.heap and self.heap[0][0] <= moment:
                    self.in_flight += 1
                    return heapq.heappop(self.heap)[2]
                waits = [t - moment for t in (self.heap[0][0] if self.heap else None,
                                              self.held_until if self.held else None) if t is not None]
                self.cond.wait(min(waits) if waits else None)
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

    def _attempt(self, item: Delivery) -> None:
        """POST once; on a retryable answer schedule the next try, else finish the delivery."""
        inst, policy = item.inst, self.policy
        url = inst.base_url + substitute(item.webhook.get("url", ""), from_payload(item.payload))
        body = b"" if item.webhook.get("excludeBody") else json.dumps(item.payload).encode()
        token = tokens.mint_for_request(inst.shared_secret, inst.client_key, "POST", url, inst.base_path, context={})
        headers = {"Authorization": f"JWT {token}", "Content-Type": "application/json",
                   "X-Atlassian-Webhook-Identifier": item.delivery_id, "X-Atlassian-Webhook-Flow": item.flow,
                   "User-Agent": "Atlassian Webhook HTTP Client (jirasim)"}
        if item.retry:
            headers["X-Atlassian-Webhook-Retry"] = str(item.retry)
        try:
            status = requests.post(url, data=body, headers=headers, timeout=policy.timeout,
                                   allow_redirects=False).status_code
            item.entry["attempts"].append({"retry": item.retry, "status": status})
        except requests.RequestException as exc:
            status = None
            item.entry["attempts"].append({"retry": item.retry, "error": type(exc).__name__})
        outcome = verdict(status)
        with self.cond:
            if outcome == "retry" and item.retry < policy.retries and item.generation == self.generation:
                item.retry += 1
                item.due = time.monotonic() + policy.retry_delay(item.retry)
                self._push(item)
            else:
                self._finish(item, "failed" if outcome == "retry" else outcome)

    def _finish(self, item: Delivery, outcome: str) -> None:
        """Log the outcome, send a duplicate if one is due, and let the next delivery of a strict lane go."""
        if item.generation != self.generation:  # cleared while in flight
            self.outstanding -= 1
            return
        self._close(item, outcome)
        follower = None
        if item.copies:
            follower = Delivery(item.delivery_id, item.site, item.inst, item.webhook, item.payload, item.flow,
                                entry=dict(item.entry, attempts=[], outcome=None, duplicate=True),
                                due=time.monotonic(), lane=item.lane, generation=item.generation)
            self.outstanding += 1
        if item.lane is not None:
            lane = self.lanes.get(item.lane)
            if lane and lane[0] is item:
                lane.popleft()
                if follower is not None:
                    lane.appendleft(follower)
                if lane:
                    lane[0].due = max(lane[0].due, time.monotonic())
                    self._push(lane[0])
                else:
                    del self.lanes[item.lane]
        elif follower is not None:
            self._push(follower)
        self.cond.notify_all()

    def _close(self, item: Delivery, outcome: str) -> None:
        item.entry["outcome"] = outcome
        self.outstanding -= 1
        self.log.append(item.entry)
        del self.log[:-5000]
