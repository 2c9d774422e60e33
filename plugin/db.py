"""SQLAlchemy engine and sessions; migrations through Alembic."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(database_url: str) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout for web + worker."""
    if database_url.startswith("sqlite:"):
        _create_private_sqlite_file(database_url)
        engine = create_engine(database_url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def _create_private_sqlite_file(database_url: str) -> None:
    """Create the SQLite file 0600 in a 0700 folder before SQLite creates it world-readable (its -wal and -shm
    files copy the database file's permissions)."""
    path = database_url.split("///", 1)[-1] if database_url.startswith("sqlite:") else ""
    if not path or path == ":memory:":
        return
    Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(database_url: str):
    """Alembic configuration pointing at our migrations, for the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def schema_revision(database_url: str) -> str | None:
    """The migration the database is at (None: no schema yet)."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def migrate(database_url: str) -> tuple[str | None, str | None]:
    """Bring the database schema up to the newest migration: (revision before, revision after)."""
    from alembic import command

    _create_private_sqlite_file(database_url)
    before = schema_revision(database_url)
    command.upgrade(alembic_config(database_url), "head")
    return before, schema_revision(database_url)
