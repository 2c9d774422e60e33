"""A tiny timing helper shared by the benchmarks: how many calls per second, and the time of one."""
from __future__ import annotations

import time


def rate(label: str, func, seconds: float = 1.0) -> float:
    """Call `func` for about `seconds`, print its rate and the time of one call; the rate per second."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        func()
        count += 1
    elapsed = time.perf_counter() - start
    print(f"{label:<56} {count / elapsed:>10,.0f} /s   {elapsed / count * 1e3:>9,.2f} ms each")
    return count / elapsed


def bare_flask_rate(label: str, seconds: float, **post) -> float:
    """The rate of a Flask endpoint that does nothing, POSTed `post` (data, json, content_type) through the WSGI
    test client: the yardstick an ingest path is divided by."""
    from flask import Flask

    bare_app = Flask("bare")
    bare_app.add_url_rule("/hook", "hook", lambda: ("", 204), methods=["POST"])
    bare = bare_app.test_client()
    return rate(label, lambda: bare.post("/hook", **post), seconds)

