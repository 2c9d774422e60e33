"""Wait for an eventually consistent answer (Jira's search) the way a real client must: ask again until it comes."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(probe: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
    """The first truthy result of `probe()` within `timeout` seconds; AssertionError with the last result otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result or time.monotonic() >= deadline:
            break
        time.sleep(interval)
    assert result, f"still {result!r} after {timeout} s"
    return result
