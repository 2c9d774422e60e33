"""`python -m jirasim --port 8080 --site acme --site globex`: serve sample sites and print how to use them."""
from __future__ import annotations

import argparse
import signal

from werkzeug.serving import make_server

from jirasim.app import create_app
from jirasim.sample import sample_world


def main(argv=None) -> None:
    """Parse arguments, build the sample world and serve it until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m jirasim", description="Jira Cloud simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--site", action="append", dest="sites", help="site name (repeatable); default acme, globex")
    parser.add_argument("--base-url", help="public base URL (default http://HOST:PORT)")
    args = parser.parse_args(argv)
    sites = args.sites or ["acme", "globex"]
    world = sample_world(sites, args.base_url or f"http://{args.host}:{args.port}")
    server = make_server(args.host, args.port, create_app(world), threaded=True)
    for name, site in world.sites.items():
        print(f"site {name}: {site.base_url}   projects: {', '.join(p.key for p in site.projects.values())}")
        for user in site.users.values():
            print(f"    {user.display_name:<14} {user.email:<26} {user.time_zone:<17} accountId={user.account_id}")
    print("Authenticate with Basic email:any-token. Ctrl-C stops.")
    signal.signal(signal.SIGTERM, _interrupt)  # stop on SIGTERM as on Ctrl-C
    with world:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
