"""GET /health: the database, Redis and a worker's heartbeat, 503 naming what is down, never a secret."""
import redis

from plugin.app import create_app
from plugin.db import migrate
from plugin.ops import HEARTBEAT_PREFIX, HEARTBEAT_TTL, Heartbeat, live_workers, warn_about_redis
from tests.support import services
from tests.support.engine import workers
from tests.support.eventually import eventually
from tests.support.settings import settings_for


def _health(settings):
    app = create_app(settings)
    try:
        response = app.test_client().get("/health")
        return response.status_code, response.get_json(), response.get_data(as_text=True)
    finally:
        app.extensions["work_sync"].close()


def test_an_unreachable_database_is_named_and_answers_503(tmp_path, redis_url):
    # Nothing listens on port 1 of loopback: the connection is refused at once, as with a stopped server.
    secret_url = "postgresql+psycopg://ws_user:hunter2-secret@127.0.0.1:1/worksync"
    status, body, text = _health(settings_for(tmp_path, database_url=secret_url, redis_url=redis_url))
    assert status == 503
    assert body["status"] == "down" and "database" in body["down"]
    assert body["checks"]["database"].startswith("down") and body["checks"]["redis"] == "ok"
    assert "hunter2" not in text and "ws_user" not in text and "127.0.0.1" not in text


def test_a_dropped_postgresql_database_is_named(tmp_path, redis_url):
    if not services.postgres_available():  # the closed port above covers the same path without PostgreSQL
        return
    with services.fresh_postgres_database() as url:
        settings = settings_for(tmp_path, database_url=url, redis_url=redis_url)
        app = create_app(settings)
        app.extensions["work_sync"].close()
    # the `with` dropped the database: the next connection fails
    status, body, _ = _health(settings)
    assert status == 503 and "database" in body["down"]


def test_an_unreachable_redis_is_named(tmp_path):
    status, body, _ = _health(settings_for(tmp_path, redis_url="redis://127.0.0.1:1/0"))
    assert status == 503 and "redis" in body["down"] and body["checks"]["database"] == "ok"


def test_no_worker_then_a_running_worker(tmp_path, redis_url):
    settings = settings_for(tmp_path, redis_url=redis_url)
    migrate(settings.database_url)
    status, body, _ = _health(settings)
    assert status == 503 and body["down"] == ["worker"]
    with workers(settings, 1):
        status, body, _ = eventually(lambda: (lambda r: r if r[0] == 200 else None)(_health(settings)), timeout=30)
    assert body == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "worker": "ok"}}


def test_heartbeats_expire_and_are_written_at_most_every_few_seconds(redis_url):
    client = redis.Redis.from_url(redis_url)
    beat = Heartbeat("host-a:1")
    assert beat.beat(client, now=1000.0) and not beat.beat(client, now=1001.0)
    assert 0 < client.ttl(HEARTBEAT_PREFIX + "host-a:1") <= HEARTBEAT_TTL
    assert live_workers(client)["host-a:1"] == 1000.0  # (workers of earlier tests may still show)
    client.delete(HEARTBEAT_PREFIX + "host-a:1")
    assert "host-a:1" not in live_workers(client)


class _Config:
    def __init__(self, **values):
        self.values = values

    def config_get(self, name):
        if self.values.get("refuse"):
            raise redis.ResponseError("unknown command 'CONFIG'")
        return {name: self.values[name]} if name in self.values else {}


def test_redis_without_persistence_or_with_eviction_is_warned_about(tmp_path):
    settings = settings_for(tmp_path, redis_url="redis://cache:6379/0")
    quiet = warn_about_redis(settings, _Config(appendonly="yes", save="", **{"maxmemory-policy": "noeviction"}))
    assert quiet == []
    risky = warn_about_redis(settings, _Config(appendonly="no", save="", **{"maxmemory-policy": "allkeys-lru"}))
    assert len(risky) == 2 and "no persistence" in risky[0] and "allkeys-lru" in risky[1]
    assert "CONFIG GET is refused" in warn_about_redis(settings, _Config(refuse=True))[0]
    assert warn_about_redis(settings_for(tmp_path, redis_url=None)) == []  # the embedded Redis of development


def test_the_real_redis_is_checked(tmp_path, redis_url):
    assert isinstance(warn_about_redis(settings_for(tmp_path, redis_url=redis_url)), list)
