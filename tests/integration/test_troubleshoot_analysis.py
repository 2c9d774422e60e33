"""Analyze: every check passes on a healthy synchronization and fails (or warns) for the cause it names — the app
disabled on a site, a site that does not answer, a revoked permission, a deleted custom field or status, webhooks
that stop arriving, a backlog nobody works on, conflicts."""
from datetime import timedelta

import pytest
import requests
from sqlalchemy import update

from jirasim.store.defaults import CATEGORIES, DEFAULT_WORKFLOW
from jirasim.store.entities import Transition
from plugin.engine import maintenance
from plugin.models import DirtyIssue, Tenant, utcnow
from tests.support.api import ApiUser
from tests.support.engine import Engine


def _checks(installed, sync_id, site="acme", project="ACME") -> dict:
    answer = ApiUser(installed, site, "pat", project=project).get(f"/synchronizations/{sync_id}/analysis")
    assert answer.status_code == 200, answer.text
    return {(check["id"], check["side"]): check for check in answer.json()["checks"]}


def _failing(checks: dict) -> dict:
    return {key: check["state"] for key, check in checks.items() if check["state"] != "pass"}


@pytest.fixture
def sync_id(installed):
    """A running synchronization ACME (acme) ↔ GLOBEX (globex), no worker running."""
    return Engine(installed).synchronize()


def test_a_healthy_synchronization_passes_every_check_from_both_sides(installed, sync_id):
    for site, project in (("acme", "ACME"), ("globex", "GLOBEX")):
        checks = _checks(installed, sync_id, site, project)
        assert _failing(checks) == {}
        assert {key for key in checks} >= {("installed", 1), ("installed", 2), ("reachable", 1), ("reachable", 2),
                                           ("permissions", 1), ("permissions", 2), ("configuration", None),
                                           ("webhooks", 1), ("webhooks", 2), ("queue", None), ("conflicts", None)}


def test_the_app_disabled_on_the_partner_site_fails_installed(installed, sync_id):
    response = requests.post(f"{installed.sim.base_url}/_sim/sites/globex/disable", json={}, timeout=30)
    assert response.status_code == 200, response.text
    installed.live.runtime.sides.cache.forget()  # the check refreshes once every 30 s: as if they had passed
    checks = _checks(installed, sync_id)
    assert _failing(checks) == {("installed", 2): "fail", ("reachable", 2): "warn", ("permissions", 2): "warn",
                                ("configuration", None): "warn"}  # globex's project cannot be read either
    assert "disabled" in checks[("installed", 2)]["message"] and "Manage apps" in checks[("installed", 2)]["fix"]


def test_a_site_that_does_not_answer_fails_reachable(installed, sync_id):
    Engine(installed).fault(kind="error", site="globex", endpoint="*/myself", status=503, count=5)
    checks = _checks(installed, sync_id)
    assert _failing(checks) == {("reachable", 2): "fail", ("permissions", 2): "warn"}
    assert "did not answer" in checks[("reachable", 2)]["message"]


def test_a_permission_revoked_from_the_app_user_fails_the_permissions_check_naming_it(installed, sync_id):
    revoked = requests.post(f"{installed.sim.base_url}/_sim/sites/globex/projects/GLOBEX/permissions",
                            json={"app": "work-sync", "revoke": ["EDIT_ISSUES", "ADD_COMMENTS"]}, timeout=10)
    assert revoked.status_code == 200, revoked.text
    checks = _checks(installed, sync_id)
    assert _failing(checks) == {("permissions", 2): "fail"}
    failed = checks[("permissions", 2)]
    assert "Edit Issues" in failed["message"] and "Add Comments" in failed["message"]
    assert [detail.split(" (")[0] for detail in failed["details"]] == ["Edit Issues", "Add Comments"]
    assert "permission scheme of GLOBEX" in failed["fix"]


def test_a_deleted_custom_field_fails_the_configuration_check(installed, sync_id):
    alice = installed.as_user("globex", "alice")
    api = f"{installed.sim.site_url('globex')}/rest/api/3"
    points = next(f["id"] for f in alice.get(f"{api}/field").json() if f["name"] == "Story Points")
    assert alice.delete(f"{api}/field/{points}", allow_redirects=False).status_code == 303
    installed.live.runtime.sides.cache.forget()  # the check refreshes once every 30 s: as if they had passed
    checks = _checks(installed, sync_id)
    assert _failing(checks) == {("configuration", None): "fail"}
    assert any(points in detail or "Story Points" in detail for detail in checks[("configuration", None)]["details"])
    assert "Configure" in checks[("configuration", None)]["fix"]


def _add_blocked_status(site) -> str:
    """A 'Blocked' status in the default workflow of a site, reachable from anywhere (an admin's change)."""
    with site.world.lock:
        blocked = site.add_status("Blocked", CATEGORIES["indeterminate"])
        workflow = site.workflows[DEFAULT_WORKFLOW]
        workflow.status_ids = (*workflow.status_ids, blocked.id)
        workflow.transitions.append(Transition("91", "Block", blocked.id))
    return blocked.id


