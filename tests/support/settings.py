"""Settings for tests: everything in the test's own folder, nothing read from the environment."""
from __future__ import annotations

import secrets
from pathlib import Path

from plugin.settings import Settings
from tests.support.constants import ALL_JS_URL, APP_BASE_URL, APP_KEY


def settings_for(tmp_path: Path, **overrides) -> Settings:
    """Development settings rooted in `tmp_path` (SQLite there, embedded Redis unless `redis_url` is given)."""
    values = dict(base_url=APP_BASE_URL, app_key=APP_KEY, environment="development", instance_path=tmp_path,
                  database_url=f"sqlite:///{tmp_path / 'work-sync.sqlite'}", redis_url=None,
                  secret_key=secrets.token_urlsafe(48), all_js_url=ALL_JS_URL)
    values.update(overrides)
    return Settings(**values)
