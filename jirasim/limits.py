"""Jira Cloud's rate limits for apps (enforced since March 2026): per-issue writes, per-endpoint bursts, hourly points.

Three independent limits, each answered with 429 and its own `RateLimit-Reason`:
- `jira-per-issue-on-write`: writes to one issue (20 per 2 s and 100 per 30 s);
- `jira-burst-based`: requests per second to one endpoint and method of one tenant (GET/POST 100, PUT/DELETE 50;
  tests may widen the window, `burst_seconds`, so a lowered limit is reached however slow the machine);
- `jira-quota-global-based`: points per clock hour used by one app across all its tenants, denied until the
  top of the hour. A request costs 1 point, a read 1 more per issue it returns (a simplification of Jira's
  points table, where reads pay per object and writes only the base cost).
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

BURST, PER_ISSUE, QUOTA = "jira-burst-based", "jira-per-issue-on-write", "jira-quota-global-based"
NEAR_LIMIT = 0.2
RESET_FORMAT = "%Y-%m-%dT%H:%MZ"  # Atlassian documents X-RateLimit-Reset as yyyy-MM-ddTHH:mmZ
BODY = {"errorMessages": ["Rate limit exceeded."], "errors": {}}


def _burst_defaults() -> dict[str, int]:
    return {"GET": 100, "POST": 100, "PUT": 50, "DELETE": 50, "PATCH": 50}


@dataclass
class RateLimits:
    """The limits of one World: Jira's numbers by default; tests may lower them (or switch them off)."""

    enabled: bool = True
    people: bool = False  # Basic-auth users are not limited, so host pages and test sessions stay usable
    issue_writes: tuple[tuple[int, float], ...] = ((20, 2.0), (100, 30.0))
    burst: dict[str, int] = field(default_factory=_burst_defaults)
    burst_seconds: float = 1.0
    hourly_points: int = 65000

    def update(self, enabled=None, people=None, issue_writes=None, burst=None, burst_seconds=None,
               hourly_points=None) -> None:
        """Change settings (None leaves one unchanged); `burst` is merged by method, e.g. {"PUT": 5}."""
        if enabled is not None:
            self.enabled = bool(enabled)
        if people is not None:
            self.people = bool(people)
        if issue_writes is not None:
            self.issue_writes = tuple((_positive(int(n), "issue_writes"), _positive(float(s), "issue_writes"))
                                      for n, s in issue_writes)
        if burst is not None:
            self.burst = {**self.burst, **{m.upper(): _positive(int(n), "burst") for m, n in burst.items()}}
        if burst_seconds is not None:
            self.burst_seconds = _positive(float(burst_seconds), "burst_seconds")
        if hourly_points is not None:
            self.hourly_points = _positive(int(hourly_points), "hourly_points")

    def as_dict(self) -> dict:
        """JSON form (as `update` takes it)."""
        return {**asdict(self), "issue_writes": [list(w) for w in self.issue_writes]}


def _positive(value, name: str):
    if value <= 0:
        raise ValueError(f"{name} must be positive")
    return value


def rate_limit_headers(reason: str, limit: int, remaining: int, wait: float, at: float | None = None) -> dict:
    """The headers of a 429: Retry-After in whole seconds (may be 0), the limit, and when it resets."""
    reset = datetime.fromtimestamp((time.time() if at is None else at) + max(0.0, wait), UTC)
    return {"Retry-After": str(int(max(0.0, wait))), "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": reset.strftime(RESET_FORMAT),
            "RateLimit-Reason": reason}


@dataclass(frozen=True)
class Denial:
    """A request refused by a limit: which one, its size, and the seconds until a retry can pass."""
    reason: str
    limit: int
    wait: float

    def headers(self) -> dict:
        """The 429 headers for this denial."""
        return rate_limit_headers(self.reason, self.limit, 0, self.wait)


class RateLimiter:
    """Counts requests against a World's RateLimits (thread-safe)."""

    def __init__(self, limits: RateLimits | None = None):
        self.limits = limits or RateLimits()
        self.lock = threading.Lock()
        self.calls: dict[tuple, deque] = defaultdict(deque)
        self.writes: dict[tuple, deque] = defaultdict(deque)
        self.points: dict[tuple[str, int], int] = defaultdict(int)

    def admit(self, tenant: str, client: str, method: str, endpoint: str, issue: str | None = None
              ) -> Denial | bool:
        """Count one request of `client` (an app key) on `tenant`; a Denial, or whether a limit is nearly used up.

        `issue` is the issue a write changes (None for reads and for writes that change no existing issue).
        """
        limits, moment = self.limits, time.monotonic()
        with self.lock:
            quota = self._quota_denial(client)
            if quota is not None:
                return quota
            near = False
            cap = limits.burst.get(method.upper())
            window = limits.burst_seconds
            calls = _recent(self.calls[(tenant, method.upper(), endpoint)], moment, window)
            if cap is not None:
                if len(calls) >= cap:
                    return Denial(BURST, cap, calls[-cap] + window - moment)
                near = cap - len(calls) - 1 < cap * NEAR_LIMIT
            writes = None
            if issue is not None and limits.issue_writes:
                writes = _recent(self.writes[(tenant, issue)], moment, max(s for _, s in limits.issue_writes))
                for count, seconds in limits.issue_writes:
                    within = [s for s in writes if s > moment - seconds]
                    if len(within) >= count:
                        return Denial(PER_ISSUE, count, within[-count] + seconds - moment)
                    near = near or count - len(within) - 1 < count * NEAR_LIMIT
                writes.append(moment)
            calls.append(moment)
            return near

    def charge(self, client: str, points: int) -> bool:
        """Charge `points` to the app's hourly quota; whether less than 20% of it is left."""
        hour = int(time.time() // 3600)
        with self.lock:
            for key in [k for k in self.points if k[1] != hour]:
                del self.points[key]
            self.points[(client, hour)] += points
            return self.limits.hourly_points - self.points[(client, hour)] < self.limits.hourly_points * NEAR_LIMIT

    def _quota_denial(self, client: str) -> Denial | None:
        stamp = time.time()
        hour = int(stamp // 3600)
        if self.points.get((client, hour), 0) >= self.limits.hourly_points:
            return Denial(QUOTA, self.limits.hourly_points, (hour + 1) * 3600 - stamp)
        return None

    def configure(self, **settings) -> RateLimits:
        """Change the limits (see RateLimits.update)."""
        with self.lock:
            self.limits.update(**settings)
            return self.limits

    def reset(self) -> None:
        """Forget every count (as if an hour had passed and nobody had called)."""
        with self.lock:
            self.calls.clear()
            self.writes.clear()
            self.points.clear()

    def as_dict(self) -> dict:
        """JSON form: the limits and the points each app used this hour."""
        hour = int(time.time() // 3600)
        with self.lock:
            used = {client: points for (client, h), points in self.points.items() if h == hour}
            return {**self.limits.as_dict(), "pointsUsed": used}


def _recent(stamps: deque, moment: float, seconds: float) -> deque:
    while stamps and stamps[0] <= moment - seconds:
        stamps.popleft()
    return stamps