def test_a_deleted_mapped_status_fails_the_configuration_check(installed):
    _add_blocked_status(installed.site("acme"))
    blocked = _add_blocked_status(installed.site("globex"))
    sync_id = Engine(installed).synchronize()  # the suggestion maps Blocked ↔ Blocked
    assert _failing(_checks(installed, sync_id)) == {}
    with installed.site("globex").world.lock:
        installed.site("globex").remove_status(blocked)
    installed.live.runtime.sides.cache.forget()  # the check refreshes once every 30 s: as if they had passed
    checks = _checks(installed, sync_id)
    assert _failing(checks) == {("configuration", None): "fail"}
    assert any(blocked in detail or "Blocked" in detail for detail in checks[("configuration", None)]["details"])


def test_webhooks_that_stop_arriving_warn_once_the_poll_finds_the_changes_they_missed(installed, sync_id):
    engine, tools = Engine(installed), installed.live.runtime.tools
    engine.fault(kind="search_lag", ms=0)  # the poll below must see the edits it is run for
    engine.create("acme", "ACME", "Announced by a webhook")  # issues of before the start are the initial sync's
    installed.flush_webhooks()
    maintenance.poll_one(tools, int(sync_id))
    assert ("webhooks", 1) not in _failing(_checks(installed, sync_id))
    engine.fault(kind="webhooks", drop=10)
    engine.create("acme", "ACME", "Nobody was told")
    installed.flush_webhooks()
    maintenance.poll_one(tools, int(sync_id))
    checks = _checks(installed, sync_id)
    assert checks[("webhooks", 1)]["state"] == "warn" and checks[("webhooks", 2)]["state"] == "pass"
    assert "no webhook announced" in checks[("webhooks", 1)]["message"]


def test_a_backlog_nobody_works_on_fails_the_queue_check(installed, sync_id):
    engine = Engine(installed)
    for number in range(3):
        engine.create("acme", "ACME", f"Waiting {number}")
    installed.flush_webhooks()
    checks = _checks(installed, sync_id)
    assert checks[("queue", None)]["state"] == "pass" and "3 issues wait" in checks[("queue", None)]["message"]
    with installed.live.runtime.sessions.begin() as session:  # as if no worker had run for two hours
        session.execute(update(DirtyIssue).values(first_marked_at=utcnow() - timedelta(hours=2)))
    checks = _checks(installed, sync_id)
    assert _failing(checks) == {("queue", None): "fail"}
    assert "3 issues wait" in checks[("queue", None)]["message"] and "workers" in checks[("queue", None)]["fix"]


def test_each_sites_budget_shows_points_used_and_warns_near_the_tenant_quota(installed, sync_id):
    checks = _checks(installed, sync_id)
    assert checks[("budget", 1)]["state"] == "pass" and checks[("budget", 2)]["state"] == "pass"
    assert "of 65,000 points of the app's hourly quota" in checks[("budget", 1)]["message"]
    assert "of 100,000 points of its hourly quota here used" in checks[("budget", 1)]["message"]
    assert "0 pauses and 0 near-limit periods this hour" in checks[("budget", 1)]["message"]
    requests.post(f"{installed.sim.base_url}/_sim/limits", json={"tenant_points": 40}, timeout=10)
    for _ in range(20):  # the analysis reads both sites: acme's answers soon say the quota is near
        checks = _checks(installed, sync_id)
        if checks[("budget", 1)]["state"] != "pass":
            break
    budget = checks[("budget", 1)]
    assert budget["state"] == "warn", budget["message"]
    assert "Jira says a limit is near" in budget["message"] and "1 near-limit period this hour" in budget["message"]
    assert "of 40 points of its hourly quota here used" in budget["message"]
    assert budget["details"] == ["10 calls per second at most"]


@pytest.mark.parametrize("side1_kind", ["forge"], indirect=True)
def test_a_forge_site_that_has_not_called_in_since_its_token_expired_fails_reachable_naming_it(installed, sync_id):
    with installed.live.runtime.sessions() as session:
        session.execute(update(Tenant).where(Tenant.kind == "forge").values(
            system_token_expires_at=utcnow() - timedelta(minutes=5)))
        session.commit()
    installed.live.runtime.sides.cache.forget()
    checks = _checks(installed, sync_id, "globex", "GLOBEX")
    reach = checks[("reachable", 1)]
    assert reach["state"] == "fail" and checks[("permissions", 1)]["state"] == "warn"
    assert reach["message"].startswith(f"{installed.sim.site_url('acme')} has not called Work Sync since its token "
                                       "expired at ")
    assert "scheduled trigger" in reach["fix"] and "Manage apps" in reach["fix"]
    assert checks[("reachable", 2)]["state"] == "pass"
