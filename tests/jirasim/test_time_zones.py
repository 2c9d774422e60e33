"""People have time zones: datetimes are written in the reader's offset and JQL dates are read in the caller's zone."""
from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for

JIRA_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z"


def url(session, path):
    return session.base + "/rest/api/3/" + path


def test_each_reader_sees_datetimes_with_the_offset_of_their_own_time_zone(openapi, shared_simulator):
    dev, alice = (session_for(shared_simulator, "acme", name) for name in ("dev", "alice"))
    assert check(openapi, dev.get(url(dev, "myself"))).json()["timeZone"] == "Asia/Kolkata"
    as_dev = check(openapi, dev.get(url(dev, "issue/ACME-1?fields=created,updated"))).json()["fields"]
    as_alice = check(openapi, alice.get(url(alice, "issue/ACME-1?fields=created,updated"))).json()["fields"]
    assert as_dev["created"].endswith("+0530")
    created = datetime.strptime(as_alice["created"], JIRA_FORMAT)
    assert created == datetime.strptime(as_dev["created"], JIRA_FORMAT)
    assert created.utcoffset() == ZoneInfo("Europe/Paris").utcoffset(created.replace(tzinfo=None))
    assert dev.put(url(dev, "issue/ACME-1"), json={"update": {"labels": [{"add": "zoned"}]}}).status_code == 204
    history = check(openapi, dev.get(url(dev, "issue/ACME-1/changelog"))).json()["values"]
    assert history and all(h["created"].endswith("+0530") for h in history)


def test_a_jql_date_is_read_in_the_time_zone_of_the_caller(openapi, shared_simulator):
    dev, alice = (session_for(shared_simulator, "acme", name) for name in ("dev", "alice"))
    created = check(openapi, dev.get(url(dev, "issue/ACME-1?fields=created"))).json()["fields"]["created"]
    moment = datetime.strptime(created, JIRA_FORMAT)
    local = (moment - timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Kolkata")).strftime("%Y-%m-%d %H:%M")
    jql = quote(f'key = ACME-1 AND created >= "{local}"')
    found_by_dev = check(openapi, dev.get(url(dev, f"search/jql?jql={jql}"))).json()["issues"]
    found_by_alice = check(openapi, alice.get(url(alice, f"search/jql?jql={jql}"))).json()["issues"]
    assert len(found_by_dev) == 1  # a minute before creation, in Kolkata
    assert found_by_alice == []  # the same wall-clock time in Paris is hours after it
