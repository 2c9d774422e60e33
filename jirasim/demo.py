"""`make demo`: the simulator with two sites, the app and a worker, the app installed into both sites."""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from jirasim import sample

SITES = ("acme", "globex")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _wait_for(url: str, processes: list[subprocess.Popen], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(f"demo: {' '.join(process.args)} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"demo: {url} did not answer within {seconds:.0f} s")


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _guide(sim: str, app: str) -> str:
    lines = ["", "Work Sync demo is running. Open:"]
    for site in SITES:
        alice = requests.Session()
        alice.auth = (sample.EVERYWHERE[0].email, "demo")
        projects = alice.get(f"{sim}/{site}/rest/api/3/project", timeout=10).json()
        lines.append(f"  {site}: {sim}/{site}/   (Jira; pick who you are with the user switcher)")
        for project in projects:
            lines.append(f"    Project settings → Work Sync ({project['key']}): {sim}/{site}/plugins/servlet/ac/"
                         f"work-sync/work-sync-project-settings?project.key={project['key']}&project.id={project['id']}")
        lines.append(f"    Apps → Work Sync: {sim}/{site}/plugins/servlet/ac/work-sync/work-sync-admin")
        only_here = ", ".join(p.display_name for p in sample.ONLY_ON.get(site, ()))
        if only_here:
            lines.append(f"    Only on {site}: {only_here}")
    lines += ["  On every site (one account each): Alice Admin (Jira admin), Pat Project (project admin), Dev Eloper.",
              "  The sites have their own ids, and globex names some things its own way (Defect, Closed, IOS).",
              f"  The app: {app}/atlassian-connect.json · simulator control API: {sim}/_sim/calls",
              "Ctrl-C stops everything."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Start simulator, app and worker; install the app into both sites; print where to click."""
    parser = argparse.ArgumentParser(prog="python -m jirasim.demo", description=__doc__)
    parser.add_argument("--sim-port", type=int, default=8080)
    parser.add_argument("--app-port", type=int, default=5000)
    parser.add_argument("--instance", default="instance/demo", help="folder for the app's demo data")
    args = parser.parse_args(argv)
    for port in (args.sim_port, args.app_port):
        if not _port_free(port):
            raise SystemExit(f"demo: port {port} is in use; choose others with --sim-port/--app-port")
    sim, app = f"http://127.0.0.1:{args.sim_port}", f"http://127.0.0.1:{args.app_port}"
    env = {**os.environ, "APP_BASE_URL": app, "CONNECT_INSTALL_KEYS_URL": f"{sim}/_keys",
           "CONNECT_ALL_JS_URL": f"{sim}/_static/all.js", "INSTANCE_PATH": str(Path(args.instance).resolve())}
    for name in ("DATABASE_URL", "REDIS_URL", "APP_ENV"):
        env.pop(name, None)  # the demo always runs on embedded defaults
    processes = [subprocess.Popen([sys.executable, "-m", "jirasim", "--port", str(args.sim_port),
                                   *[a for s in SITES for a in ("--site", s)]], stdout=subprocess.DEVNULL)]
    interrupted = False
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        processes.append(subprocess.Popen([sys.executable, "-m", "plugin", "run", "--port", str(args.app_port)],
                                          env=env))
        _wait_for(f"{sim}/acme/rest/api/3/serverInfo", processes)
        _wait_for(f"{app}/atlassian-connect.json", processes)
        for site in SITES:
            response = requests.post(f"{sim}/_sim/sites/{site}/install",
                                     json={"descriptor_url": f"{app}/atlassian-connect.json"}, timeout=30)
            if response.status_code != 201:
                raise SystemExit(f"demo: installing into {site} failed: {response.status_code} {response.text}")
        print(_guide(sim, app), flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        raise SystemExit("demo: a process stopped unexpectedly")
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _stop(processes)
        if interrupted:
            print("demo stopped.")


if __name__ == "__main__":
    main()
