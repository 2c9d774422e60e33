"""`python -m jirasim --port 8080 --site acme --site globex`: serve sample sites and print how to use them."""
from __future__ import annotations

import argparse
import logging
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
    parser.add_argument("--quiet", action="store_true", help="no access log and no listing of the sites")
    args = parser.parse_args(argv)
    if args.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # werkzeug logs each request at INFO
    sites = args.sites or ["acme", "globex"]
    world = sample_world(sites, args.base_url or f"http://{args.host}:{args.port}")
    server = make_server(args.host, args.port, create_app(world), threaded=True)
    for name, site in world.sites.items() if not args.quiet else ():
        keys = ", ".join(project.key for project in site.projects.values())
        print(f"site {name}: {site.base_url}   projects: {keys}")
        for user in site.users.values():
            print(f"    {user.display_name:<14} {user.email:<26} {user.time_zone:<17} accountId={user.account_id}")
    if not args.quiet:
        print("Authenticate with Basic email:any-token. Ctrl-C stops.")
    for signum in (signal.SIGINT, signal.SIGTERM):  # stop on SIGTERM as on Ctrl-C
        signal.signal(signum, _interrupt)
    try:
        with world:
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
    except KeyboardInterrupt:
        pass  # a signal before serving started


def _interrupt(*_signal) -> None:
    """Stop once: a second signal (Ctrl-C reaches every process of the group) must not break the clean-up."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
