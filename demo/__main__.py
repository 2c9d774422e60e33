"""`make demo`: the simulator with two sites, the app and a worker, the app installed into both sites — acme
through Forge, globex through Connect (`--forge SITE` / `--connect SITE` choose)."""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import yaml

from jirasim import sample

SITES = ("acme", "globex")
FORGE, CONNECT = "Forge", "Connect"
DEFAULT_KINDS = {"acme": FORGE, "globex": CONNECT}


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


def _stop(processes: list[subprocess.Popen], ctrl_c: bool) -> None:
    """Stop the simulator and the app (which stops its worker and its embedded Redis). After Ctrl-C they heard it
    too (one process group) and stop by themselves; a second signal would only break their clean-up."""
    deadline = time.monotonic() + (5 if ctrl_c else 0)
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_stopped_by: list[int] = []


def _interrupt(signum, _frame) -> None:
    """Ctrl-C, SIGTERM or a closed terminal: stop once, ignoring any further signal while cleaning up."""
    _stopped_by.append(signum)
    for each in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(each, signal.SIG_IGN)
    raise KeyboardInterrupt


def _forge_app(out: Path, app_id: str, env: dict) -> dict:
    """The deployable Forge app of this backend (`python -m plugin forge-app`), written into `out`: its manifest."""
    made = subprocess.run([sys.executable, "-m", "plugin", "forge-app", "--out", str(out), "--app-id", app_id],
                          env=env, capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        raise SystemExit(f"demo: python -m plugin forge-app failed:\n{made.stderr or made.stdout}")
    return yaml.safe_load((out / "manifest.yml").read_text(encoding="utf-8"))


def _install(sim: str, app: str, site: str, kind: str, forge_out: Path) -> None:
    if kind == FORGE:  # as `forge install` would: the manifest, its Custom UI folder, the remote at this app
        body = {"manifest": (forge_out / "manifest.yml").read_text(encoding="utf-8"), "remote_base_url": app,
                "app_dir": str(forge_out)}
        response = requests.post(f"{sim}/_sim/sites/{site}/forge/install", json=body, timeout=30)
    else:
        response = requests.post(f"{sim}/_sim/sites/{site}/install",
                                 json={"descriptor_url": f"{app}/atlassian-connect.json"}, timeout=30)
    if response.status_code not in (200, 201):
        raise SystemExit(f"demo: installing into {site} through {kind} failed: {response.status_code} {response.text}")


def _page_keys(manifest: dict | None) -> dict[str, str]:
    """{Forge module type: module key} of the project settings and admin pages."""
    modules = (manifest or {}).get("modules", {})
    return {kind: found[0]["key"] for kind in ("jira:projectSettingsPage", "jira:adminPage")
            if (found := modules.get(kind))}


def _guide(sim: str, app: str, kinds: dict[str, str], manifest: dict | None) -> str:
    app_uuid = (manifest or {}).get("app", {}).get("id", "").rsplit("/", 1)[-1]
    keys = _page_keys(manifest)
    lines = ["", "Work Sync demo is running. Open:"]
    for site in SITES:
        alice = requests.Session()
        alice.auth = (sample.EVERYWHERE[0].email, "demo")
        projects = alice.get(f"{sim}/{site}/rest/api/3/project", timeout=10).json()
        how = ("installed through Forge (Custom UI pages, invoke-remote, Forge events)" if kinds[site] == FORGE
               else "installed through Connect (iframe pages, JWT, webhooks)")
        lines.append(f"  {site}: {sim}/{site}/   {how}; pick who you are with the user switcher")
        for project in projects:
            if kinds[site] == FORGE:
                page = (f"{sim}/{site}/jira/projects/{project['key']}/settings/apps/{app_uuid}/"
                        f"{keys.get('jira:projectSettingsPage', '')}")
            else:
                page = (f"{sim}/{site}/plugins/servlet/ac/work-sync/work-sync-project-settings"
                        f"?project.key={project['key']}&project.id={project['id']}")
            lines.append(f"    Project settings → Work Sync ({project['key']}): {page}")
        admin = (f"{sim}/{site}/jira/settings/apps/{app_uuid}/{keys.get('jira:adminPage', '')}" if kinds[site] == FORGE
                 else f"{sim}/{site}/plugins/servlet/ac/work-sync/work-sync-admin")
        lines.append(f"    Apps → Work Sync: {admin}")
        only_here = ", ".join(person.display_name for person in sample.ONLY_ON.get(site, ()))
        if only_here:
            lines.append(f"    Only on {site}: {only_here}")
    lines += ["  On every site (one account each): Alice Admin (Jira admin), Pat Project (project admin), Dev Eloper.",
              "  The sites have their own ids, and globex names some things its own way (Defect, Closed, IOS).",
              f"  The app: {app}/atlassian-connect.json · simulator control API: {sim}/_sim/calls",
              "  The app's warnings and errors show here (--access-log adds every request).",
              "Ctrl-C stops everything."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Start simulator, app and worker; install the app into both sites; print where to click."""
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--sim-port", type=int, default=8080)
    parser.add_argument("--app-port", type=int, default=5000)
    parser.add_argument("--instance", default="instance/demo",
                        help="folder for the app's demo data (emptied at start: the simulator starts fresh too)")
    parser.add_argument("--forge", action="append", default=[], metavar="SITE", help="install through Forge")
    parser.add_argument("--connect", action="append", default=[], metavar="SITE", help="install through Connect")
    parser.add_argument("--access-log", action="store_true", help="print every request of the app and the simulator")
    args = parser.parse_args(argv)
    kinds = dict(DEFAULT_KINDS)
    for kind, chosen in ((FORGE, args.forge), (CONNECT, args.connect)):
        for site in chosen:
            if site not in kinds:
                parser.error(f"{site} is not a demo site ({', '.join(SITES)})")
            kinds[site] = kind
    for port in (args.sim_port, args.app_port):
        if not _port_free(port):
            raise SystemExit(f"demo: port {port} is in use; choose others with --sim-port/--app-port")
    sim, app = f"http://127.0.0.1:{args.sim_port}", f"http://127.0.0.1:{args.app_port}"
    instance = Path(args.instance).resolve()
    # The simulator keeps nothing between runs, so neither does the app: old synchronizations would name issues
    # and ids of a world that is gone (and clash with the new one's).
    shutil.rmtree(instance, ignore_errors=True)
    app_id = f"ari:cloud:ecosystem::app/{uuid.uuid4()}"
    env = {**os.environ, "APP_BASE_URL": app, "CONNECT_INSTALL_KEYS_URL": f"{sim}/_keys",
           "CONNECT_ALL_JS_URL": f"{sim}/_static/all.js", "INSTANCE_PATH": str(instance),
           "FORGE_APP_ID": app_id, "FORGE_JWKS_URL": f"{sim}/_forge/.well-known/jwks.json",
           "FORGE_API_HOSTS": f"127.0.0.1:{args.sim_port}",
           "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO" if args.access_log else "WARNING")}
    for name in ("DATABASE_URL", "REDIS_URL", "APP_ENV"):
        env.pop(name, None)  # the demo always runs on embedded defaults
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    processes: list[subprocess.Popen] = []
    try:
        processes.append(subprocess.Popen([sys.executable, "-m", "jirasim", "--port", str(args.sim_port),
                                           *[arg for site in SITES for arg in ("--site", site)],
                                           *([] if args.access_log else ["--quiet"])], stdout=subprocess.DEVNULL))
        processes.append(subprocess.Popen([sys.executable, "-m", "plugin", "run", "--port", str(args.app_port)],
                                          env=env, stdout=subprocess.DEVNULL))
        manifest = None
        if FORGE in kinds.values():
            manifest = _forge_app(instance / "forge-app", app_id, env)
        _wait_for(f"{sim}/acme/rest/api/3/serverInfo", processes)
        _wait_for(f"{app}/atlassian-connect.json", processes)
        for site in SITES:
            _install(sim, app, site, kinds[site], instance / "forge-app")
        print(_guide(sim, app, kinds, manifest), flush=True)
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        raise SystemExit("demo: a process stopped unexpectedly")
    except KeyboardInterrupt:
        pass
    finally:
        _stop(processes, ctrl_c=signal.SIGINT in _stopped_by)
        if _stopped_by:
            print("demo stopped.", flush=True)

if __name__ == "__main__":
    main()
