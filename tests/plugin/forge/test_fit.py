"""FIT verification: RS256 from the JWKS by kid, our app, in time, apiBaseUrl on FORGE_API_HOSTS; every refusal."""
import base64
import hashlib
import hmac
import json

import pytest

from plugin.errors import AuthError
from plugin.forge import fit
from plugin.forge.jwks import Jwks
from tests.plugin.forge.fits import API_BASE, APP_ID, CLOUD_ID, INSTALLATION, OTHER_APP, FakeJwks, Key, claims, mint

HOSTS = ("api.atlassian.com",)


@pytest.fixture(scope="module")
def key():
    return Key()


@pytest.fixture()
def endpoint(key):
    return FakeJwks(key)


def verify(token, endpoint, production=True, hosts=HOSTS, app_id=APP_ID):
    return fit.verify(token, Jwks("https://jwks.example/jwks.json", get=endpoint.get), app_id=app_id,
                      api_hosts=hosts, production=production)


def test_a_ui_invocation_gives_installation_site_user_and_page(key, endpoint):
    context = {"cloudId": CLOUD_ID, "siteUrl": "https://acme.atlassian.net/", "moduleKey": "project-page",
               "extension": {"type": "jira:issueContext", "project": {"id": "10000", "key": "ACME", "type": "software"},
                             "issue": {"id": 10042, "key": "ACME-7", "type": "Task"}}}
    got = verify(mint(key, claims(context=context, principal="5b10a2844c20165700ede21g")), endpoint)
    assert (got.installation_id, got.cloud_id, got.api_base_url) == (INSTALLATION, CLOUD_ID, API_BASE)
    assert got.site_url == "https://acme.atlassian.net" and got.principal == "5b10a2844c20165700ede21g"
    assert (got.project.id, got.project.key, got.issue.id, got.issue.key) == ("10000", "ACME", "10042", "ACME-7")


def test_a_backend_invocation_has_no_context(key, endpoint):
    got = verify(mint(key, claims()), endpoint)
    assert got.cloud_id == CLOUD_ID and got.principal is None and got.project is None and got.site_url is None


@pytest.mark.parametrize("make, message", [
    (lambda k: mint(k, claims(app_id=OTHER_APP)), "another app"),
    (lambda k: mint(k, {**claims(), "aud": OTHER_APP}), "another app"),
    (lambda k: mint(k, claims(ttl=-120)), "expired"),
    (lambda k: mint(k, claims(nbf_in=300)), "not valid yet"),
    (lambda k: mint(k, {**claims(), "iss": "someone"}), "issuer"),
    (lambda k: mint(k, claims(api_base="https://evil.example/ex/jira/" + CLOUD_ID)), "FORGE_API_HOSTS"),
    (lambda k: mint(k, claims(api_base="http://api.atlassian.com/ex/jira/" + CLOUD_ID)), "FORGE_API_HOSTS"),
    (lambda k: mint(k, claims(api_base="https://api.atlassian.com:8443/ex/jira/" + CLOUD_ID)), "FORGE_API_HOSTS"),
    (lambda k: mint(k, claims(api_base="https://u:p@api.atlassian.com/ex/jira/" + CLOUD_ID)), "FORGE_API_HOSTS"),
    (lambda k: mint(k, claims(api_base="http://127.0.0.1:5050/ex/jira/" + CLOUD_ID)), "FORGE_API_HOSTS"),
    (lambda k: mint(k, claims(api_base="https://api.atlassian.com/ex/confluence/" + CLOUD_ID)), "Jira API base"),
    (lambda k: mint(k, claims(installation="not-an-installation")), "installationId"),
    (lambda k: mint(k, claims(context={"cloudId": "11111111-2222-3333-4444-555555555555"})), "cloudId"),
    (lambda k: mint(k, claims(principal="a b")), "principal"),
    (lambda k: mint(k, {k2: v for k2, v in claims().items() if k2 != "exp"}), "invalid"),
    (lambda k: mint(Key(kid=k.kid), claims()), "invalid"),  # same kid, another key: the signature fails
    (lambda k: mint(Key(), claims()), "not in the Forge JWKS"),
    (lambda k: mint(k, claims(), headers={"kid": "../../etc"}), "key id"),
    (lambda k: "not.a.jwt", "not a JWT"),
])
def test_every_bad_token_is_refused(key, endpoint, make, message):
    with pytest.raises(AuthError, match=message):
        verify(make(key), endpoint)


