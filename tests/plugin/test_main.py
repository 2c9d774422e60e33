"""`python -m plugin` commands: help, migrate, serve (descriptor with the configured base URL)."""
import os
import socket
import subprocess
import sys
import time

import requests


def _run(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "plugin", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def test_help_lists_every_command():
    out = _run("--help").stdout
    for command in ("serve", "worker", "migrate", "run"):
        assert command in out
    assert "--port" in _run("serve", "--help").stdout


def test_migrate_creates_the_database(tmp_path):
    result = _run("migrate", env={"INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "work-sync.sqlite").exists()
    assert "created the database schema" in result.stdout and "up to date" not in result.stdout
    again = _run("migrate", env={"INSTANCE_PATH": str(tmp_path)})
    assert "database is up to date" in again.stdout and "created" not in again.stdout


def test_configuration_errors_exit_with_a_message(tmp_path):
    result = _run("migrate", env={"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production"})
    assert result.returncode == 2
    assert "configuration error" in result.stderr and "APP_BASE_URL is required" in result.stderr


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_with_the_descriptor_for_the_base_url_path(tmp_path):
    port = _free_port()
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "APP_BASE_URL": f"http://127.0.0.1:{port}/ws"}
    assert _run("migrate", env=env).returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "plugin", "serve"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(100):
            try:
                body = requests.get(f"http://127.0.0.1:{port}/ws/atlassian-connect.json", timeout=2).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert body["baseUrl"] == f"http://127.0.0.1:{port}/ws"
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[1]
    assert f"base URL http://127.0.0.1:{port}/ws" in log
    assert "secret" not in log.lower()


def test_run_migrates_serves_and_starts_a_worker(tmp_path, redis_url):
    import redis
    from rq import Worker

    port = _free_port()
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "APP_BASE_URL": f"http://127.0.0.1:{port}",
           "REDIS_URL": redis_url}
    process = subprocess.Popen([sys.executable, "-m", "plugin", "run"], env=env, stderr=subprocess.PIPE, text=True)
    connection = redis.Redis.from_url(redis_url)
    try:
        workers, body = [], None
        for _ in range(150):
            workers = Worker.all(connection=connection)
            try:
                body = requests.get(f"http://127.0.0.1:{port}/atlassian-connect.json", timeout=2).json()
            except requests.ConnectionError:
                body = None
            if workers and body:
                break
            time.sleep(0.1)
        assert body["baseUrl"] == f"http://127.0.0.1:{port}"
        assert len(workers) == 1
        assert (tmp_path / "work-sync.sqlite").exists()
    finally:
        process.send_signal(2)
        process.communicate(timeout=20)
    assert Worker.all(connection=connection) == []


def test_migrate_creates_a_private_instance_folder_and_database(tmp_path):
    instance = tmp_path / "instance"
    result = subprocess.run([sys.executable, "-m", "plugin", "migrate"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "INSTANCE_PATH": str(instance)}, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert instance.stat().st_mode & 0o777 == 0o700
    files = [p for p in instance.iterdir() if p.name.startswith(("work-sync.sqlite", "secret-key"))]
    assert {p.name for p in files} >= {"work-sync.sqlite", "secret-key"}
    assert {p.name: p.stat().st_mode & 0o777 for p in files} == {p.name: 0o600 for p in files}
