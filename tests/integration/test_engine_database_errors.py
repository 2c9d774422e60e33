"""An unexpected database error in a job (a stored pair that clashes with a new one, as when `instance/demo` outlived
a fresh simulator) is an error row with backoff, never a loop of tracebacks once a second."""
import time

from sqlalchemy import select

from plugin.models import DirtyIssue, Link, SyncError, utcnow
from plugin.models.base import aware
from tests.support.eventually import eventually


def _plant_clashing_pairs(engine, sync_id: str, count: int = 20) -> None:
    """Pairs of ACME issues that do not exist with the next GLOBEX ids: the next partner created on globex clashes."""
    next_id = int(engine.installed.site("globex").next_id("issue"))  # consumed: the next create gets the one after
    with engine.runtime.sessions() as session:
        for offset in range(1, count + 1):
            session.add(Link(sync_id=int(sync_id), side1_issue_id=str(990000 + offset), side1_issue_key=f"OLD-{offset}",
                             side2_issue_id=str(next_id + offset), side2_issue_key=f"GLOBEX-OLD{offset}",
                             state="linked", origin_side=1, base={}))
        session.commit()


def _internal_errors(engine, sync_id: str) -> list[SyncError]:
    with engine.runtime.sessions() as session:
        return list(session.scalars(select(SyncError).where(SyncError.sync_id == int(sync_id),
                                                            SyncError.category == "internal")))


def _dirty(engine, sync_id: str, issue_id: str) -> DirtyIssue | None:
    with engine.runtime.sessions() as session:
        return session.scalar(select(DirtyIssue).where(DirtyIssue.sync_id == int(sync_id),
                                                       DirtyIssue.issue_id == issue_id))


def test_a_database_clash_in_a_job_is_an_error_row_in_words_and_the_issue_backs_off(installed, engine):
    sync_id = engine.synchronize()
    engine.settle()
    _plant_clashing_pairs(engine, sync_id)
    key = engine.create("acme", "ACME", "Clashes with a stale pair")
    issue_id = engine.rest("acme", "GET", f"/issue/{key}").json()["id"]

    (error,) = eventually(lambda: _internal_errors(engine, sync_id), timeout=40)
    assert (error.side, error.issue_id, error.state) == (1, issue_id, "open")
    assert error.message.startswith("Work Sync's database refused to store a pair that clashes with one it already "
                                    f"holds while syncing issue {issue_id} of ACME")
    assert "UNIQUE" in error.message or "unique" in error.message  # what the database said, in its words
    assert "[SQL:" not in error.message and "sqlalche.me" not in error.message  # no statement, no library help link
    assert "retries by itself" in error.fix

    first = eventually(lambda: (r := _dirty(engine, sync_id, issue_id)) and r.attempts >= 1 and r, timeout=20)
    assert aware(first.not_before) > utcnow()  # backed off: the next attempt waits (2 s, 4 s, 8 s …)
    time.sleep(6)
    # A 1 s loop would have tried six more times; with the backoff it is at most twice (after 2 s, then 4 s).
    (again,) = _internal_errors(engine, sync_id)
    assert again.count - error.count <= 2
    assert _dirty(engine, sync_id, issue_id).attempts - first.attempts <= 2
