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
