"""Webhook delivery: the World queues events; one worker thread POSTs them to the apps, JWT-signed, in order."""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass

import requests

from jirasim.connect import tokens
from jirasim.connect.context import from_payload, substitute
from jirasim.faults import WebhookFaults
from jirasim.store.apps import Installation
from jirasim.store.entities import now
from jirasim.store.query import compile_query
from jirasim.store.site import Site

EVENTS = {"jira:issue_created", "jira:issue_updated", "jira:issue_deleted",
          "comment_created", "comment_updated", "comment_deleted",
          "issue_property_set", "issue_property_deleted", "attachment_created", "attachment_deleted",
          "issuelink_created", "issuelink_deleted"}


@dataclass
class Delivery:
    """One webhook event for one app; `delivery_id` is reused across retries and duplicates."""
    delivery_id: str
    site: Site
    inst: Installation
    webhook: dict
    payload: dict


class Dispatcher:
    """Queues webhook deliveries and sends them from one daemon thread (between start and stop), applying faults."""

    def __init__(self, lock, faults: WebhookFaults, retries: int = 3, backoff: float = 0.1, timeout: float = 10,
                 reorder_window: float = 2.0):
        """`lock` guards the sites' state (a webhook filter reads an issue); `faults` are applied to deliveries."""
        self.lock, self.faults = lock, faults
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.reorder_window = reorder_window
        self.queue: deque[Delivery] = deque()
        self.cond = threading.Condition()
        self.busy = 0
        self.flushing = 0
        self.log: list[dict] = []
        self.stopped = False
        self.thread: threading.Thread | None = None

    # -- producer side -------------------------------------------------------------------------------
    def enqueue(self, site, payload: dict) -> None:
        """Queue `payload` for every enabled app of `site` with a webhook for its event."""
        event = payload.get("webhookEvent")
        if event not in EVENTS:
            return
        body = json.loads(json.dumps(payload, default=str))
        items = [Delivery(str(uuid.uuid4()), site, inst, hook, body)
                 for inst in list(site.apps.values()) if inst.enabled
                 for hook in inst.webhooks if hook.get("event") == event and self._wanted(site, inst, hook, body)]
        if items:
            with self.cond:
                self.queue.extend(items)
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

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery (with its retries) is done; False on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            self.flushing += 1
            self.cond.notify_all()
            try:
                while self.queue or self.busy:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self.cond.wait(min(left, 0.05))
                return True
            finally:
                self.flushing -= 1

    def clear(self) -> None:
        """Forget queued deliveries and the delivery log."""
        with self.cond:
            self.queue.clear()
            self.log.clear()

    def start(self) -> None:
        """Start the worker thread (once)."""
        with self.cond:
            if self.thread is None:
                self.stopped = False
                self.thread = threading.Thread(target=self._run, name="jirasim-webhooks", daemon=True)
                self.thread.start()

    def stop(self) -> None:
        """Stop the worker thread (queued deliveries are abandoned)."""
        with self.cond:
            self.stopped = True
            thread, self.thread = self.thread, None
            self.cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)

    # -- worker side ---------------------------------------------------------------------------------
    def _next_batch(self) -> list[Delivery] | None:
        with self.cond:
            while not self.queue and not self.stopped:
                self.cond.wait()
            if self.stopped:
                return None
            size = self.faults.take_reorder()
            if size > 1:
                deadline = time.monotonic() + self.reorder_window
                while len(self.queue) < size and not self.flushing and time.monotonic() < deadline:
                    self.cond.wait(0.02)
                batch = [self.queue.popleft() for _ in range(min(size, len(self.queue)))]
                batch.reverse()
            else:
                batch = [self.queue.popleft()]
            self.busy += 1
            return batch

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                for item in batch:
                    try:
                        self._process(item)
                    except Exception as exc:  # never let the worker die
                        self._log({"deliveryId": item.delivery_id, "outcome": "error", "error": repr(exc)})
            finally:
                with self.cond:
                    self.busy -= 1
                    self.cond.notify_all()

    def _process(self, item: Delivery) -> None:
        faults = self.faults
        entry = {"deliveryId": item.delivery_id, "site": item.site.name, "app": item.inst.app_key,
                 "event": item.payload.get("webhookEvent"), "issueKey": (item.payload.get("issue") or {}).get("key"),
                 "attempts": [], "outcome": None, "duplicate": False}
        if faults.take_drop():
            entry["outcome"] = "dropped"
            self._log(entry)
            return
        delay = faults.delay_ms
        if delay:
            time.sleep(delay / 1000)
            entry["delayMs"] = delay
        self._deliver(item, entry)
        if faults.take_duplicate():
            dup = dict(entry, attempts=[], outcome=None, duplicate=True)
            self._deliver(item, dup)

    def _deliver(self, item: Delivery, entry: dict) -> None:
        inst = item.inst
        url = inst.base_url + substitute(item.webhook.get("url", ""), from_payload(item.payload))
        body = b"" if item.webhook.get("excludeBody") else json.dumps(item.payload).encode()
        for attempt in range(self.retries + 1):
            token = tokens.mint_for_request(inst.shared_secret, inst.client_key, "POST", url, inst.base_path,
                                            context={})
            headers = {"Authorization": f"JWT {token}", "Content-Type": "application/json",
                       "X-Atlassian-Webhook-Identifier": item.delivery_id,
                       "User-Agent": "Atlassian Webhook HTTP Client (jirasim)"}
            if attempt:
                headers["X-Atlassian-Webhook-Retry"] = str(attempt)
            try:
                status = requests.post(url, data=body, headers=headers, timeout=self.timeout).status_code
            except requests.RequestException as exc:
                status = None
                entry["attempts"].append({"retry": attempt, "error": type(exc).__name__})
            else:
                entry["attempts"].append({"retry": attempt, "status": status})
            if status is not None and status < 500:
                entry["outcome"] = "delivered" if status < 300 else "rejected"
                break
            if attempt < self.retries:
                time.sleep(self.backoff * (2 ** attempt))
        else:
            entry["outcome"] = "failed"
        self._log(entry)

    def _log(self, entry: dict) -> None:
        with self.cond:
            self.log.append(entry)
            del self.log[:-5000]

