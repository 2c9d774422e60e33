"""Fixtures: a running fake simulator (stand-in for CORE's world) and a tiny Connect test app."""
import pytest
import requests

from jirasim.connect import webhooks

from tests.jirasim.connect.fakeworld import running_fake_sim
from tests.jirasim.connect.support import running_test_app


@pytest.fixture
def sim():
    with running_fake_sim() as (world, url):
        yield world, url
        world.webhook_dispatcher.flush(5)
        webhooks.detach(world)


@pytest.fixture
def test_app(sim):
    world, url = sim
    with running_test_app() as app:
        app.sim_url = url
        yield app


@pytest.fixture
def installed(sim, test_app):
    world, url = sim
    r = requests.post(f"{url}/_sim/sites/alpha/install",
                      json={"descriptor_url": test_app.base_url + "/atlassian-connect.json"}, timeout=20)
    assert r.status_code == 201, r.text
    return world, url, test_app


@pytest.fixture
def real():
    """CORE's real simulator (sample site `acme`) on a real port, with the test app installed."""
    testing = pytest.importorskip("jirasim.testing")
    with testing.running_simulator(sites=("acme",)) as sim_:
        world, url = sim_.world, sim_.base_url
        with running_test_app() as app:
            app.sim_url = url
            r = requests.post(f"{url}/_sim/sites/acme/install",
                              json={"descriptor_url": app.base_url + "/atlassian-connect.json"}, timeout=20)
            assert r.status_code == 201, r.text
            yield world, url, app
            world.webhook_dispatcher.flush(10)
        webhooks.detach(world)
