"""E-mail to a synchronization's creator: one mail when the first new errors arrive after a quiet period, never one
per error; none when the creator hides their address (the history says so), none when SMTP is off, and a mail the
server could not take is sent on the next run."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from plugin.engine import problems
from plugin.mail import Mailer
from plugin.models import SyncError, SyncNotice, utcnow
from plugin.settings import SmtpSettings
from plugin.syncs.troubleshoot import mail
from tests.support.api import ApiUser
from tests.support.engine import Engine
from tests.support.smtp import free_port, smtp_sink

QUIET = timedelta(minutes=60)


@pytest.fixture
def sink():
    with smtp_sink() as running:
        yield running


def _mailer(port: int) -> Mailer:
    return Mailer(SmtpSettings(host="127.0.0.1", port=port, security="none", sender="work-sync@example.test"))


@pytest.fixture
def sync_id(installed):
    return Engine(installed).synchronize()


def _error(installed, sync_id, number: int) -> None:
    with installed.live.runtime.sessions.begin() as session:
        problems.record(session, int(sync_id), category="validation", side=2, issue_id=str(20000 + number),
                        issue_key=f"GLOBEX-{number}", trigger="webhook", permanent=True,
                        message=f"Jira refused change {number}")


def _notify(installed, mailer) -> int:
    return mail.notify_all(installed.live.runtime.tools, mailer, "work-sync", QUIET)


def _notices(installed, sync_id) -> list[dict]:
    events = ApiUser(installed, "acme", "pat", project="ACME").get(f"/synchronizations/{sync_id}/audit").json()
    return [event["detail"] for event in events["events"] if event["action"] == "notify"]


def test_a_burst_of_errors_sends_one_mail_to_the_creator(installed, sync_id, sink):
    for number in (1, 2, 3):
        _error(installed, sync_id, number)
    assert _notify(installed, _mailer(sink.port)) == 1
    _error(installed, sync_id, 4)  # still the same burst: no quiet period in between
    assert _notify(installed, _mailer(sink.port)) == 0
    ((recipients, message),) = sink.received
    assert recipients == [installed.user("acme", "pat").email]
    assert message["Subject"] == "Work Sync: Sync has 3 new errors"
    body = message.get_content()
    assert all(f"Jira refused change {n}" in body for n in (1, 2, 3))
    project = installed.site("acme").project("ACME")
    assert (f"{installed.sim.site_url('acme')}/plugins/servlet/ac/work-sync/work-sync-project-settings"
            f"?project.key=ACME&project.id={project.id}") in body
    assert _notices(installed, sync_id) == [{"errors": 3, "sent": True}]


def test_the_first_new_error_after_a_quiet_period_sends_the_next_mail(installed, sync_id, sink):
    _error(installed, sync_id, 1)
    assert _notify(installed, _mailer(sink.port)) == 1
    earlier = utcnow() - 2 * QUIET
    with installed.live.runtime.sessions.begin() as session:  # as if that burst was two hours ago
        session.execute(update(SyncError).values(first_seen=earlier, last_seen=earlier))
        session.execute(update(SyncNotice).values(last_error_at=earlier, notified_at=earlier))
    _error(installed, sync_id, 2)
    assert _notify(installed, _mailer(sink.port)) == 1
    assert [message["Subject"] for _, message in sink.received] == ["Work Sync: Sync has 1 new error"] * 2
    assert "Jira refused change 2" in sink.received[1][1].get_content()
    assert "Jira refused change 1" not in sink.received[1][1].get_content()


def test_no_mail_when_the_creator_hides_their_address_and_the_history_says_why(installed, sync_id, sink):
    with installed.site("acme").world.lock:
        installed.user("acme", "pat").email_visible = False
    _error(installed, sync_id, 1)
    assert _notify(installed, _mailer(sink.port)) == 0
    assert sink.received == []
    (notice,) = _notices(installed, sync_id)
    assert notice["sent"] is False and "hidden" in notice["reason"]


def test_no_mail_and_nothing_remembered_when_smtp_is_off(installed, sync_id):
    _error(installed, sync_id, 1)
    assert _notify(installed, Mailer(None)) == 0
    with installed.live.runtime.sessions() as session:
        assert session.scalars(select(SyncNotice)).all() == []


def test_a_mail_the_server_did_not_take_goes_out_on_the_next_run(installed, sync_id, sink):
    _error(installed, sync_id, 1)
    assert _notify(installed, _mailer(free_port())) == 0  # nobody listens there
    assert _notify(installed, _mailer(sink.port)) == 1
    assert len(sink.received) == 1
