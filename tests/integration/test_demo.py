"""`python -m demo` (what `make demo` runs) installs the app into both sites and stops cleanly."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests

REPO = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_installs_into_both_sites_prints_where_to_click_and_stops_on_ctrl_c(tmp_path):
    sim_port, app_port = _free_port(), _free_port()
    stale = tmp_path / "demo"  # what a previous demo left: synchronizations of a simulator that is gone
    stale.mkdir()
    (stale / "work-sync.sqlite").write_bytes(b"the previous demo's database")
    demo = subprocess.Popen(
        [sys.executable, "-m", "demo", "--sim-port", str(sim_port), "--app-port", str(app_port),
         "--instance", str(tmp_path / "demo")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,  # as make demo: demo/ is no package
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")})  # of either distribution
    try:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C stops everything" in line:
                break
        text = "".join(lines)
        assert "Work Sync demo is running" in text, text
        # acme through Forge (its Custom UI page), globex through Connect (its iframe page), and it says which is which
        assert f"acme: http://127.0.0.1:{sim_port}/acme/   installed through Forge" in text
        assert f"globex: http://127.0.0.1:{sim_port}/globex/   installed through Connect" in text
        assert re.search(rf"http://127.0.0.1:{sim_port}/acme/jira/projects/ACME/settings/apps/[0-9a-f-]{{36}}/\S+",
                         text), text
        assert f"http://127.0.0.1:{sim_port}/globex/plugins/servlet/ac/work-sync/work-sync-project-settings" in text
        sim = f"http://127.0.0.1:{sim_port}"
        assert requests.get(f"{sim}/_sim/sites/acme/apps", timeout=5).json() == []
        assert len(requests.get(f"{sim}/_sim/sites/acme/forge/apps", timeout=5).json()) == 1
        assert [a["key"] for a in requests.get(f"{sim}/_sim/sites/globex/apps", timeout=5).json()] == ["work-sync"]
        assert requests.get(f"{sim}/_sim/sites/globex/forge/apps", timeout=5).json() == []
        types = {}
        for site in ("acme", "globex"):
            found = requests.get(f"http://127.0.0.1:{sim_port}/{site}/rest/api/3/issuetype", timeout=5,
                                 auth=("alice@acme.example.com", "demo")).json()
            types[site] = {t["id"]: t["name"] for t in found}
        assert not set(types["acme"]) & set(types["globex"])  # the demo's sites differ in ids ...
        assert "Bug" in types["acme"].values() and "Defect" in types["globex"].values()  # ... and in some names
        database = (tmp_path / "demo" / "work-sync.sqlite").read_bytes()
        assert database.startswith(b"SQLite format 3") and b"previous demo" not in database  # started afresh
        embedded = json.loads((tmp_path / "demo" / "redis.db.settings").read_text())
        assert redis.Redis(unix_socket_path=embedded["unixsocket"]).ping()
    finally:
        demo.send_signal(signal.SIGINT)
        rest = demo.communicate(timeout=60)[0]
    assert "demo stopped." in rest
    assert demo.returncode == 0
    for port in (sim_port, app_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served after Ctrl-C"
    with pytest.raises(redis.ConnectionError):
        redis.Redis(unix_socket_path=embedded["unixsocket"]).ping()
