"""What Jira's answers say of its limits before they bite (2026): the hourly points quotas (`RateLimit-Policy`
`"global-app-quota";q=…;w=3600` and `RateLimit` `"global-app-quota";r=…;t=…`, and their `Beta-` twins for the
per-tenant quota, `"tenant-app-quota"`), and `X-RateLimit-NearLimit: true` (less than a fifth of a limit left).
Parsed here; the guard acts on it (slows a site down before the 429)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

NEAR_SHARE = 0.2  # Jira says "near" when less than this share of a limit is left
_ITEM = re.compile(r'\s*"?(?P<name>[^";,]+)"?\s*(?P<params>(?:;\s*[a-z]+\s*=\s*[^;,]+)*)')
_PARAM = re.compile(r';\s*([a-z]+)\s*=\s*([^;,]+)')
HEADERS = (("RateLimit-Policy", "RateLimit"), ("Beta-RateLimit-Policy", "Beta-RateLimit"))
NEAR_HEADERS = ("X-RateLimit-NearLimit", "X-Beta-RateLimit-NearLimit")


@dataclass(frozen=True)
class Quota:
    """One quota as an answer states it: its policy name, size (points per window), what is left and when it resets
    (seconds from now); a figure Jira did not send is None."""

    policy: str
    quota: int | None
    window: int | None
    remaining: int | None
    reset: int | None

    @property
    def used(self) -> int | None:
        """Points used in this window (quota minus what is left)."""
        return None if self.quota is None or self.remaining is None else max(0, self.quota - self.remaining)

    @property
    def near(self) -> bool:
        """Less than a fifth of the quota left."""
        return self.quota is not None and self.remaining is not None and self.remaining < self.quota * NEAR_SHARE


def _items(value: str | None) -> dict[str, dict[str, int]]:
    """A structured-field list (`"name";k=v;k=v, "other";…`) as {name: {k: int}}."""
    found: dict[str, dict[str, int]] = {}
    for part in (value or "").split(","):
        match = _ITEM.match(part)
        if not match or not match.group("name").strip():
            continue
        params = {}
        for key, raw in _PARAM.findall(match.group("params") or ""):
            try:
                params[key] = int(float(raw.strip().strip('"')))
            except ValueError:
                continue
        found[match.group("name").strip()] = params
    return found


def quotas(headers: Mapping[str, str] | None) -> list[Quota]:
    """Every quota the headers state (global and per tenant), from the policy and the current-state headers."""
    if not headers:
        return []
    result = []
    for policy_header, state_header in HEADERS:
        policies, states = _items(headers.get(policy_header)), _items(headers.get(state_header))
        for name in dict.fromkeys([*policies, *states]):
            policy, state = policies.get(name, {}), states.get(name, {})
            result.append(Quota(name, policy.get("q"), policy.get("w"), state.get("r"), state.get("t")))
    return result


def near_limit(headers: Mapping[str, str] | None) -> bool:
    """Whether the answer says a limit is nearly used up (the header, or a stated quota under a fifth)."""
    if not headers:
        return False
    flagged = any(str(headers.get(name, "")).strip().lower() == "true" for name in NEAR_HEADERS)
    return flagged or any(q.near for q in quotas(headers))
