"""Scheduled triggers: each installation's `scheduledTrigger` modules fire on their interval (tunable), or on demand."""
from __future__ import annotations

import threading
import time


class Scheduler:
    """A thread that fires every scheduled trigger of every installation when its interval has passed.

    The first invocation comes one interval after the trigger is first seen (Forge starts them shortly after
    deployment); changing the intervals restarts every schedule, as Forge does when the module changes.
    """

    def __init__(self, policy, sites, fire, tick: float = 0.05):
        """`sites()` lists the World's sites; `fire(site, inst, trigger)` queues one invocation."""
        self.policy, self.sites, self.fire, self.tick = policy, sites, fire, tick
        self.due: dict[tuple, float] = {}
        self.cond = threading.Condition()
        self.thread: threading.Thread | None = None
        self.stopped = False

    def _triggers(self):
        for site in list(self.sites()):
            for inst in list(site.forge_apps.values()):
                for trigger in inst.manifest.scheduled:
                    yield site, inst, trigger

    def run_due(self) -> int:
        """Fire what is due now; the number fired."""
        fired, moment, seen = 0, time.monotonic(), set()
        for site, inst, trigger in self._triggers():
            key = (site.name, inst.installation_id, trigger.key)
            seen.add(key)
            interval = self.policy.intervals.get(trigger.interval or "", 300.0)
            with self.cond:
                due = self.due.setdefault(key, moment + interval)
                if moment < due:
                    continue
                self.due[key] = moment + interval
            self.fire(site, inst, trigger)
            fired += 1
        with self.cond:
            for key in set(self.due) - seen:  # uninstalled or removed from the manifest
                del self.due[key]
        return fired

    def fire_now(self, site, inst, key: str | None = None) -> list[str]:
        """Fire one trigger (by key) or all of an installation now; the keys fired. The schedule carries on."""
        fired = []
        for trigger in inst.manifest.scheduled:
            if key in (None, trigger.key):
                self.fire(site, inst, trigger)
                fired.append(trigger.key)
        return fired

    def restart(self) -> None:
        """Start every schedule afresh (after the intervals changed)."""
        with self.cond:
            self.due.clear()
            self.cond.notify_all()

    def start(self) -> None:
        """Start the ticking thread (once)."""
        with self.cond:
            if self.thread is not None:
                return
            self.stopped = False
            self.thread = threading.Thread(target=self._run, name="jirasim-forge-schedule", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        """Stop ticking."""
        with self.cond:
            self.stopped, thread, self.thread = True, self.thread, None
            self.cond.notify_all()
        if thread is not None:
            thread.join(5)

    def _run(self) -> None:
        while True:
            with self.cond:
                if self.stopped:
                    return
                self.cond.wait(self.tick)
                if self.stopped:
                    return
            try:
                self.run_due()
            except Exception:  # a broken manifest must not stop the schedule of the others
                pass
