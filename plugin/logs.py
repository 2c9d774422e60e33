"""Logging set-up, the same for the web process, the worker and the command line; credentials are masked."""
from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from plugin.redaction import redact

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The development server's access log: werkzeug logs every request line, page URLs with their `jwt=` included.
ACCESS_LOGGERS = ("werkzeug",)


class RedactingFilter(logging.Filter):
    """Masks JWTs, secret query parameters and URL passwords in every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report; a filter must not raise
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


# What the current job works on (synchronization, side, issue): every JSON log line of it carries these ids.
_CONTEXT: contextvars.ContextVar[dict | None] = contextvars.ContextVar("work_sync_log_context", default=None)
CONTEXT_FIELDS = ("sync", "side", "issue")


@contextmanager
def log_context(**ids) -> Iterator[None]:
    """Within the block, log lines name these ids (e.g. sync=3, side=1, issue="10042"); ids only, never data."""
    token = _CONTEXT.set({**(_CONTEXT.get() or {}), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (masked), the job's ids, the exception (masked)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": redact(record.getMessage())}
        for name in CONTEXT_FIELDS:  # from log_context, or from `extra={"sync": ...}` on the call
            value = getattr(record, name, None)
            if value is None:
                value = (_CONTEXT.get() or {}).get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


def mask_credentials(logger: logging.Logger) -> None:
    """Add the redacting filter to `logger` once (it applies to the records logged on that logger)."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())


def configure_logging(level: str | int = "INFO", log_format: str = "text") -> None:
    """Log to stderr at `level` in one format (text, or `json`: one object per line); mask credentials; quiet the
    libraries that talk too much."""
    logging.basicConfig(level=level, format=FORMAT)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:  # records of every logger that propagates here
        if log_format == "json" and not isinstance(handler.formatter, JsonFormatter):
            handler.setFormatter(JsonFormatter())
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    for name in ACCESS_LOGGERS:
        mask_credentials(logging.getLogger(name))
        logging.getLogger(name).setLevel(level)  # werkzeug would set INFO itself: LOG_LEVEL=WARNING hides requests
    logging.getLogger("alembic").setLevel(logging.WARNING)
