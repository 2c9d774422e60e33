"""What the queue holds of some jobs, as plain data (the domain reads it without knowing RQ)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FailedJob:
    """A job that crashed or timed out: its id, when it ended, and the last line of its error."""

    id: str
    ended_at: datetime | None
    error: str


@dataclass(frozen=True)
class JobStats:
    """What RQ holds of some jobs (by id prefix): the failed ones and how many are scheduled."""

    failed: list[FailedJob]
    scheduled: int
