"""The World: every simulated site in one process, with the parts Jira Cloud has around them.

A World owns its sites, one lock over all their state, the fault plan, the rate limiter, the call
counters and request log, the Connect host's webhook delivery and the Forge platform (`world.forge`). Delivery
runs on pools of threads between `start()` and `close()` (or inside `with world:`).
"""
from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable

from jirasim.connect.delivery import PRIMARY, DeliveryPolicy
from jirasim.connect.webhooks import Dispatcher
from jirasim.faults import FaultPlan
from jirasim.forge.host import ForgeHost
from jirasim.forge.policy import ForgePolicy
from jirasim.forge.schema import AtlassianFiles
from jirasim.limits import RateLimiter, RateLimits
from jirasim.store.site import Site

SEARCH_LAG_MS = 200


class World:
    """Several Sites behind one RLock, their faults, rate limits, counters and webhook delivery.

    `delivery` sets how webhooks are delivered (order, retries, lateness), `limits` the rate limits
    (Jira's by default), `search_lag_ms` how long a write stays invisible to search (0: at once), `forge` how
    the Forge platform invokes remotes, and `forge_files` Atlassian's `@forge/manifest` files to validate with.
    """

    def __init__(self, base_url: str = "http://localhost:8080", populate: Callable[[Site], None] | None = None, *,
                 delivery: DeliveryPolicy | None = None, limits: RateLimits | None = None,
                 search_lag_ms: int = SEARCH_LAG_MS, forge: ForgePolicy | None = None,
                 forge_files: AtlassianFiles | None = None):
        self.base_url = base_url.rstrip("/")
        self.sites: dict[str, Site] = {}
        self.lock = threading.RLock()
        self.populate = populate
        self.faults = FaultPlan(search_lag_ms)
        self.limits = RateLimiter(limits)
        self.calls: Counter = Counter()
        self.request_log: deque = deque(maxlen=5000)
        self.webhooks = Dispatcher(self.lock, self.faults.webhooks, delivery)
        self.forge = ForgeHost(self.faults.webhooks, lambda: self.base_url, lambda: list(self.sites.values()),
                               forge, forge_files)
        self.listeners: list[Callable[[Site, dict], None]] = []

    def start(self) -> World:
        """Start delivering webhooks, Forge events and scheduled triggers."""
        self.webhooks.start()
        self.forge.start()
        return self

    def close(self) -> None:
        """Stop delivering webhooks and Forge invocations (queued ones are abandoned)."""
        self.forge.stop()
        self.webhooks.stop()

    def __enter__(self) -> World:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def add_site(self, name: str) -> Site:
        """Create an (empty, or populated by `self.populate`) site."""
        with self.lock:
            if name in self.sites:
                raise ValueError(f"site {name} exists")
            site = Site(self, name)
            self.sites[name] = site
            self._populate(site)
            return site

    def site(self, name: str) -> Site | None:
        """The site with this name, or None."""
        return self.sites.get(name)

    def _populate(self, site: Site) -> None:
        """Fill a new site; its data was indexed long ago, so search sees it at once."""
        if self.populate:
            self.populate(site)
        for issue in site.issues.values():
            issue.writes.clear()

    def emit(self, site: Site, payload: dict, flow: str = PRIMARY, actor: str | None = None) -> None:
        """Queue an event payload for the apps' webhooks and Forge triggers, and hand it to every listener (call
        outside the lock).

        `flow` is Jira's delivery lane: `Primary` for the event itself, `Secondary` for the side effects of
        another change (the comments deleted with their issue), which Jira delivers later. `actor` is the
        accountId of whoever made the change (Forge marks an app's own changes `selfGenerated`).
        """
        self.webhooks.enqueue(site, payload, flow)
        self.forge.product_event(site, payload, flow, actor)
        for listener in list(self.listeners):
            try:
                listener(site, payload)
            except Exception:  # a broken listener must not break the REST call
                pass

    def reset(self) -> None:
        """Recreate every site's data (installed apps and their users survive)."""
        with self.lock:
            for name, old in list(self.sites.items()):
                site = Site(self, name)
                self.sites[name] = site
                self._populate(site)
                site.apps, site.forge_apps = old.apps, old.forge_apps
                for user in old.users.values():
                    if user.is_app:
                        site.add_app_user(user.app_key, user.display_name)
