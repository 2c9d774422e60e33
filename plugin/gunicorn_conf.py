"""gunicorn settings for Work Sync (`gunicorn -c python:plugin.gunicorn_conf ...`): an access log without credentials.

Page URLs carry Jira's `jwt=` query parameter (valid for minutes); the access log shows it masked, as it does
passwords in URLs.
"""
from __future__ import annotations

from gunicorn.glogging import Logger

from plugin.logs import mask_credentials


class RedactingLogger(Logger):
    """gunicorn's logger with credentials masked in the access and error logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        mask_credentials(self.access_log)
        mask_credentials(self.error_log)


logger_class = RedactingLogger


def when_ready(_server) -> None:
    """Once at start: warn when Redis has no persistence or may evict keys."""
    from plugin.ops import warn_about_redis
    from plugin.settings import Settings

    warn_about_redis(Settings.from_env())


def child_exit(_server, worker) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set: forget the live gauges of a web worker that exited."""
    from plugin.metrics import process_exited
    from plugin.settings import Settings

    process_exited(worker.pid, Settings.from_env().metrics_dir)
accesslog = "-"
