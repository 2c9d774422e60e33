"""The metadata cache: a refresh is shared for thirty seconds, and each site's fresh reads are budgeted."""
import pytest

from plugin.config import metadata
from plugin.errors import RateLimited


@pytest.fixture
def reads(monkeypatch):
    counted = []
    monkeypatch.setattr(metadata, "read", lambda jira, key: counted.append(key) or f"meta of {key}")
    return counted


def test_a_refresh_within_thirty_seconds_of_a_read_answers_that_read(reads):
    now = [0.0]
    cache = metadata.MetadataCache(clock=lambda: now[0])
    for _ in range(10):
        cache.get(None, 1, "ACME", refresh=True)
    assert reads == ["ACME"]
    now[0] = 31
    cache.get(None, 1, "ACME", refresh=True)
    assert reads == ["ACME", "ACME"]


def test_a_sites_fresh_reads_are_budgeted_and_then_the_cached_copy_answers(reads):
    now = [0.0]
    cache = metadata.MetadataCache(clock=lambda: now[0])
    budget = metadata.MetadataCache.READS_PER_WINDOW
    for number in range(budget):
        cache.get(None, 1, f"P{number}")
    assert len(reads) == budget
    now[0] = 40
    assert cache.get(None, 1, "P0", refresh=True) == "meta of P0"  # cached: the budget is spent
    with pytest.raises(RateLimited):
        cache.get(None, 1, "NEW")
    assert cache.get(None, 2, "NEW") == "meta of NEW"  # another site has its own budget
    assert len(reads) == budget + 1
    now[0] = metadata.MetadataCache.READ_WINDOW + 1
    cache.get(None, 1, "NEW")
    assert len(reads) == budget + 2


def test_every_process_shares_one_read_per_site_through_redis(redis_url):
    import redis

    connection = redis.Redis.from_url(redis_url)
    reads = []

    class Jira:
        base_url = "https://shared.example.net"

    def read(jira, project_key):
        reads.append(project_key)
        meta = metadata.SideMetadata(site=jira.base_url, project_id="1", project_key=project_key,
                                     issue_types={"1": "Task"}, statuses_by_type={"1": {"3", "1"}},
                                     fields={"summary": metadata.Field("summary", "Summary", "text", False)},
                                     required={"1": {"summary"}})
        return meta

    original, metadata.read = metadata.read, read
    try:
        web, worker = (metadata.MetadataCache(shared=lambda: connection) for _ in range(2))
        first = web.get(Jira(), 7, "SHR")
        second = worker.get(Jira(), 7, "SHR")  # another process: the shared copy, no Jira call (createmeta and all)
        assert reads == ["SHR"] and second == first
        assert second.fields["summary"] == metadata.Field("summary", "Summary", "text", False)
        assert second.statuses_by_type == {"1": {"1", "3"}} and second.required == {"1": {"summary"}}
        worker.forget()  # as if the interval had passed, for every process
        metadata.MetadataCache(shared=lambda: connection).get(Jira(), 7, "SHR")
        assert reads == ["SHR", "SHR"]
    finally:
        metadata.read = original
