"""`running_simulator(...)`: serve the simulator on a real loopback port in a thread (for tests and demos)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from werkzeug.serving import make_server

from jirasim.app import create_app
from jirasim.sample import sample_world
from jirasim.store.world import World


@dataclass
class RunningSimulator:
    """A served World: its base URL and per-site URLs."""
    world: World
    base_url: str
    app: object

    def site_url(self, name: str) -> str:
        """The base URL of a site."""
        return f"{self.base_url}/{name}"

    def site(self, name: str):
        """The Site object of a site."""
        return self.world.sites[name]


@contextmanager
def running_simulator(sites=("acme", "globex"), world: World | None = None):
    """Serve `world` (default: sample sites) on 127.0.0.1 (random port) in a daemon thread; shut down on exit."""
    world = world or sample_world(sites)
    app = create_app(world)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    world.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="jirasim-http", daemon=True)
    thread.start()
    try:
        yield RunningSimulator(world, world.base_url, app)
    finally:
        from jirasim.connect import webhooks

        webhooks.detach(world)
        server.shutdown()
        server.server_close()
        thread.join(5)
