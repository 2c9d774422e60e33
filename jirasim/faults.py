"""Fault injection: 429 rate limits, 5xx bursts, latency, search lag and webhook faults."""
from __future__ import annotations

import fnmatch
import itertools
import json
import threading
import time

from flask import Response, g, has_request_context

from jirasim.limits import BURST, rate_limit_headers

_ids = itertools.count(1)
BODIES = {
    429: "Rate limit exceeded.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable. Please try again later.",
    504: "Gateway timeout.",
}


def _matches(value: str | None, pattern: str | None) -> bool:
    if not pattern or pattern == "*":
        return True
    value = value or ""
    return fnmatch.fnmatchcase(value, pattern) or pattern in value


class Rule:
    """One request fault: kind `rate_limit`, `error` or `latency`, limited by a count or a duration."""

    def __init__(self, kind: str, site: str | None = None, endpoint: str | None = None, count: int | None = None,
                 seconds: float | None = None, status: int | None = None, retry_after: int = 1, ms: int = 0,
                 reason: str = BURST, method: str | None = None):
        if kind not in ("rate_limit", "error", "latency"):
            raise ValueError(f"unknown fault kind {kind!r}")
        self.id, self.kind, self.site, self.endpoint = next(_ids), kind, site, endpoint
        self.method = method.upper() if method else None
        self.remaining = None if count is None else int(count)
        self.until = None if seconds is None else time.monotonic() + float(seconds)
        self.status = int(status or (429 if kind == "rate_limit" else 500))
        self.retry_after, self.ms, self.reason = int(retry_after), int(ms), str(reason)
        if self.remaining is None and self.until is None and kind != "latency":
            self.remaining = 1

    def live(self) -> bool:
        """True while the rule still applies."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        return self.until is None or time.monotonic() < self.until

    def applies(self, site: str, endpoint: str, method: str | None = None) -> bool:
        """True if the rule is live and matches this site, endpoint and (when the rule names one) method."""
        return (self.live() and _matches(site, self.site) and _matches(endpoint, self.endpoint)
                and (self.method is None or self.method == method))

    def as_dict(self) -> dict:
        """JSON form."""
        left = None if self.until is None else max(0.0, round(self.until - time.monotonic(), 3))
        return {"id": self.id, "kind": self.kind, "site": self.site, "endpoint": self.endpoint,
                "method": self.method, "remaining": self.remaining, "secondsLeft": left, "status": self.status,
                "retryAfter": self.retry_after, "ms": self.ms, "reason": self.reason}


class WebhookFaults:
    """Webhook delivery faults: delay every delivery, duplicate/drop the next N, reverse the next batch of N."""

    def __init__(self):
        self.lock = threading.Lock()
        self.delay_ms = self.duplicate = self.drop = self.reorder = 0

    def configure(self, delay_ms=None, duplicate=None, drop=None, reorder=None) -> None:
        """Set any of the counters (None leaves one unchanged)."""
        with self.lock:
            for name, value in (("delay_ms", delay_ms), ("duplicate", duplicate), ("drop", drop),
                                ("reorder", reorder)):
                if value is not None:
                    setattr(self, name, int(value))

    def _take(self, name: str) -> bool:
        with self.lock:
            if getattr(self, name) > 0:
                setattr(self, name, getattr(self, name) - 1)
                return True
            return False

    def take_drop(self) -> bool:
        """Consume one 'drop' (True if this delivery must be dropped)."""
        return self._take("drop")

    def take_duplicate(self) -> bool:
        """Consume one 'duplicate' (True if this delivery must be sent twice)."""
        return self._take("duplicate")

    def take_reorder(self) -> int:
        """Batch size to reverse (one-shot), 0 when off."""
        with self.lock:
            size, self.reorder = self.reorder, 0
            return size

    def as_dict(self) -> dict:
        """JSON form."""
        return {"delayMs": self.delay_ms, "duplicate": self.duplicate, "drop": self.drop, "reorder": self.reorder}


class FaultPlan:
    """The world's fault plan; REST calls `before_request` for every request and `search_lag_ms` in search.

    Search lag is not a fault but how Jira's eventually consistent search behaves: `default_search_lag_ms`
    applies to every site unless a site (or `*`) overrides it; clearing the plan removes the overrides.
    """

    def __init__(self, default_search_lag_ms: int = 0):
        self.lock = threading.Lock()
        self.rules: list[Rule] = []
        self.default_search_lag_ms = int(default_search_lag_ms)
        self.search_lag: dict[str, int] = {}
        self.webhooks = WebhookFaults()
        self.applied: list[dict] = []

    def add(self, kind: str, **options) -> Rule:
        """Add a request fault rule."""
        rule = Rule(kind, **options)
        with self.lock:
            self.rules.append(rule)
        return rule

    def set_search_lag(self, site: str, ms: int) -> None:
        """Hide issues from search for `ms` after each write on `site` (0 turns it off)."""
        with self.lock:
            self.search_lag[site] = int(ms)

    def search_lag_ms(self, site_name: str) -> int:
        """The search lag of a site in milliseconds."""
        return self.search_lag.get(site_name, self.search_lag.get("*", self.default_search_lag_ms))

    def clear(self) -> None:
        """Remove every fault and the applied-fault log."""
        with self.lock:
            self.rules.clear()
            self.search_lag.clear()
            self.applied.clear()
        self.webhooks.configure(0, 0, 0, 0)

    def _record(self, site: str, endpoint: str, rule: Rule, **extra) -> None:
        entry = {"site": site, "endpoint": endpoint, "fault": rule.kind, "ruleId": rule.id, **extra}
        self.applied.append(entry)
        del self.applied[:-5000]
        if has_request_context():
            g.setdefault("jirasim_faults", []).append(entry)

    def before_request(self, site_name: str, endpoint: str, method: str | None = None) -> Response | None:
        """Sleep for latency rules, then a 429/5xx Response if a rule fires, else None."""
        delay, failure = 0, None
        with self.lock:
            for rule in self.rules:
                if not rule.applies(site_name, endpoint, method):
                    continue
                if rule.kind == "latency":
                    delay += rule.ms
                    self._record(site_name, endpoint, rule, ms=rule.ms)
                elif failure is None:
                    failure = rule
                    self._record(site_name, endpoint, rule, status=rule.status)
                else:
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
            self.rules = [r for r in self.rules if r.live()]
        if delay:
            time.sleep(delay / 1000)
        return None if failure is None else _response(failure)

    def as_dict(self) -> dict:
        """JSON form of the whole plan."""
        with self.lock:
            return {"rules": [r.as_dict() for r in self.rules], "searchLagMs": dict(self.search_lag),
                    "defaultSearchLagMs": self.default_search_lag_ms,
                    "webhooks": self.webhooks.as_dict(), "applied": list(self.applied[-200:])}


def _response(rule: Rule) -> Response:
    body = {"errorMessages": [BODIES.get(rule.status, "Error.")], "errors": {}}
    headers = {}
    if rule.status == 429 or rule.kind == "rate_limit":
        headers = rate_limit_headers(rule.reason, 100, 0, rule.retry_after)
    elif rule.status == 503:
        headers = {"Retry-After": str(rule.retry_after)}
    return Response(json.dumps(body), status=rule.status, headers=headers, mimetype="application/json")
