"""Jira Cloud's rate limits for apps (enforced since March 2026): per-issue writes, per-endpoint bursts, hourly points.

Three independent limits, each answered with 429 and its own `RateLimit-Reason`:
- `jira-per-issue-on-write`: writes to one issue (20 per 2 s and 100 per 30 s);
- `jira-burst-based`: requests per second to one endpoint and method of one tenant (GET/POST 100, PUT/DELETE 50;
  tests may widen the window, `burst_seconds`, so a lowered limit is reached however slow the machine);
- `jira-quota-global-based`: points per clock hour used by one app across all its tenants, denied until the
  top of the hour. A request costs 1 point, a read 1 more per issue it returns (a simplification of Jira's
  points table, where reads pay per object and writes only the base cost);
- `jira-quota-tenant-based`: points per clock hour used by one app on one tenant (the tiered quota), denied until
  the top of the hour, on that tenant only.

Every answer to an app states both quotas as Atlassian documents them (structured fields, `q` the quota, `w`
the window in seconds, `r` what is left, `t` seconds until it resets): `RateLimit-Policy: "global-app-quota";
q=65000;w=3600` with `RateLimit: "global-app-quota";r=…;t=…`, and the tenant quota as `Beta-RateLimit-Policy:
"tenant-app-quota";q=…;w=3600` with `Beta-RateLimit: "tenant-app-quota";r=…;t=…`; `X-RateLimit-NearLimit: true`
when less than a fifth of a limit is left (the quotas, a burst or a per-issue limit).
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

BURST, PER_ISSUE, QUOTA = "jira-burst-based", "jira-per-issue-on-write", "jira-quota-global-based"
TENANT_QUOTA = "jira-quota-tenant-based"
GLOBAL_POLICY, TENANT_POLICY = "global-app-quota", "tenant-app-quota"
HOUR = 3600
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
    tenant_points: int = 100000

    def update(self, enabled=None, people=None, issue_writes=None, burst=None, burst_seconds=None,
               hourly_points=None, tenant_points=None) -> None:
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
        if tenant_points is not None:
            self.tenant_points = _positive(int(tenant_points), "tenant_points")

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
        self.tenant_used: dict[tuple[str, str, int], int] = defaultdict(int)

    def admit(self, tenant: str, client: str, method: str, endpoint: str, issue: str | None = None
              ) -> Denial | bool:
        """Count one request of `client` (an app key) on `tenant`; a Denial, or whether a limit is nearly used up.

        `issue` is the issue a write changes (None for reads and for writes that change no existing issue).
        """
        limits, moment = self.limits, time.monotonic()
        with self.lock:
            quota = self._quota_denial(client) or self._tenant_denial(tenant, client)
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

    def charge(self, client: str, points: int, tenant: str | None = None) -> bool:
        """Charge `points` to the app's hourly quota (and its quota on `tenant`); whether less than 20% of either
        is left."""
        hour = int(time.time() // HOUR)
        with self.lock:
            for key in [k for k in self.points if k[1] != hour]:
                del self.points[key]
            for key in [k for k in self.tenant_used if k[2] != hour]:
                del self.tenant_used[key]
            self.points[(client, hour)] += points
            near = self.limits.hourly_points - self.points[(client, hour)] < self.limits.hourly_points * NEAR_LIMIT
            if tenant is not None:
                self.tenant_used[(tenant, client, hour)] += points
                left = self.limits.tenant_points - self.tenant_used[(tenant, client, hour)]
                near = near or left < self.limits.tenant_points * NEAR_LIMIT
            return near

    def quota_headers(self, client: str, tenant: str | None = None) -> dict:
        """The quota headers of an answer to `client` on `tenant`: each hourly quota's policy and what is left."""
        stamp = time.time()
        hour, reset = int(stamp // HOUR), int((int(stamp // HOUR) + 1) * HOUR - stamp)
        limits = self.limits
        with self.lock:
            used = self.points.get((client, hour), 0)
            headers = {"RateLimit-Policy": f'"{GLOBAL_POLICY}";q={limits.hourly_points};w={HOUR}',
                       "RateLimit": f'"{GLOBAL_POLICY}";r={max(0, limits.hourly_points - used)};t={reset}'}
            if tenant is not None:
                used = self.tenant_used.get((tenant, client, hour), 0)
                headers["Beta-RateLimit-Policy"] = f'"{TENANT_POLICY}";q={limits.tenant_points};w={HOUR}'
                headers["Beta-RateLimit"] = f'"{TENANT_POLICY}";r={max(0, limits.tenant_points - used)};t={reset}'
        return headers

    def _tenant_denial(self, tenant: str, client: str) -> Denial | None:
        stamp = time.time()
        hour = int(stamp // HOUR)
        if self.tenant_used.get((tenant, client, hour), 0) >= self.limits.tenant_points:
            return Denial(TENANT_QUOTA, self.limits.tenant_points, (hour + 1) * HOUR - stamp)
        return None

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
            self.tenant_used.clear()

    def as_dict(self) -> dict:
        """JSON form: the limits and the points each app used this hour."""
        hour = int(time.time() // 3600)
        with self.lock:
            used = {client: points for (client, h), points in self.points.items() if h == hour}
            per_tenant: dict[str, dict[str, int]] = {}
            for (tenant, client, h), points in self.tenant_used.items():
                if h == hour:
                    per_tenant.setdefault(tenant, {})[client] = points
            return {**self.limits.as_dict(), "pointsUsed": used, "tenantPointsUsed": per_tenant}


def _recent(stamps: deque, moment: float, seconds: float) -> deque:
    while stamps and stamps[0] <= moment - seconds:
        stamps.popleft()
    return stamps
