"""Logging set-up, the same for the web process, the worker and the command line."""
from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str | int = "INFO") -> None:
    """Log to stderr at `level` with one format; quiet the libraries that talk too much."""
    logging.basicConfig(level=level, format=FORMAT)
    logging.getLogger().setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
