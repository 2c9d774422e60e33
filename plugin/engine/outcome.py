"""How one sync run ended."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """synced, clean (nothing to do), stopped, later (not now), or failed (recorded); `again` if re-marked."""

    state: str
    detail: str = ""
    again: bool = False
