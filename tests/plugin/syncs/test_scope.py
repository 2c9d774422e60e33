"""Scoped queries: a site sees only its own synchronizations, one page costs the same queries at any size."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from plugin.db import make_engine, make_session_factory
from plugin.errors import NotFound
from plugin.models.syncs import ACTIVE, DECLINED, REQUESTED
from plugin.syncs import scope
from tests.support.factories import make_sync, make_tenant


@pytest.fixture
def session(database_url):
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@contextmanager
def counting_queries(session):
    """A list that grows by one for every SQL statement the session's engine runs meanwhile."""
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(session.get_bind(), "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", count)


def test_a_page_costs_three_queries_whatever_its_size_with_a_thousand_synchronizations(session):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    for number in range(1000):
        make_sync(session, (acme, str(10000 + number), f"P{number}"), (globex, "20000", "GLOBEX"),
                  name=f"Sync {number:04d}", running=number % 2 == 0)
    session.commit()
    sizes = {}
    for per_page in (10, 100):
        session.expunge_all()
        with counting_queries(session) as counted:
            found = scope.page_of(session, acme, page=3, per_page=per_page)
            for sync, side in found.rows:  # rendering reads both sides' tenants: no lazy loads allowed
                assert (sync.tenant(1).client_key, sync.tenant(2).client_key, side) == (
                    "client-acme", "client-globex", 1)
        sizes[per_page] = len(counted)
        assert found.total == 1000 and len(found.rows) == per_page
    assert sizes == {10: 3, 100: 3}  # the count, the rows with both sides' sites, and their drafts
    assert [s.name for s, _ in scope.page_of(session, acme, page=2, per_page=3).rows] == [
        "Sync 0003", "Sync 0004", "Sync 0005"]


def test_a_site_never_sees_another_sites_synchronizations(session):
    acme, globex, initech = (make_tenant(session, name) for name in ("acme", "globex", "initech"))
    theirs = make_sync(session, (globex, "1", "G"), (initech, "2", "I"))
    ours = make_sync(session, (acme, "3", "A"), (globex, "4", "G2"))
    session.commit()
    assert [s.id for s, _ in scope.page_of(session, acme).rows] == [ours.id]
    assert {s.id for s, _ in scope.page_of(session, globex).rows} == {ours.id, theirs.id}
    with pytest.raises(Exception, match="no synchronization"):
        scope.get(session, acme, theirs.id)


def test_status_filters_read_the_status_as_the_callers_side_sees_it(session):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    asked = make_sync(session, (acme, "1", "A"), (globex, "2", "G"), state=REQUESTED, configuration_version=None)
    incoming = make_sync(session, (globex, "3", "G3"), (acme, "4", "A4"), state=REQUESTED, configuration_version=None)
    declined = make_sync(session, (acme, "5", "A5"), (globex, "6", "G6"), state=DECLINED, configuration_version=None)
    running = make_sync(session, (globex, "7", "G7"), (acme, "8", "A8"), state=ACTIVE, running=True)
    session.commit()

    def ids(tenant, status):
        return [s.id for s, _ in scope.page_of(session, tenant, status=status).rows]

    assert (ids(acme, "request_sent"), ids(acme, "incoming_request")) == ([asked.id], [incoming.id])
    assert (ids(globex, "request_sent"), ids(globex, "incoming_request")) == ([incoming.id], [asked.id])
    assert (ids(acme, "declined"), ids(globex, "declined")) == ([declined.id], [])
    assert ids(acme, "running") == ids(globex, "running") == [running.id]
    assert ids(acme, "stopped") == []


@pytest.mark.parametrize("spelling", ["0_{id}", " {id}", "{id} ", "+{id}", "١", "{id}x", "9" * 19, str(2**63), "-{id}",
                                      ""])
def test_an_id_that_is_not_1_to_18_ascii_digits_is_not_found_and_aliases_nothing(session, spelling):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    sync = make_sync(session, (acme, "10000", "ACME"), (globex, "20000", "GLOBEX"))
    session.commit()
    assert scope.get(session, acme, str(sync.id)).id == sync.id
    spelling = spelling.format(id=sync.id)  # int() reads "0_5", " 5" and "+5" as 5: none may alias sync 5
    with pytest.raises(NotFound):
        scope.get(session, acme, spelling)
    with pytest.raises(NotFound):
        scope.get_many(session, acme, [spelling])
    assert scope.id_number("0" + "9" * 17) == 10**17 - 1
