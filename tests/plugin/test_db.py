"""Migrations produce exactly the schema the models describe, on SQLite and PostgreSQL, constraints included."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from plugin.db import make_engine, make_session_factory
from plugin.models import Base


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


def _tenant(client_key, **state):
    from plugin.models import Tenant

    values = dict(client_key=client_key, base_url="https://acme.atlassian.net", shared_secret_encrypted="x",
                  installed=True, enabled=True, awaiting_proof=False, replaced_by_client_key=None)
    values.update(state)
    return Tenant(**values)


@pytest.mark.parametrize("second", [
    {"installed": False}, {"enabled": False}, {"awaiting_proof": True}, {"replaced_by_client_key": "client-b"},
])
def test_a_base_url_has_inactive_tenants_beside_its_active_one(sessions, second):
    with sessions.begin() as session:
        session.add_all([_tenant("client-a"), _tenant("client-b", **second)])


def test_the_database_refuses_two_active_tenants_for_one_base_url(sessions):
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add_all([_tenant("client-a"), _tenant("client-b")])
