"""Serve WSGI apps on loopback ports in threads: `loopback_server(app)` and `running_simulator(...)`."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from werkzeug.serving import make_server

from jirasim.app import create_app
from jirasim.sample import sample_world
from jirasim.store.site import Site
from jirasim.world import World


@contextmanager
def loopback_server(app) -> Iterator[str]:
    """Serve the WSGI callable `app` on 127.0.0.1 (a free port) in a daemon thread; yields its base URL.

    An app that must know its own URL before it is built can be served through a small WSGI callable that
    forwards to it once built.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"loopback-{server.server_port}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass
class RunningSimulator:
    """A served World: its base URL and per-site URLs."""
    world: World
    base_url: str
    app: object

    def site_url(self, name: str) -> str:
        """The base URL of a site."""
        return f"{self.base_url}/{name}"

    def site(self, name: str) -> Site:
        """The Site object of a site."""
        return self.world.sites[name]


@contextmanager
def running_simulator(sites=("acme", "globex"), world: World | None = None) -> Iterator[RunningSimulator]:
    """Serve `world` (default: sample sites) on a loopback port, delivering webhooks; all stopped on exit."""
    world = world or sample_world(sites)
    app = create_app(world)
    with loopback_server(app) as base_url:
        world.base_url = base_url
        with world:
            yield RunningSimulator(world, base_url, app)
