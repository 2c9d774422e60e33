"""Comment properties: set with the comment or later by whoever may edit it, read by whoever may see it."""
from __future__ import annotations

from jirasim import adf
from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


def url(session, path):
    return session.base + "/rest/api/3/" + path


def test_comment_properties_come_with_the_comment_and_follow_its_edit_permissions(openapi, shared_simulator):
    dev, pat, quinn = (session_for(shared_simulator, "acme", name) for name in ("dev", "pat", "quinn"))
    posted = check(openapi, dev.post(url(dev, "issue/ACME-3/comment?expand=properties"), json={
        "body": adf.from_text("Synced from GLOBEX-3"),
        "properties": [{"key": "work-sync", "value": {"origin": "globex", "comment": "20050"}}]}))
    assert posted.status_code == 201
    comment = posted.json()
    assert comment["properties"] == [{"key": "work-sync", "value": {"origin": "globex", "comment": "20050"}}]
    props = f"comment/{comment['id']}/properties"
    assert check(openapi, quinn.get(url(quinn, f"{props}/work-sync"))).json() == {
        "key": "work-sync", "value": {"origin": "globex", "comment": "20050"}}

    assert check(openapi, dev.put(url(dev, f"{props}/rev"), json=2)).status_code == 201
    assert check(openapi, dev.put(url(dev, f"{props}/rev"), json=3)).status_code == 200
    assert check(openapi, quinn.put(url(quinn, f"{props}/rev"), json=4)).status_code == 403  # not quinn's comment
    assert check(openapi, pat.put(url(pat, f"{props}/admin-note"), json="ok")).status_code == 201  # edits all
    keys = check(openapi, quinn.get(url(quinn, props))).json()["keys"]
    assert [k["key"] for k in keys] == ["work-sync", "rev", "admin-note"]
    assert check(openapi, quinn.get(url(quinn, f"{props}/rev"))).json()["value"] == 3

    assert check(openapi, dev.delete(url(dev, f"{props}/rev"))).status_code == 204
    assert check(openapi, dev.get(url(dev, f"{props}/rev"))).status_code == 404
    assert check(openapi, dev.delete(url(dev, f"{props}/rev"))).status_code == 404
    too_big = check(openapi, dev.put(url(dev, f"{props}/big"), json="x" * 40000))
    assert too_big.status_code == 400
    assert check(openapi, dev.get(url(dev, "comment/99999/properties"))).status_code == 404
