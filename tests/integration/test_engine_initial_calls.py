"""The initial sync's calls, pinned: one ids-only search page for up to 1,000 existing issues, bulk fetches of 100,
bulk creates of 50, and each side's create metadata read once per issue type (shared by every process)."""
from plugin.engine import maintenance
from tests.integration.test_engine_initial import _many
from tests.support.engine import Engine

CREATEMETA = "GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}"


def test_the_initial_sync_of_129_issues_costs_one_search_page_and_bulk_calls_only(installed):
    engine, tools = Engine(installed), installed.live.runtime.tools
    types = len(engine.rest("acme", "GET", "/project/ACME").json()["issueTypes"])
    keys = _many(engine, 120)  # beside the 9 issues of the sample project
    engine.reset_calls()
    sync_id = int(engine.synchronize())
    while maintenance.initial_step(tools, sync_id) is not None:
        pass
    calls = engine.calls()
    # Both directions sync, so each side's existing issues cross: acme's 129, globex's few (one bulk create).
    assert calls.get("acme POST /rest/api/3/search/jql") == calls.get("globex POST /rest/api/3/search/jql") == 1
    assert calls.get("acme POST /rest/api/3/issue/bulkfetch") == 3  # 129 sources 100 a call, + globex's partners
    assert calls.get("globex POST /rest/api/3/issue/bulk") == 3  # 50 a call
    assert calls.get("acme POST /rest/api/3/issue/bulk") == 1
    assert calls.get("globex POST /rest/api/3/issue/bulkfetch") == 3  # globex's sources, + 129 partners read back
    assert not calls.get("globex POST /rest/api/3/issue") and not calls.get("acme GET /rest/api/3/issue/{issueIdOrKey}")
    for site in ("acme", "globex"):  # the metadata (createmeta of each issue type) read once per side
        assert calls.get(f"{site} GET /rest/api/3/issue/createmeta/{{projectIdOrKey}}/issuetypes") == 1
        assert calls.get(f"{site} {CREATEMETA}") == types
    assert all(engine.partner(str(sync_id), 1, key) for key in keys)
