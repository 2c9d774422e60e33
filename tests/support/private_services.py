"""Services a fault test may stop and start: a private `redis-server` on its own free port and a private PostgreSQL
cluster (`initdb`/`pg_ctl`), both in their own temporary folder. The machine's shared services (6379, 5432) are
never touched: stopping those would break every other test and person using them."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import sqlalchemy as sa

from tests.support.eventually import eventually


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own (no persistence: a restart comes back empty, as after a crash without AOF)."""

    def __init__(self, directory: Path):
        self.binary = shutil.which("redis-server")
        self.directory, self.port, self.process = Path(directory), free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary, "redis-server is not installed"
        with open(self.directory / "redis.log", "a") as log:
            self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save",
                                             "", "--appendonly", "no", "--dir", str(self.directory)],
                                            stdout=log, stderr=subprocess.STDOUT)
        eventually(self._answers, timeout=20)

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Kill the server (SIGKILL: no goodbye to its clients, as when the host goes away)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def postgres_binaries() -> Path | None:
    """The bin folder of the newest PostgreSQL installed here with initdb and pg_ctl, or None."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
             if Path(p).with_name("initdb").exists()]
    if not found and shutil.which("pg_ctl") and shutil.which("initdb"):
        found = [Path(shutil.which("pg_ctl")).parent]
    return max(found, key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()] or [0]) if found \
        else None


class PrivatePostgres:
    """A PostgreSQL cluster of our own on a free port, stopped and started at will (`pg_ctl`).

    PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` system user.
    """

    def __init__(self, binaries: Path):
        self.bin = binaries
        self.directory = Path(tempfile.mkdtemp(prefix="work-sync-pg-"))
        self.data, self.port = self.directory / "data", free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chmod(self.directory, 0o755)
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, f"{tool} failed: {result.stdout}\n{result.stderr}"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "postgres.log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                        f"-c max_connections=200", "start")

    def stop(self) -> None:
        """Stop fast: every session is cut off, as when the database host restarts."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def create_database(self, name: str) -> str:
        admin = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop()
        except AssertionError:
            pass  # already stopped
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            shutil.rmtree(self.directory, ignore_errors=True)
            if not self.directory.exists():
                return
            time.sleep(0.1)
