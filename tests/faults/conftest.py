"""The fault suite's world: the live app, real RQ worker processes and the simulator as everywhere, but on a Redis and
(when its binaries exist) a PostgreSQL that the suite starts itself, so that a scenario may stop and start them.

Size: CI runs the reduced size; `make faults` sets WORK_SYNC_FAULTS_FULL=1 for more issues per scenario. Timings are
printed (run with -s to see them), never asserted.
"""
import os
import uuid

import pytest

from plugin.db import make_engine, migrate
from plugin.models import Base
from tests.support import private_services, services
from tests.support.engine import running_engine

FULL = os.environ.get("WORK_SYNC_FAULTS_FULL") == "1"
JIRA_TIMEOUT = 3.0  # our client gives up after this: a create held longer by Jira is one whose answer is lost


@pytest.fixture(scope="session")
def private_redis(tmp_path_factory):
    """Our own redis-server on a free port, for this suite alone."""
    server = private_services.PrivateRedis(tmp_path_factory.mktemp("private-redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def private_postgres():
    """Our own PostgreSQL cluster with a migrated database, or None when initdb/pg_ctl are not installed here."""
    binaries = private_services.postgres_binaries()
    if binaries is None:
        if services.REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL is required (WORK_SYNC_REQUIRE_POSTGRES=1) but initdb/pg_ctl are not installed")
        yield None
        return
    cluster = private_services.PrivatePostgres(binaries)
    cluster.start()
    cluster.database = cluster.create_database(f"worksync_faults_{uuid.uuid4().hex[:8]}")
    migrate(cluster.database)
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def redis_url(private_redis):
    """Every fault scenario's app and workers use the private Redis."""
    return private_redis.url


@pytest.fixture
def database_url(private_postgres, _sqlite_url):
    """One database per scenario run: the private PostgreSQL (as in production), SQLite where it is not installed."""
    url = private_postgres.database if private_postgres is not None else _sqlite_url
    yield url
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def settings(settings):
    """A short Jira timeout, so that a create Jira applies after it is quickly one whose answer was lost."""
    return settings.with_(jira_timeout=JIRA_TIMEOUT)


@pytest.fixture
def engine(installed, private_redis):
    """The engine with one worker process; the private Redis is running again whatever the scenario did."""
    with running_engine(installed) as engine:
        yield engine
    if private_redis.process is None:
        private_redis.start()
