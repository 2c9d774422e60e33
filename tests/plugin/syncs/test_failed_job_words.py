"""The queue check's failed jobs in words: what happened and the error's own text, never a library's help link."""
from datetime import UTC, datetime

from plugin.jobstats import FailedJob
from plugin.syncs.troubleshoot.analysis import _failed_job


def test_a_database_error_says_what_happened_without_the_sqlalchemy_link():
    job = FailedJob("sync-issue-1-2", datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
                    "sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: links.sync_id, "
                    "links.side2_issue_id (Background on this error at: https://sqlalche.me/e/20/gkpj)")
    said = _failed_job(job)
    assert said == ("A sync job failed at 2026-01-02T03:04:00.000Z: the database refused a write that contradicts "
                    "what it holds (UNIQUE constraint failed: links.sync_id, links.side2_issue_id).")
    assert "sqlalche.me" not in said and "IntegrityError" not in said


def test_a_line_that_is_only_a_help_link_points_at_the_log():
    said = _failed_job(FailedJob("x", None, "(Background on this error at: https://sqlalche.me/e/20/gkpj)"))
    assert said == "A sync job failed: the worker's log has the error."
