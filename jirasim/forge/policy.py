"""How the Forge platform behaves in the simulator: timeouts, retries, token lifetimes, trigger intervals."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

INTERVAL_SECONDS = {"fiveMinute": 300.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0}


@dataclass
class ForgePolicy:
    """Forge's documented numbers, except the retry delays (Forge waits 60 s), short so tests stay fast."""

    timeout: float = 5.0
    """Seconds an event or scheduled-trigger invocation may take before it counts as a timeout."""
    retries: int = 4
    """Forge retries a failed event or scheduled-trigger invocation up to 4 times."""
    retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4)
    """Seconds before retry 1, 2, ... (the last repeats); Forge waits 60 s per retry."""
    scatter: float = 0.05
    """Each invocation leaves after a random 0..scatter seconds: Forge promises no order."""
    invoke_timeout: float = 25.0
    """Seconds a UI module's `invokeRemote` waits for the remote (never retried)."""
    fit_ttl: int = 25
    """Seconds between a FIT's `iat` and its `exp`."""
    system_token_ttl: float = 4 * 3600.0
    """Lifetime of a new app system token (Forge: at most 4 h; a cached one is handed out for its first half)."""
    user_token_ttl: float = 3600.0
    """Lifetime (the `ttl` answered) of a user token of offline user impersonation."""
    user_tokens_per_minute: int = 1000
    """Offline user impersonation tokens an app may request per minute (Forge's invocation limit)."""
    intervals: dict[str, float] = field(default_factory=lambda: dict(INTERVAL_SECONDS))
    """Seconds per scheduled-trigger interval name."""
    workers: int = 4
    """Sender threads (fixed once the World has started)."""

    def retry_delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        delays = self.retry_delays or (0.0,)
        return float(delays[min(retry, len(delays)) - 1])

    def update(self, timeout=None, retries=None, retry_delays=None, scatter=None, invoke_timeout=None, fit_ttl=None,
               system_token_ttl=None, intervals=None, workers=None, user_token_ttl=None,
               user_tokens_per_minute=None) -> None:
        """Change settings (None leaves one unchanged); `intervals` is merged by name."""
        for name, value in (("timeout", timeout), ("invoke_timeout", invoke_timeout),
                            ("system_token_ttl", system_token_ttl)):
            if value is not None:
                setattr(self, name, _positive(float(value), name))
        if fit_ttl is not None:
            self.fit_ttl = int(_positive(int(fit_ttl), "fit_ttl"))
        if user_tokens_per_minute is not None:
            self.user_tokens_per_minute = int(_positive(int(user_tokens_per_minute), "user_tokens_per_minute"))
        if retries is not None:
            self.retries = int(_not_negative(int(retries), "retries"))
        if retry_delays is not None:
            self.retry_delays = tuple(_not_negative(float(d), "retry_delays") for d in retry_delays)
        if scatter is not None:
            self.scatter = _not_negative(float(scatter), "scatter")
        for name, seconds in (intervals or {}).items():
            if name not in INTERVAL_SECONDS:
                raise ValueError(f"unknown interval {name!r}; use one of {', '.join(INTERVAL_SECONDS)}")
            self.intervals[name] = _positive(float(seconds), "intervals")
        if workers is not None:
            self.workers = max(1, int(workers))

    def as_dict(self) -> dict:
        """JSON form (snake_case, as `update` takes it)."""
        return {**asdict(self), "retry_delays": list(self.retry_delays)}


def _positive(value, name: str):
    if value <= 0:
        raise ValueError(f"{name} must be positive")
    return value


def _not_negative(value, name: str):
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
