"""Canonical requests and qsh against Atlassian's 79 interoperability vectors."""
import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from plugin.connect import jwt as connect_jwt
from plugin.connect.qsh import canonical_path, canonical_request, qsh
from tests.support import reference

BASE_PATH_VECTOR = "Add-on baseUrl contains path"


def _vectors():
    data = reference.jwt_vectors()
    return data["secret"], data["tests"]


def _claims(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_all_79_vectors_reproduce_their_canonical_request():
    _, vectors = _vectors()
    assert len(vectors) == 79
    for vector in vectors:
        url = urlsplit(vector["signedUrl"])
        base_path = "/base" if vector["name"] == BASE_PATH_VECTOR else ""
        assert canonical_request("GET", url.path, url.query, base_path) == vector["canonicalUrl"], vector["name"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_every_vector_token_verifies_with_the_shared_secret():
    secret, vectors = _vectors()
    for vector in vectors:
        url = urlsplit(vector["signedUrl"])
        token = parse_qs(url.query)["jwt"][0]
        base_path = "/base" if vector["name"] == BASE_PATH_VECTOR else ""
        verified = connect_jwt.verify(token, lambda _iss: secret, connect_jwt.Request("GET", url.path, url.query),
                                      base_path=base_path, now=_claims(token)["iat"])
        assert verified.claims["qsh"] == qsh("GET", url.path, url.query, base_path), vector["name"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_a_vector_token_fails_when_its_url_is_changed():
    secret, vectors = _vectors()
    url = urlsplit(vectors[0]["signedUrl"])
    token = parse_qs(url.query)["jwt"][0]
    with pytest.raises(Exception, match="hash"):
        connect_jwt.verify(token, lambda _iss: secret, connect_jwt.Request("GET", url.path, "param=other"),
                           now=_claims(token)["iat"])


@pytest.mark.parametrize("path, base, expected", [
    ("/app/pages/admin", "/app", "/pages/admin"),
    ("/app", "/app", "/"),
    ("/application/x", "/app", "/application/x"),
    ("/pages/admin/", "", "/pages/admin"),
    ("", "", "/"),
    ("/a&b", "", "/a%26b"),
])
def test_canonical_path_strips_only_the_base_path_and_trailing_slash(path, base, expected):
    assert canonical_path(path, base) == expected


def test_query_is_sorted_encoded_and_jwt_excluded():
    assert canonical_request("post", "/x", "b=2&a=1&a=0&jwt=abc&c=a+b*") == "POST&/x&a=0,1&b=2&c=a%20b%2A"
