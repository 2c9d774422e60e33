"""Components and versions paired per synchronization: side 1's id and its partner's on side 2, read once per write
and recorded when a value is first matched by name or created (`ValueLink`)."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugin.models.links import ValueLink


def pairs(session: Session, sync_id: int, kind: str) -> dict[int, dict[str, str]]:
    """{side: {that side's id: its partner's id}} of one kind ("components" or "versions"), in one query."""
    found: dict[int, dict[str, str]] = {1: {}, 2: {}}
    for side1_id, side2_id in session.execute(select(ValueLink.side1_id, ValueLink.side2_id)
                                              .where(ValueLink.sync_id == sync_id, ValueLink.kind == kind)):
        found[1][side1_id], found[2][side2_id] = side2_id, side1_id
    return found


def record(session: Session, sync_id: int, kind: str, ids: dict[int, str]) -> None:
    """Pair ids[1] with ids[2]; a pass that paired either of them a moment earlier keeps its pair (no error, and the
    session's other pending work is untouched: no rollback)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(ValueLink).values(sync_id=sync_id, kind=kind, side1_id=ids[1], side2_id=ids[2])
                    .on_conflict_do_nothing())


def unpair(session: Session, sync_id: int, kind: str, side: int, value_id: str) -> None:
    """Forget the pair of a value that is gone from its project (deleted in Jira)."""
    column = ValueLink.side1_id if side == 1 else ValueLink.side2_id
    session.execute(delete(ValueLink).where(ValueLink.sync_id == sync_id, ValueLink.kind == kind,
                                            column == value_id), execution_options={"synchronize_session": False})


def forget(session: Session, sync_id: int) -> None:
    """Drop every pair of a synchronization (it was deleted)."""
    session.execute(delete(ValueLink).where(ValueLink.sync_id == sync_id),
                    execution_options={"synchronize_session": False})
