"""The inbox stores each delivery once and, in the same transaction, marks the issue dirty for the synchronizations
that run or ran; the sweeper rings only those that run."""
import pytest
from sqlalchemy import select

from plugin.db import make_engine, make_session_factory
from plugin.engine.intake import dirty, inbox
from plugin.models import DirtyIssue, WebhookDelivery
from plugin.models.syncs import ACTIVE
from tests.support.factories import make_sync, make_tenant


@pytest.fixture
def session(database_url):
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def _event(project_id="100", issue_id="5001", user="person-1"):
    return {"webhookEvent": "jira:issue_updated", "user": {"accountId": user},
            "issue": {"id": issue_id, "key": "A-1", "fields": {"project": {"id": project_id}}}}


def test_a_delivery_marks_its_issue_dirty_for_every_started_synchronization_of_the_project_once(session):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    first = make_sync(session, (acme, "100", "A"), (globex, "200", "G"), state=ACTIVE, running=True)
    second = make_sync(session, (globex, "300", "H"), (acme, "100", "A"), state=ACTIVE, running=True)
    make_sync(session, (acme, "100", "A"), (globex, "400", "S"), state=ACTIVE, running=False)  # never started
    session.commit()
    keys = inbox.receive(session, acme, "delivery-1", "jira:issue_updated", _event())
    session.commit()
    assert {(k.sync_id, k.side, k.issue_id) for k in keys} == {(first.id, 1, "5001"), (second.id, 2, "5001")}
    assert inbox.receive(session, acme, "delivery-1", "jira:issue_updated", _event()) == []
    rows = session.scalars(select(DirtyIssue)).all()
    assert len(rows) == 2 and session.scalars(select(WebhookDelivery)).one().payload["issue"]["id"] == "5001"


def test_a_change_to_a_stopped_synchronization_waits_for_its_start_instead_of_being_rung(session):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    stopped = make_sync(session, (acme, "100", "A"), (globex, "200", "G"), state=ACTIVE, running=False, started=True)
    session.commit()
    (key,) = inbox.receive(session, acme, "delivery-3", "jira:issue_updated", _event())
    session.commit()
    assert dirty.due(session) == [] and dirty.of_sync(session, stopped.id) == [key]
    stopped.running = True
    session.commit()
    assert dirty.due(session) == [key]


def test_our_own_writes_coming_back_mark_nothing(session):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    acme.app_account_id = "our-app"
    make_sync(session, (acme, "100", "A"), (globex, "200", "G"), state=ACTIVE, running=True)
    session.commit()
    assert inbox.receive(session, acme, "delivery-2", "jira:issue_updated", _event(user="our-app")) == []
    session.commit()
    assert session.scalars(select(DirtyIssue)).all() == []
    assert session.scalars(select(WebhookDelivery)).one().payload == {}


def test_a_comment_event_of_our_own_comment_marks_nothing_and_a_persons_edit_of_it_marks(session):
    # A Connect comment event names no user: its comment's updateAuthor wrote it (our mirror, or a person's edit).
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    acme.app_account_id = "our-app"
    make_sync(session, (acme, "100", "A"), (globex, "200", "G"), state=ACTIVE, running=True)
    session.commit()

    def comment_event(event, writer):
        issue = {k: v for k, v in _event().items() if k != "user"}
        return {**issue, "webhookEvent": event,
                "comment": {"id": "9", "author": {"accountId": "our-app"}, "updateAuthor": {"accountId": writer}}}

    assert inbox.receive(session, acme, "c-1", "comment_created", comment_event("comment_created", "our-app")) == []
    assert inbox.receive(session, acme, "c-2", "comment_updated", comment_event("comment_updated", "our-app")) == []
    edited = inbox.receive(session, acme, "c-3", "comment_updated", comment_event("comment_updated", "person-1"))
    deleted = inbox.receive(session, acme, "c-4", "comment_deleted", comment_event("comment_deleted", "our-app"))
    assert len(edited) == len(deleted) == 1  # a delete names no deleter: it is looked at


def test_marking_again_bumps_the_revision_so_a_running_job_knows_to_go_again(session):
    acme, globex = make_tenant(session, "acme"), make_tenant(session, "globex")
    make_sync(session, (acme, "100", "A"), (globex, "200", "G"), state=ACTIVE, running=True)
    session.commit()
    for number in range(3):
        inbox.receive(session, acme, f"d-{number}", "jira:issue_updated", _event())
        session.commit()
    (row,) = session.scalars(select(DirtyIssue)).all()
    assert row.revision == 2
