"""How fast the Jira simulator answers (it bounds how fast integration tests and the demo can go)."""
from __future__ import annotations

import requests

from bench.timing import rate
from jirasim.testing import running_simulator


def run() -> None:
    """Print request rates of typical simulator calls over real loopback HTTP."""
    with running_simulator(("acme",)) as sim:
        session = requests.Session()
        session.auth = ("pat@acme.example.com", "bench")
        base = f"{sim.site_url('acme')}/rest/api/3"
        for n in range(50):
            session.post(f"{base}/issue", json={"fields": {"project": {"key": "ACME"}, "issuetype": {"id": "10001"},
                                                           "summary": f"Bench {n}"}}).raise_for_status()
        rate("GET issue (Basic auth, v3 ADF)", lambda: session.get(f"{base}/issue/ACME-1").raise_for_status())
        rate("POST search/jql, 50 of 53 issues with 3 fields", lambda: session.post(
            f"{base}/search/jql", json={"jql": "project = ACME ORDER BY key", "maxResults": 50,
                                        "fields": ["summary", "status", "updated"]}).raise_for_status())
        rate("PUT issue summary (changelog + webhook event)", lambda: session.put(
            f"{base}/issue/ACME-1", json={"fields": {"summary": "Edited"}}).raise_for_status())
