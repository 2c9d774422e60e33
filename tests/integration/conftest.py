"""Fixtures of the engine's integration tests: worker processes next to the live app and the simulator."""
import pytest

from tests.support.engine import Engine, workers


@pytest.fixture
def engine(installed):
    """The engine with one worker process, between the simulated sites acme and globex."""
    with workers(installed.live.settings, 1) as processes:
        engine = Engine(installed)
        engine.worker_processes = processes
        yield engine
