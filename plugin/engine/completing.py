"""Finishing a create, one issue or a bulk page alike: the partner moved to its mapped status, the base stored from
both issues as they now are, the link completed, then comments and attachments carried."""
from __future__ import annotations

from datetime import timedelta

from plugin.engine import carry, links
from plugin.engine.core.mapping import PersonMatcher
from plugin.engine.core.model import IssueRead, other
from plugin.engine.core.plan import base_after_create
from plugin.engine.core.values import utc_format
from plugin.engine.passes import SyncPass
from plugin.models import utcnow
from plugin.models.links import Link

INTENT_MARGIN = timedelta(seconds=5)


def finish(run: SyncPass, link: Link, source: IssueRead, created: IssueRead, status: str | None,
           matcher: PersonMatcher) -> None:
    """Complete the link of `source` and its new partner `created` (read after the create)."""
    moved = run.reach_status(created, status)
    issues = {source.side: source, other(source.side): created}
    apps = {side: run.sync.tenant(side).app_account_id for side in (1, 2)}
    # Changes of the source since a few seconds before its intent (clocks of Jira and Work Sync may differ; one
    # the create already carried changes nothing) are ones the create may not have written.
    since = utc_format(link.created_at - INTENT_MARGIN) if link.created_at else ""
    link.base = base_after_create(run.rules(issues, matcher), run.compiled.status, source, created, apps, since)
    links.complete(link, created.side, created.id, created.key)
    link.set_updated(source.side, source.updated)
    link.set_updated(created.side, None if moved else created.updated)  # a transition changed `updated` again
    link.last_synced_at = utcnow()
    run.session.commit()
    carry.carry_all(run, link, issues, matcher)
