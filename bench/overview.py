"""The synchronizations overview at scale: one page of the list with 1,000 and 10,000 synchronizations on a site."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from bench import results
from plugin.db import make_engine, make_session_factory, migrate
from plugin.models import Tenant
from plugin.models.syncs import ACTIVE, Synchronization, pair_key
from plugin.syncs import scope
from plugin.web.api.render import sync_json

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _databases():
    """(label, URL) of a fresh SQLite file and, when PostgreSQL runs here, a fresh PostgreSQL database."""
    with tempfile.TemporaryDirectory() as tmp:
        yield "SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
    try:
        import sqlalchemy as sa

        admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS worksync_bench"))
            connection.execute(sa.text("CREATE DATABASE worksync_bench"))
    except Exception:  # no PostgreSQL here: SQLite only
        return
    try:
        yield "PostgreSQL", POSTGRES_ADMIN.rsplit("/", 1)[0] + "/worksync_bench"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS worksync_bench WITH (FORCE)"))
        admin.dispose()


def _fill(session, acme: Tenant, globex: Tenant, start: int, stop: int) -> None:
    session.bulk_save_objects([Synchronization(
        name=f"Sync {n:05d}", description="", mode="immediate", state=ACTIVE, running=n % 3 == 0,
        configuration_version=1, side1_tenant_id=acme.id, side1_project_id=str(10000 + n),
        side1_project_key=f"P{n}", side2_tenant_id=globex.id, side2_project_id="1", side2_project_key="G",
        pair_key=pair_key(acme.id, str(10000 + n), globex.id, "1"), created_by="a") for n in range(start, stop)])
    session.commit()


def _time_pages(label: str, session, acme: Tenant, total: int) -> None:
    def page(status=None, number=1):
        found = scope.page_of(session, acme, status=status, page=number, per_page=25)
        return [sync_json(sync, side) for sync, side in found.rows]

    queries: list[int] = []

    def listen(*_args) -> None:  # one SQL statement sent
        queries.append(1)

    event.listen(session.get_bind(), "before_cursor_execute", listen)
    how = "p95 of the calls made in 0.5 s (at least 20): the query and rendering of 25 rows, in-process"
    try:
        for name, call in ((f"page 1 of {total:,}", page), (f"page 40 of {total:,}", lambda: page(number=40)),
                           (f"'running' of {total:,}", lambda: page("running"))):
            times, started = [], time.perf_counter()
            while time.perf_counter() - started < 0.5 or len(times) < 20:
                queries.clear()
                begun = time.perf_counter()
                call()
                times.append((time.perf_counter() - begun) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{label}: list {name} (25 rows, rendered)  p95 {p95:7.2f} ms   {len(queries)} queries")
            results.figure("Overview", f"{label}: {name}", p95, "ms", how, "≤ 100 ms (p95)", p95 <= 100)
            results.figure("Overview", f"{label}: {name}: SQL statements", len(queries), "queries",
                           "statements one page sends (the same for 1,000 and 10,000: no N+1)")
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)


def run() -> None:
    """Print the time of one rendered page (25 rows) of the site-wide list, and of a status filter."""
    for label, url in _databases():
        migrate(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            acme = Tenant(client_key="acme", base_url="https://acme.atlassian.net", shared_secret_encrypted="x")
            globex = Tenant(client_key="globex", base_url="https://globex.atlassian.net", shared_secret_encrypted="x")
            session.add_all([acme, globex])
            session.commit()
            filled = 0
            for total in (1_000, 10_000):
                _fill(session, acme, globex, filled, total)
                filled = total
                _time_pages(label, session, acme, total)
        engine.dispose()
