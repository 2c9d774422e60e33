"""The simulator's qsh matches Atlassian's interoperability vectors."""
import jwt as pyjwt
import pytest

from jirasim.connect.qsh import canonical_url, url_qsh
from tests.support import reference

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
VECTORS = reference.jwt_vectors()


def _base(name):
    return "/base" if name == "Add-on baseUrl contains path" else ""


def test_there_are_79_vectors():
    assert len(VECTORS["tests"]) == 79


@pytest.mark.parametrize("vector", VECTORS["tests"], ids=lambda v: v["name"])
def test_canonical_url(vector):
    assert canonical_url("GET", vector["signedUrl"], _base(vector["name"])) == vector["canonicalUrl"]


@pytest.mark.parametrize("vector", VECTORS["tests"], ids=lambda v: v["name"])
def test_token_qsh_and_signature_verify(vector):
    token = vector["signedUrl"].split("jwt=")[1]
    claims = pyjwt.decode(token, VECTORS["secret"], algorithms=["HS256"], options={"verify_exp": False})
    assert claims["qsh"] == url_qsh("GET", vector["signedUrl"], _base(vector["name"]))
