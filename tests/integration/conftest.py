"""Fixtures of the engine's integration tests: worker processes next to the live app and the simulator."""
import pytest

from tests.support.engine import running_engine


@pytest.fixture
def engine(installed):
    """The engine with one worker process, between the simulated sites acme and globex."""
    with running_engine(installed) as engine:
        yield engine