def _hs256(body: dict, secret: bytes, kid: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = b64(json.dumps(body).encode())
    signature = hmac.new(secret, f"{head}.{payload}".encode(), hashlib.sha256).digest()
    return f"{head}.{payload}.{b64(signature)}"


def test_hs256_signed_with_the_public_key_is_refused(key, endpoint):
    public_pem = key.jwk()["n"].encode()  # the classic confusion: the public key used as an HMAC secret
    with pytest.raises(AuthError, match="RS256"):
        verify(_hs256(claims(), public_pem, key.kid), endpoint)


@pytest.mark.parametrize("alg", ["none", "RS512", "PS256", "ES256"])
def test_other_algorithms_are_refused_before_any_key_is_looked_up(key, endpoint, alg):
    head = base64.urlsafe_b64encode(json.dumps({"alg": alg, "kid": key.kid}).encode()).rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()
    with pytest.raises(AuthError, match="RS256"):
        verify(f"{head}.{body}.", endpoint)
    assert endpoint.fetches == 0


def test_without_an_app_id_every_token_is_refused(key, endpoint):
    with pytest.raises(AuthError, match="FORGE_APP_ID"):
        verify(mint(key, claims()), endpoint, app_id=None)


def test_development_also_takes_loopback_on_any_port_but_production_does_not(key, endpoint):
    base = f"http://127.0.0.1:5099/_api/ex/jira/{CLOUD_ID}"
    assert verify(mint(key, claims(api_base=base)), endpoint, production=False).api_base_url == base
    with pytest.raises(AuthError, match="FORGE_API_HOSTS"):
        verify(mint(key, claims(api_base=base)), endpoint, production=True)
    with pytest.raises(AuthError, match="FORGE_API_HOSTS"):  # loopback only: not any http host
        verify(mint(key, claims(api_base=f"http://10.0.0.5/ex/jira/{CLOUD_ID}")), endpoint, production=False)


def test_a_listed_host_with_a_port(key, endpoint):
    base = f"https://api.stg.atlassian.com:8443/ex/jira/{CLOUD_ID}"
    assert verify(mint(key, claims(api_base=base)), endpoint, hosts=("api.stg.atlassian.com:8443",)).cloud_id


def test_jwks_is_cached_and_an_unknown_kid_refreshes_at_most_once_a_minute(key):
    endpoint = FakeJwks(key)
    now = [1000.0]
    jwks = Jwks("https://jwks.example", get=endpoint.get, clock=lambda: now[0])
    for _ in range(3):
        fit.verify(mint(key, claims()), jwks, app_id=APP_ID, api_hosts=HOSTS, production=True)
    assert endpoint.fetches == 1
    stranger = Key()
    now[0] += 61
    for _ in range(5):
        with pytest.raises(AuthError, match="not in the Forge JWKS"):
            fit.verify(mint(stranger, claims()), jwks, app_id=APP_ID, api_hosts=HOSTS, production=True)
    assert endpoint.fetches == 2  # the first unknown kid refreshed; the next ones within the minute did not
    endpoint.keys.append(stranger)  # Forge rotates its keys
    now[0] += 30
    with pytest.raises(AuthError, match="not in the Forge JWKS"):  # not refreshed again within the minute
        fit.verify(mint(stranger, claims()), jwks, app_id=APP_ID, api_hosts=HOSTS, production=True)
    now[0] += 31
    assert fit.verify(mint(stranger, claims()), jwks, app_id=APP_ID, api_hosts=HOSTS, production=True)
    assert endpoint.fetches == 3


def test_an_oct_key_in_the_jwks_is_never_used():
    class Endpoint(FakeJwks):
        def get(self, url, timeout):
            self.fetches += 1
            from tests.plugin.forge.fits import _Response
            return _Response({"keys": [{"kty": "oct", "kid": "k1", "k": "c2VjcmV0"}]})

    jwks = Jwks("https://jwks.example", get=Endpoint().get)
    with pytest.raises(AuthError, match="not in the Forge JWKS"):
        jwks.public_key("k1")


