"""Thin RQ entry points: they take ids and call plain domain functions."""
from __future__ import annotations


def heartbeat(token: str) -> str:
    """Echo `token`: proves a worker is consuming the queue (used by /health and tests)."""
    return token
