"""Fixtures of the engine's integration tests: worker processes next to the live app and the simulator."""
import pytest

from tests.support.engine import running_engine
from tests.support.in_process import in_process_engine


@pytest.fixture
def engine(installed, request):
    """The engine with one worker process between the simulated sites acme and globex; in an `in_process` module
    the jobs run in the test's own process instead (no process to start, no periodic poll)."""
    start = in_process_engine if request.node.get_closest_marker("in_process") else running_engine
    with start(installed) as engine:
        yield engine


def pytest_collection_modifyitems(config, items):
    """A `connect_only` test of a module that runs with both kinds of side 1 (SIDE1_KINDS) is deselected — visibly,
    in the summary — for the Forge kind: what it checks (Connect JWTs, the Connect lifecycle) a Forge site has not."""
    keep, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        forge = params.get("side1_kind") == "forge"
        (dropped if forge and item.get_closest_marker("connect_only") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
