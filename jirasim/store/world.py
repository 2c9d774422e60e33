"""The World: every simulated site in one process, one lock, listeners, faults, call counters and request log."""
from __future__ import annotations

import threading
from collections import Counter, deque
from typing import Callable

from jirasim.store.site import Site


class NoFaults:
    """Default fault plan: never injects anything."""

    def before_request(self, site_name: str, endpoint: str):
        """No fault: None."""
        return None

    def search_lag_ms(self, site_name: str) -> int:
        """No search lag."""
        return 0


class World:
    """Holds several Sites; one RLock guards all state."""

    def __init__(self, base_url: str = "http://localhost:8080", populate: Callable[[Site], None] | None = None):
        self.base_url = base_url.rstrip("/")
        self.sites: dict[str, Site] = {}
        self.lock = threading.RLock()
        self.listeners: list[Callable[[Site, dict], None]] = []
        self.faults = NoFaults()
        self.calls: Counter = Counter()
        self.request_log: deque = deque(maxlen=5000)
        self.populate = populate

    def add_site(self, name: str) -> Site:
        """Create an (empty, or populated by `self.populate`) site."""
        with self.lock:
            if name in self.sites:
                raise ValueError(f"site {name} exists")
            site = Site(self, name)
            self.sites[name] = site
            if self.populate:
                self.populate(site)
            return site

    def site(self, name: str) -> Site | None:
        """The site with this name, or None."""
        return self.sites.get(name)

    def emit(self, site: Site, payload: dict) -> None:
        """Call every listener with an event payload (call this outside the lock)."""
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
                if self.populate:
                    self.populate(site)
                site.apps = old.apps
                for user in old.users.values():
                    if user.is_app:
                        site.add_app_user(user.app_key)
