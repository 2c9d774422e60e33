"""`python -m jirasim.demo` (what `make demo` runs) installs the app into both sites and stops cleanly."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import redis
import requests


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_installs_into_both_sites_prints_where_to_click_and_stops_on_ctrl_c(tmp_path):
    sim_port, app_port = _free_port(), _free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "jirasim.demo", "--sim-port", str(sim_port), "--app-port", str(app_port),
         "--instance", str(tmp_path / "demo")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")})
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
        assert f"http://127.0.0.1:{sim_port}/acme/plugins/servlet/ac/work-sync/work-sync-project-settings" in text
        types = {}
        for site in ("acme", "globex"):
            apps = requests.get(f"http://127.0.0.1:{sim_port}/_sim/sites/{site}/apps", timeout=5).json()
            assert [a["key"] for a in apps] == ["work-sync"]
            found = requests.get(f"http://127.0.0.1:{sim_port}/{site}/rest/api/3/issuetype", timeout=5,
                                 auth=("alice@acme.example.com", "demo")).json()
            types[site] = {t["id"]: t["name"] for t in found}
        assert not set(types["acme"]) & set(types["globex"])  # the demo's sites differ in ids ...
        assert "Bug" in types["acme"].values() and "Defect" in types["globex"].values()  # ... and in some names
        assert (tmp_path / "demo" / "work-sync.sqlite").exists()
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
