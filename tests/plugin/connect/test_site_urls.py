"""Site URLs are exactly scheme://host[:port][/path]; production takes https on the allowed hosts only."""
import pytest

from plugin.connect.site_urls import SitePolicy, accepted_site_url, host_allowed, origin

PRODUCTION = SitePolicy(https_only=True, allowed_hosts=("*.atlassian.net", "jira.example.com"))


@pytest.mark.parametrize("url, normal", [
    ("https://ACME.atlassian.net/", "https://acme.atlassian.net"),
    ("http://127.0.0.1:8080/acme", "http://127.0.0.1:8080/acme"),
    ("https://jira.example.com/jira/", "https://jira.example.com/jira"),
])
def test_development_keeps_well_formed_urls_in_normal_form(url, normal):
    assert accepted_site_url(url, SitePolicy()) == normal


@pytest.mark.parametrize("host, allowed", [
    ("acme.atlassian.net", True), ("a.b.atlassian.net", True), ("atlassian.net", False),
    ("acmeatlassian.net", False), ("acme.atlassian.net.evil.com", False), ("jira.example.com", True),
    ("x.jira.example.com", False),
])
def test_wildcards_match_subdomains_and_plain_names_match_exactly(host, allowed):
    assert host_allowed(host, PRODUCTION.allowed_hosts) is allowed


def test_production_wants_https_on_an_allowed_host():
    assert accepted_site_url("https://acme.atlassian.net", PRODUCTION) == "https://acme.atlassian.net"
    for url in ("http://acme.atlassian.net", "https://10.0.0.1", "https://metadata.google.internal"):
        with pytest.raises(ValueError):
            accepted_site_url(url, PRODUCTION)


def test_origin_is_none_for_anything_but_a_plain_url():
    assert origin("https://jira.acme.com/path") == "https://jira.acme.com"
    assert origin("https://jira.acme.com 'unsafe-inline'") is None
