"""Logging set-up, the same for the web process, the worker and the command line; credentials are masked."""
from __future__ import annotations

import logging

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


def mask_credentials(logger: logging.Logger) -> None:
    """Add the redacting filter to `logger` once (it applies to the records logged on that logger)."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())


def configure_logging(level: str | int = "INFO") -> None:
    """Log to stderr at `level` with one format; mask credentials; quiet the libraries that talk too much."""
    logging.basicConfig(level=level, format=FORMAT)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:  # records of every logger that propagates here
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    for name in ACCESS_LOGGERS:
        mask_credentials(logging.getLogger(name))
    logging.getLogger("alembic").setLevel(logging.WARNING)
