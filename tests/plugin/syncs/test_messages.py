"""Messages users read: plurals that agree, no empty quotes, no echo of a huge value."""
from plugin.syncs import lifecycle
from plugin.syncs.words import agreeing, count_of, quoted


def _messages(**overrides):
    new = dict(name="S", mode="review", project="ACME", partner_project="SUP") | overrides
    return [p["message"] for p in lifecycle._problems_of(lifecycle.NewSync(**new))]


def test_an_empty_project_key_is_required_not_quoted_as_empty():
    assert _messages(project="") == ["a project key is required"]
    assert "''" not in " ".join(_messages(partner_project=""))


def test_a_wrong_project_key_is_quoted_at_most_sixty_characters():
    [message] = _messages(partner_project="lower" * 10_000)
    assert message.startswith("'lowerlower") and len(message) < 200 and "…" in message


def test_counts_agree_with_their_nouns_and_verbs():
    assert f"{count_of(1, 'issue')} {agreeing(1, 'waits', 'wait')} to sync" == "1 issue waits to sync"
    assert f"{count_of(2, 'issue')} {agreeing(2, 'waits', 'wait')} to sync" == "2 issues wait to sync"
    assert f"{count_of(0, 'part')} of version 2 no longer {agreeing(0, 'fits', 'fit')}" == \
        "0 parts of version 2 no longer fit"
    assert f"{count_of(1, 'part')} of version 2 no longer {agreeing(1, 'fits', 'fit')}" == \
        "1 part of version 2 no longer fits"
    assert quoted("x" * 100).endswith("…") and len(quoted("x" * 100)) == 61


def test_the_support_bundle_keeps_only_the_kind_of_database_and_redis():
    from plugin.syncs.troubleshoot.bundle import support_settings
    shown = support_settings({"baseUrl": "https://app", "instancePath": "/srv/work-sync/instance",
                              "database": "postgresql+psycopg://ws:***@db.internal:5432/ws/x:pa/ss@h",
                              "redis": "redis://:***@cache.internal:6379/0"})
    assert shown == {"baseUrl": "https://app", "database": "postgresql", "redis": "redis"}


def test_a_display_url_that_extends_another_sites_url_captures_nothing(tmp_path):
    from plugin.db import make_engine, make_session_factory
    from plugin.models import Base
    from plugin.syncs import sites
    from tests.support.factories import make_tenant
    engine = make_engine(f"sqlite:///{tmp_path}/t.sqlite")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        acme = make_tenant(session, "acme")
        evil = make_tenant(session, "evil")
        acme.base_url, acme.display_url = "http://sim.test/acme", None
        evil.base_url, evil.display_url = "http://sim.test/evil", "http://sim.test/acme/x"
        session.commit()
        assert sites.partner_site(session, "http://sim.test/acme/x/browse/ACME-1").id == acme.id
        assert sites.partner_site(session, "http://sim.test/evil").id == evil.id
    engine.dispose()
