"""The token exchange of Forge offline user impersonation, against the simulator's GraphQL gateway: a person's token
kept per (installation, accountId) until shortly before its ttl, a refusal kept with Jira's reason, and the
gateway's failures as the error taxonomy."""
import pytest
import yaml

from jirasim.forge import install
from jirasim.forge.fit import api_base_url
from jirasim.testing import running_simulator
from plugin.errors import AuthError, RateLimited, TransientError
from plugin.forge import app as forge_app
from plugin.forge.impersonation import MARGIN, Refused, UserTokens, context_ari, graphql_url

APP_ID = "ari:cloud:ecosystem::app/0b0e7c9e-5f0c-4d4a-9a38-6a1d2c3b4e5f"


class Clock:
    """Seconds that move only when told to."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def forge_site():
    """acme of a fresh simulator with the generated Forge app installed (its remote is never reached)."""
    with running_simulator(("acme",)) as sim:
        site = sim.site("acme")
        text = yaml.safe_dump(forge_app.manifest("http://127.0.0.1:9", APP_ID))
        inst, _ = install.install(sim.world, site, text)
        yield sim, site, inst


def _ask(tokens, sim, inst, account_id, system=None):
    system_token = system or sim.world.forge.tokens.for_installation(inst, 3600)
    return tokens.token(inst.installation_id, inst.cloud_id, api_base_url(sim.base_url, inst.cloud_id),
                        lambda: system_token, account_id)


def _dev(site):
    return next(u for u in site.users.values() if u.email.startswith("dev@"))


def _exchanges(sim) -> int:
    return sim.world.calls[("acme", "POST", "/graphql")]


def test_the_gateway_is_beside_the_api_base_url_and_the_context_is_the_site():
    assert graphql_url("https://api.atlassian.com/ex/jira/abc") == "https://api.atlassian.com/graphql"
    assert graphql_url("http://127.0.0.1:5000/_api/ex/jira/abc") == "http://127.0.0.1:5000/_api/graphql"
    assert context_ari("abc") == "ari:cloud:jira::site/abc"


def test_the_generated_manifest_lets_only_the_worklog_scopes_impersonate(forge_site):
    _, _, inst = forge_site
    assert sorted(inst.impersonation_scopes) == ["read:jira-work", "write:jira-work"]


def test_a_token_is_exchanged_once_and_kept_until_shortly_before_its_ttl(forge_site):
    sim, site, inst = forge_site
    clock = Clock()
    tokens = UserTokens(timeout=5, clock=clock)
    first = _ask(tokens, sim, inst, _dev(site).account_id)
    assert isinstance(first, str) and sim.world.forge.tokens.verify(first)["sub"] == _dev(site).account_id
    clock.now += 3600 - MARGIN - 1
    assert _ask(tokens, sim, inst, _dev(site).account_id) == first and _exchanges(sim) == 1
    clock.now += 1
    assert isinstance(_ask(tokens, sim, inst, _dev(site).account_id), str) and _exchanges(sim) == 2


def test_a_refusal_says_why_and_is_not_asked_again_at_once(forge_site):
    sim, site, inst = forge_site
    tokens = UserTokens(timeout=5, clock=Clock())
    refused = _ask(tokens, sim, inst, inst.account_id)  # the app's own user is no person to act as
    assert isinstance(refused, Refused) and "cannot be impersonated" in refused.reason
    assert _ask(tokens, sim, inst, inst.account_id) == refused and _exchanges(sim) == 1


def test_the_gateways_failures_are_the_error_taxonomy(forge_site):
    sim, site, inst = forge_site
    with pytest.raises(AuthError):
        _ask(UserTokens(timeout=5), sim, inst, _dev(site).account_id, system="not-a-token")
    sim.world.forge.configure(user_tokens_per_minute=1)
    tokens = UserTokens(timeout=5)
    _ask(tokens, sim, inst, _dev(site).account_id)
    with pytest.raises(RateLimited) as limited:
        _ask(tokens, sim, inst, next(u for u in site.users.values() if u.email.startswith("pat@")).account_id)
    assert limited.value.retry_after == 60
    with pytest.raises(TransientError):
        UserTokens(timeout=2).token(inst.installation_id, inst.cloud_id, "http://127.0.0.1:9/ex/jira/x",
                                    lambda: "token", _dev(site).account_id)
