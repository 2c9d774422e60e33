"""The Forge Invocation Token and headers, field for field as Forge Remote's essentials document them."""
import jwt as pyjwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

# The documented FIT example (mirror/remote/essentials), without what the same table marks as absent here:
# `app.version` (removed on 2025-09-24), `app.license` (paid apps in production only), `icLabel` (Isolated Cloud
# only) and the Bitbucket installation context.
DOCUMENTED = {
    "app": {"id": str, "appVersion": str, "installationId": str, "apiBaseUrl": str,
            "installation": {"id": str, "contexts": [{"name": str, "apiBaseUrl": str, "cloudId": str}]},
            "environment": {"type": str, "id": str}, "module": {"type": str, "key": str}},
    "context": {"localId": str, "cloudId": str, "moduleKey": str, "siteUrl": str, "extension": dict},
    "principal": str, "aud": str, "iss": str, "iat": int, "nbf": int, "exp": int, "jti": str,
}


def shape(value):
    """The structure of a JSON value: dicts by key, lists by their items, leaves by type."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value)


def ui_claims(forge_app, alice):
    project = forge_app.simulator.site("acme").project("ACME")
    extension = {"type": "jira:projectSettingsPage", "project": {"id": project.id, "key": "ACME", "type": "software"}}
    answer = forge_app.invoke({"path": "/api/echo", "method": "GET", "extension": extension}, alice.account_id)
    assert answer.status_code == 201, answer.text
    return forge_app.remote.of("/api/echo")[-1]


def alice_of(forge_app):
    return next(u for u in forge_app.simulator.site("acme").users.values() if u.email.startswith("alice@"))


def test_a_ui_invocation_carries_the_documented_claims_and_headers(forge_app):
    alice = alice_of(forge_app)
    received = ui_claims(forge_app, alice)
    claims, site = received["claims"], forge_app.simulator.site("acme")
    extension = {"type": str, "project": {"id": str, "key": str, "type": str}}  # a project settings page's
    assert shape(claims) == {**DOCUMENTED, "context": {**DOCUMENTED["context"], "extension": extension}}
    installation = site.forge_apps[forge_app.document["app"]["id"]]
    assert claims["app"]["id"] == claims["aud"] == installation.app_id
    assert claims["app"]["installationId"] == claims["app"]["installation"]["id"] == installation.installation_id
    assert claims["app"]["installationId"].startswith("ari:cloud:ecosystem::installation/")
    assert claims["app"]["apiBaseUrl"] == f"{forge_app.url}/_api/ex/jira/{site.cloud_id}"
    assert claims["app"]["installation"]["contexts"] == [
        {"name": "jira", "apiBaseUrl": claims["app"]["apiBaseUrl"], "cloudId": site.cloud_id}]
    assert claims["app"]["module"] == {"type": "jira:projectSettingsPage", "key": "ws-project"}
    assert claims["app"]["environment"]["type"] == "DEVELOPMENT"
    assert claims["context"]["cloudId"] == site.cloud_id and claims["context"]["siteUrl"] == site.base_url
    assert claims["context"]["moduleKey"] == "ws-project"
    assert claims["principal"] == alice.account_id and claims["iss"] == "forge/invocation-token"
    assert claims["iat"] == claims["nbf"] and claims["exp"] - claims["iat"] == 25 and len(claims["jti"]) == 40
    headers = {k.lower(): v for k, v in received["headers"].items()}
    assert {"x-b3-traceid", "x-b3-spanid", "authorization", "x-forge-oauth-system"} <= set(headers)
    assert len(headers["x-b3-traceid"]) in (16, 32) and len(headers["x-b3-spanid"]) in (16, 32)
    assert "x-forge-oauth-user" not in headers  # the manifest asks for no user token


def test_an_event_invocation_has_no_context_and_no_principal(forge_app):
    (installed,) = forge_app.remote.of("/forge/lifecycle")
    claims = installed["claims"]
    backend = {k: v for k, v in DOCUMENTED.items() if k not in ("context", "principal")}
    assert shape(claims) == backend
    assert claims["app"]["module"] == {"type": "core:endpoint", "key": "ws-lifecycle"}
    assert installed["headers"]["Authorization"].startswith("Bearer ")


def test_a_fit_fails_verification_after_exp_with_another_key_or_another_audience(forge_app):
    token = ui_claims(forge_app, alice_of(forge_app))["headers"]["Authorization"].split(" ", 1)[1]
    forge_app.remote.verify(token)  # valid now
    with pytest.raises(pyjwt.ExpiredSignatureError):  # as verified 26 s from now (a negative leeway), past exp
        forge_app.remote.verify(token, leeway=-26, options={"verify_nbf": False, "verify_iat": False})
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token, other, algorithms=["RS256"], audience=forge_app.document["app"]["id"])
    with pytest.raises(pyjwt.InvalidAudienceError):
        pyjwt.decode(token, forge_app.remote.jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                     audience="ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000")


def test_the_jwks_serves_the_kid_of_every_fit(forge_app):
    token = forge_app.remote.of("/forge/lifecycle")[0]["headers"]["Authorization"].split(" ", 1)[1]
    kid = pyjwt.get_unverified_header(token)["kid"]
    jwks = requests.get(f"{forge_app.url}/_forge/.well-known/jwks.json", timeout=5).json()
    assert [k["kid"] for k in jwks["keys"]] == [kid] and jwks["keys"][0]["kty"] == "RSA"
