"""Fixtures shared by the whole suite: settings, databases (SQLite and PostgreSQL), Redis, the app, tenants."""
from __future__ import annotations

import pytest

from plugin.app import create_app
from plugin.db import make_engine, migrate
from plugin.models import Base
from plugin.settings import Settings
from tests.support import services
from tests.support.install_keys import running_key_server
from tests.support.openapi_check import ValidatingClient
from tests.support.settings import settings_for

pytest_plugins = ["tests.support.world"]


@pytest.fixture(scope="session")
def _postgres_url():
    if not services.postgres_available():
        if services.REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but not reachable at {services.POSTGRES_ADMIN_URL}")
        yield None
        return
    with services.fresh_postgres_database() as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def _sqlite_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'work-sync.sqlite'}"
    migrate(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, _sqlite_url, _postgres_url):
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    url = _sqlite_url if request.param == "sqlite" else _postgres_url
    if url is None:
        pytest.skip("PostgreSQL is not running here (CI sets WORK_SYNC_REQUIRE_POSTGRES=1 and always runs these)")
    yield url
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """Our own Redis database number on the local server (flushed), or an embedded Redis."""
    with services.test_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def key_server():
    """A real HTTP install-key server on loopback."""
    with running_key_server() as keys:
        yield keys


@pytest.fixture
def settings(tmp_path, database_url, redis_url, key_server) -> Settings:
    """Settings for one test: its own instance folder, the test database, Redis and key server."""
    return settings_for(tmp_path, database_url=database_url, redis_url=redis_url, install_keys_url=key_server.url)


@pytest.fixture
def app(settings):
    """The app built by create_app for the test's settings."""
    application = create_app(settings)
    application.test_client_class = ValidatingClient
    yield application
    application.extensions["work_sync"].close()
    services.forget_jobs(settings.redis_url)


@pytest.fixture
def client(app):
    """A WSGI test client of the app."""
    return app.test_client()
