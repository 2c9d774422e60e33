"""A webhook delivery, the delivery policy (order, retries, lateness) and how an app's answer is judged."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from jirasim.store.apps import Installation
from jirasim.store.site import Site

PRIMARY, SECONDARY = "Primary", "Secondary"
# Jira retries a delivery on these answers, on any 5xx, and when the connection fails or times out.
RETRY_STATUSES = frozenset({408, 409, 425, 429})


def verdict(status: int | None) -> str:
    """`delivered` (2xx), `retry` (no answer, 408/409/425/429, 5xx) or `rejected` (any other answer)."""
    if status is None or status in RETRY_STATUSES or status >= 500:
        return "retry"
    return "delivered" if 200 <= status < 300 else "rejected"


@dataclass
class Delivery:
    """One webhook event for one app; `delivery_id` is reused across retries and duplicates."""
    delivery_id: str
    site: Site
    inst: Installation
    webhook: dict
    payload: dict
    flow: str = PRIMARY
    entry: dict = field(default_factory=dict)
    due: float = 0.0
    retry: int = 0
    copies: int = 0
    lane: tuple | None = None
    generation: int = 0


@dataclass
class DeliveryPolicy:
    """How webhooks are delivered. Jira's own delays are minutes; these defaults are short so tests stay fast."""

    strict_order: bool = False
    """Jira promises no order; True sends each site's deliveries to an app one at a time, in event order."""
    strict_sites: dict[str, bool] = field(default_factory=dict)
    """Per-site override of `strict_order`."""
    retries: int = 5
    """Jira retries a failing delivery up to 5 times."""
    retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)
    """Seconds before retry 1, 2, ... (the last repeats); Jira spreads its retries over up to 30 minutes."""
    secondary_delay: float = 0.3
    """Seconds a Secondary-flow delivery waits; Jira allows the Secondary flow up to 15 minutes."""
    scatter: float = 0.05
    """Each unordered delivery leaves after a random 0..scatter seconds, so arrival order differs from event order."""
    timeout: float = 10.0
    """Seconds the app has to answer before the attempt counts as a timeout (and is retried)."""
    workers: int = 4
    """Sender threads: this many deliveries can be in flight at once (fixed once the World has started)."""

    def strict_for(self, site_name: str) -> bool:
        """Whether deliveries from this site go in strict order."""
        return self.strict_sites.get(site_name, self.strict_order)

    def retry_delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        delays = self.retry_delays or (0.0,)
        return float(delays[min(retry, len(delays)) - 1])

    def update(self, strict_order=None, site=None, retries=None, retry_delays=None, secondary_delay=None,
               scatter=None, timeout=None, workers=None) -> None:
        """Change settings (None leaves one unchanged); with `site`, `strict_order` applies to that site only."""
        if strict_order is not None:
            if site:
                self.strict_sites[site] = bool(strict_order)
            else:
                self.strict_order, self.strict_sites = bool(strict_order), {}
        if retries is not None:
            self.retries = _non_negative(int(retries), "retries")
        if retry_delays is not None:
            self.retry_delays = tuple(_non_negative(float(d), "retry_delays") for d in retry_delays)
        for name, value in (("secondary_delay", secondary_delay), ("scatter", scatter)):
            if value is not None:
                setattr(self, name, _non_negative(float(value), name))
        if timeout is not None:
            if float(timeout) <= 0:
                raise ValueError("timeout must be positive")
            self.timeout = float(timeout)
        if workers is not None:
            self.workers = max(1, int(workers))

    def as_dict(self) -> dict:
        """JSON form (snake_case, as `update` takes it)."""
        return {**asdict(self), "retry_delays": list(self.retry_delays)}


def _non_negative(value, name: str):
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
