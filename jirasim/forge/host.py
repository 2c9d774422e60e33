"""The Forge platform of a World: keys and tokens, the invocation sender, the schedule, Atlassian's files if given."""
from __future__ import annotations

import secrets

from jirasim.forge import events
from jirasim.forge.delivery import Invocation, Sender
from jirasim.forge.policy import ForgePolicy
from jirasim.forge.schedule import Scheduler
from jirasim.forge.schema import AtlassianFiles
from jirasim.forge.tokens import SystemTokens


def _context(inst, module_key: str) -> dict:
    return {"cloudId": inst.cloud_id, "moduleKey": module_key}


class ForgeHost:
    """Everything Forge does around the sites: sends events and triggers to remotes, mints tokens.

    `sim_url()` is the simulator's base URL now, `sites()` lists the World's sites, `faults` are the World's
    webhook faults (delay, duplicate, drop), which apply to Forge invocations as to Connect webhooks.
    """

    def __init__(self, faults, sim_url, sites, policy: ForgePolicy | None = None,
                 files: AtlassianFiles | None = None):
        self.policy = policy or ForgePolicy()
        self.sim_url = sim_url
        self.tokens = SystemTokens()
        self.sender = Sender(faults, self.policy, sim_url, self.tokens)
        self.scheduler = Scheduler(self.policy, sites, self.scheduled)
        self.files = files

    def start(self) -> None:
        """Start sending and the schedule."""
        self.sender.start()
        self.scheduler.start()

    def stop(self) -> None:
        """Stop sending and the schedule."""
        self.scheduler.stop()
        self.sender.stop()

    def configure(self, **settings) -> ForgePolicy:
        """Change the policy (see ForgePolicy.update); new intervals restart every schedule."""
        self.policy.update(**settings)
        if settings.get("intervals"):
            self.scheduler.restart()
        return self.policy

    def product_event(self, site, payload: dict, flow: str, actor: str | None) -> None:
        """Queue the Forge event of a Jira event for every trigger subscribed to it (and not ignoring it)."""
        event = events.forge_event(payload, flow, actor) if site.forge_apps else None
        if event is None:
            return
        items = []
        for inst in list(site.forge_apps.values()):
            own = actor is not None and actor == inst.account_id
            for trigger in inst.manifest.subscribers(event["eventType"]):
                if own and trigger.ignore_self:
                    continue
                body = {**event, "selfGenerated": own, "context": _context(inst, trigger.key)}
                items.append(Invocation(site, inst, inst.manifest.endpoints[trigger.endpoint], body, "event"))
        self.sender.enqueue(items)

    def lifecycle(self, site, inst, event_type: str, body: dict) -> int:
        """Queue a lifecycle event for the triggers subscribed to it; how many were queued."""
        items = [Invocation(site, inst, inst.manifest.endpoints[t.endpoint],
                            {**body, "eventType": event_type, "context": _context(inst, t.key)}, "lifecycle")
                 for t in inst.manifest.subscribers(event_type)]
        self.sender.enqueue(items)
        return len(items)

    def scheduled(self, site, inst, trigger) -> None:
        """Queue one scheduled-trigger invocation."""
        body = {"context": _context(inst, trigger.key), "contextToken": secrets.token_urlsafe(32)}
        self.sender.enqueue([Invocation(site, inst, inst.manifest.endpoints[trigger.endpoint], body, "scheduled")])

    def flush(self, timeout: float = 10.0, skip_delays: bool = False) -> bool:
        """Wait until every invocation has finished."""
        return self.sender.flush(timeout, skip_delays)

    def clear(self) -> None:
        """Forget queued invocations and their log."""
        self.sender.clear()
