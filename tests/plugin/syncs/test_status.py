"""What each side sees is derived from one stored state (DESIGN.md's table), and so are the actions it may take."""
import pytest

from plugin.models.syncs import ACTIVE, DECLINED, REQUESTED, Synchronization
from plugin.syncs.status import allowed_actions, side_of, status, visible_to


def _sync(state, running=False, tenants=(1, 2), configured=True):
    return Synchronization(state=state, running=running, side1_tenant_id=tenants[0], side2_tenant_id=tenants[1],
                           side1_project_id="100", side2_project_id="200",
                           configuration_version=1 if configured else None, drafts=[])


@pytest.mark.parametrize("state, running, side1, side2", [
    (REQUESTED, False, "request_sent", "incoming_request"),
    (DECLINED, False, "declined", "declined"),
    (ACTIVE, True, "running", "running"),
    (ACTIVE, False, "stopped", "stopped"),
])
def test_each_stored_state_reads_as_the_table_says_on_each_side(state, running, side1, side2):
    sync = _sync(state, running)
    assert (status(sync, 1), status(sync, 2)) == (side1, side2)


def test_a_declined_request_is_gone_for_side_2_but_stays_for_side_1():
    sync = _sync(DECLINED)
    assert (visible_to(sync, 1), visible_to(sync, 2), visible_to(sync, 3)) == (True, False, False)


def test_across_sites_the_site_decides_the_side():
    sync = _sync(REQUESTED)
    assert (side_of(sync, 1, None, "accept"), side_of(sync, 2, None, "start"), side_of(sync, 3)) == (1, 2, 0)


def test_on_one_site_the_named_project_decides_else_answers_are_side_2_and_the_rest_side_1():
    sync = _sync(REQUESTED, tenants=(1, 1))
    assert side_of(sync, 1, "200", "start") == 2 and side_of(sync, 1, "100", "accept") == 1
    assert side_of(sync, 1, None, "accept") == 2 and side_of(sync, 1, None, "decline") == 2
    assert side_of(sync, 1, None, "start") == 1 and side_of(sync, 1, "999", "edit") == 1


def test_actions_follow_the_status_and_start_needs_a_published_configuration():
    assert allowed_actions(_sync(REQUESTED), 1) == ["edit", "delete"]
    assert allowed_actions(_sync(REQUESTED), 2) == ["accept", "decline", "edit", "delete"]
    assert allowed_actions(_sync(ACTIVE), 1) == ["start", "configure", "edit", "delete"]
    assert allowed_actions(_sync(ACTIVE, configured=False), 2) == ["configure", "edit", "delete"]
    assert allowed_actions(_sync(ACTIVE, running=True), 2) == ["stop", "configure", "edit", "delete"]
    assert allowed_actions(_sync(DECLINED), 1) == ["edit", "delete"]


def test_on_one_site_only_the_partner_page_and_the_administration_page_offer_to_answer():
    request = _sync(REQUESTED, tenants=(1, 1))
    assert "accept" not in allowed_actions(request, 1, project_id="100")
    assert allowed_actions(request, 2, project_id="200")[:2] == ["accept", "decline"]
    assert allowed_actions(request, 1, project_id=None)[:2] == ["accept", "decline"]
