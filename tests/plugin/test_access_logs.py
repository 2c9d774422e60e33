"""The access logs of the development server and of gunicorn never show a page JWT or a password."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from plugin.redaction import redact

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjbGllbnQtYWNtZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
PASSWORD = "hunter2-db-password"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_and_capture(command, port, env) -> str:
    """Start `command`, request a page URL with a JWT and a URL with a password, stop it; its whole output."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(150):
            try:
                requests.get(f"http://127.0.0.1:{port}/atlassian-connect.json", timeout=30)
                break
            except requests.ConnectionError:  # not listening yet
                time.sleep(0.1)
        requests.get(f"http://127.0.0.1:{port}/pages/admin?xdm_e=x&jwt={TOKEN}&cv=1", timeout=5)
        requests.get(f"http://127.0.0.1:{port}/atlassian-connect.json?password={PASSWORD}", timeout=5)
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "/pages/admin" in output, output  # the access log is there, so the absence below means something
    return output


def _env(tmp_path, port):
    return {**os.environ, "INSTANCE_PATH": str(tmp_path), "APP_BASE_URL": f"http://127.0.0.1:{port}",
            "PYTHONUNBUFFERED": "1"}


def test_development_server_access_log_masks_the_jwt_and_passwords(tmp_path):
    port = _free_port()
    output = _serve_and_capture([sys.executable, "-m", "plugin", "serve"], port, _env(tmp_path, port))
    assert TOKEN not in output and PASSWORD not in output
    assert "jwt=***" in output and "password=***" in output


def test_gunicorn_access_log_masks_the_jwt_and_passwords(tmp_path):
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-c", "python:plugin.gunicorn_conf", "-w", "1", "-b", f"127.0.0.1:{port}",
               "plugin.app:create_app()"]
    output = _serve_and_capture(command, port, _env(tmp_path, port))
    assert TOKEN not in output and PASSWORD not in output
    assert "jwt=***" in output and "password=***" in output


@pytest.mark.parametrize("text, masked", [
    ("postgresql+psycopg://ws:pw@db/ws", "postgresql+psycopg://ws:***@db/ws"),
    ("postgresql+psycopg://db/ws?user=ws&password=pw", "postgresql+psycopg://db/ws?user=ws&password=***"),
    ("redis://cache:6379/0?password=pw", "redis://cache:6379/0?password=***"),
    ("GET /pages/admin?jwt=abc&cv=1 HTTP/1.1", "GET /pages/admin?jwt=***&cv=1 HTTP/1.1"),
    ("Authorization: JWT " + TOKEN, "Authorization: JWT ***"),
    ("project.key=ACME&issue.id=10001", "project.key=ACME&issue.id=10001"),
])
def test_redact_masks_credentials_and_nothing_else(text, masked):
    assert redact(text) == masked
