"""Tenant-scoped queries of synchronizations: every query takes the calling site, so forgetting it is impossible."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, not_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from plugin.errors import NotFound, Unprocessable
from plugin.models import Tenant
from plugin.models.syncs import ACTIVE, DECLINED, REQUESTED, Synchronization
from plugin.syncs import status as st

MAX_PER_PAGE = 100
# Ids are 1 to 18 ASCII digits (below 2**63, so every database takes them); `1_0`, ` 10` or `١٠` alias nothing.
ID = re.compile(r"[0-9]{1,18}")
S = Synchronization


@dataclass(frozen=True)
class Page:
    """One page of synchronizations as the caller's site sees them: (sync, side) pairs."""

    rows: list[tuple[Synchronization, int]]
    page: int
    per_page: int
    total: int


def _as_side(side: int, tenant: Tenant, project_id: str | None) -> ColumnElement[bool]:
    tenant_column = S.side1_tenant_id if side == 1 else S.side2_tenant_id
    project_column = S.side1_project_id if side == 1 else S.side2_project_id
    clause = tenant_column == tenant.id
    if project_id is not None:
        clause = and_(clause, project_column == project_id)
    if side == 2:  # a declined request is gone from side 2's lists
        clause = and_(clause, S.state != DECLINED)
    return clause


def _visible(tenant: Tenant, project_id: str | None) -> ColumnElement[bool]:
    return and_(S.deleted_at.is_(None), _as_side(1, tenant, project_id) | _as_side(2, tenant, project_id))


def _with_status(tenant: Tenant, project_id: str | None, wanted: str) -> ColumnElement[bool]:
    as1 = _as_side(1, tenant, project_id)
    if wanted == st.REQUEST_SENT:
        return and_(as1, S.state == REQUESTED)
    if wanted == st.INCOMING_REQUEST:  # when a site is both sides it reads the row as side 1
        return and_(not_(as1), S.state == REQUESTED)
    if wanted == st.STATUS_DECLINED:
        return and_(as1, S.state == DECLINED)
    if wanted in (st.RUNNING, st.STOPPED):
        return and_(S.state == ACTIVE, S.running.is_(wanted == st.RUNNING))
    return false()


def _side_seen(sync: Synchronization, tenant: Tenant, project_id: str | None) -> int:
    if sync.side1_tenant_id == tenant.id and (project_id is None or sync.side1_project_id == project_id):
        return 1
    return 2


def check_status(value: str | None) -> str | None:
    """A status filter, or Unprocessable naming the valid ones."""
    if value is not None and value not in st.STATUSES:
        raise Unprocessable(f"status must be one of {', '.join(st.STATUSES)}",
                            [{"path": "status", "message": f"unknown status {value!r}"}])
    return value


def _where(tenant: Tenant, project_id: str | None, status: str | None) -> ColumnElement[bool]:
    clause = _visible(tenant, project_id)
    return clause if status is None else and_(clause, _with_status(tenant, project_id, status))


def query(tenant: Tenant, project_id: str | None = None, status: str | None = None):
    """SELECT of the synchronizations the site sees (of one project, in one status), tenants loaded with them."""
    related = (joinedload(S.side1_tenant, innerjoin=True), joinedload(S.side2_tenant, innerjoin=True),
               selectinload(S.drafts))
    return select(S).where(_where(tenant, project_id, status)).options(*related)


def page_of(session: Session, tenant: Tenant, *, project_id: str | None = None, status: str | None = None,
            page: int = 1, per_page: int = 25) -> Page:
    """One page of the site's synchronizations, ordered by name: three SQL queries whatever the page size."""
    check_status(status)
    page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
    total = session.scalar(select(func.count(S.id)).where(_where(tenant, project_id, status)))
    rows = session.scalars(query(tenant, project_id, status).order_by(func.lower(S.name), S.id)
                           .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page([(sync, _side_seen(sync, tenant, project_id)) for sync in rows], page, per_page, total or 0)


def all_of(session: Session, tenant: Tenant, *, project_id: str | None = None,
           status: str | None = None) -> list[Synchronization]:
    """Every synchronization the site sees (of one project, in one status), for bulk actions."""
    check_status(status)
    return list(session.scalars(query(tenant, project_id, status).order_by(S.id)).unique().all())


def id_number(value: str | int) -> int | None:
    """The number of an id in a path or body, or None when it is not 1 to 18 ASCII digits (the caller answers 404)."""
    text = str(value)
    return int(text) if ID.fullmatch(text) else None


def get(session: Session, tenant: Tenant, sync_id: str | int, *, for_update: bool = False) -> Synchronization:
    """The synchronization if the site takes part and may see it; NotFound otherwise (never another site's)."""
    number = id_number(sync_id)
    if number is None:
        raise NotFound(f"no synchronization {str(sync_id)[:40]!r} on this site")
    selected = query(tenant).where(S.id == number)
    if for_update:
        selected = selected.with_for_update(of=S)
    sync = session.scalars(selected).unique().one_or_none()
    if sync is None:
        raise NotFound(f"no synchronization {sync_id} on this site")
    return sync


def get_many(session: Session, tenant: Tenant, sync_ids: list[str]) -> list[Synchronization]:
    """The synchronizations with these ids, all of which the site must see; NotFound naming the first unknown."""
    numbers = []
    for sync_id in sync_ids:
        number = id_number(sync_id)
        if number is None:
            raise NotFound(f"no synchronization {str(sync_id)[:40]!r} on this site")
        numbers.append(number)
    found = {s.id: s for s in session.scalars(query(tenant).where(S.id.in_(numbers)).with_for_update(of=S)).unique()}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise NotFound(f"no synchronization {missing[0]} on this site")
    return [found[n] for n in dict.fromkeys(numbers)]
