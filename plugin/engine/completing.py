"""Finishing a create, one issue or a bulk page alike: the partner moved to its mapped status, the base stored from
both issues as they now are, the link completed, then comments and attachments carried."""
from __future__ import annotations

from plugin.engine import carry, links
from plugin.engine.core.mapping import PersonMatcher
from plugin.engine.core.model import IssueRead, other
from plugin.engine.core.plan import base_after_create
from plugin.engine.passes import SyncPass
from plugin.models import utcnow
from plugin.models.links import Link


def finish(run: SyncPass, link: Link, source: IssueRead, created: IssueRead, status: str | None,
           matcher: PersonMatcher) -> None:
    """Complete the link of `source` and its new partner `created` (read after the create)."""
    moved = run.reach_status(created, status)
    issues = {source.side: source, other(source.side): created}
    link.base = base_after_create(run.rules(issues, matcher), run.compiled.status, source, created,
                                  run.sync.tenant(created.side).app_account_id)
    links.complete(link, created.side, created.id, created.key)
    link.set_updated(source.side, source.updated)
    link.set_updated(created.side, None if moved else created.updated)  # a transition changed `updated` again
    link.last_synced_at = utcnow()
    run.session.commit()
    carry.carry_all(run, link, issues, matcher)
