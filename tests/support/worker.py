"""Run a real RQ worker process (`python -m plugin worker --burst`) against a test's settings."""
from __future__ import annotations

import os
import subprocess
import sys

from plugin.settings import Settings


def run_worker_burst(settings: Settings) -> str:
    """Run every queued job in a worker process configured like the app (same database, Redis, key); its log."""
    env = {**os.environ, "INSTANCE_PATH": str(settings.instance_path), "DATABASE_URL": settings.database_url,
           "REDIS_URL": settings.redis_url or "", "APP_SECRET_KEY": settings.secret_key,
           "APP_BASE_URL": settings.base_url, "APP_KEY": settings.app_key}
    result = subprocess.run([sys.executable, "-m", "plugin", "worker", "--burst", "--no-scheduler"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr
