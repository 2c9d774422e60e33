"""Latency and throughput as load grows: edit → partner write at 10, 50 and 200 changes/s with 1, 2 and 4 workers,
with 0 ms and 50 ms of simulated Jira latency; throughput at saturation and the scaling factor from 1 to 2 to 4
workers. Figures only."""
from __future__ import annotations

import threading

from bench import results
from bench.engine import latency, summary_changes, world

RATES = (10, 50, 200)
WORKERS = (1, 2, 4)
JIRA_MS = (0, 50)
SECONDS_OF_EDITS = 3
SATURATION_ISSUES = 120


def matrix() -> None:
    """Latency at every rate, worker count and Jira latency (3 s of edits each, spread over 25 issues)."""
    for ms in JIRA_MS:
        for count in WORKERS:
            with world(count) as engine:
                sync_id = engine.synchronize()
                engine.settle(timeout=120)
                if ms:
                    engine.fault(kind="latency", ms=ms)
                for rate in RATES:
                    latency(engine, sync_id, rate, max(30, rate * SECONDS_OF_EDITS),
                            via=f"{ms} ms Jira latency" if ms else "")


def saturation() -> None:
    """Changes carried per second when far more are offered than the workers can carry (each of 120 issues edited
    once, all at once, so nothing coalesces), from the first edit to the last partner write on Jira's clock."""
    carried: dict[int, float] = {}
    for count in WORKERS:
        with world(count) as engine:
            sync_id = engine.synchronize()
            engine.settle(timeout=120)
            keys = [engine.create("acme", "ACME", f"Saturation {n}") for n in range(SATURATION_ISSUES)]
            engine.settle(timeout=600)
            partners = {link.side1_issue_key: link.side2_issue_key for link in engine.links(sync_id)}
            prefix = f"Saturated by {count} #"
            threads = [threading.Thread(target=engine.edit, args=("acme", key), kwargs={"summary": f"{prefix}{n}"})
                       for n, key in enumerate(keys)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            engine.settle(timeout=900)
            edits = [at for key in keys for at, _ in summary_changes(engine, "acme", key, prefix)]
            writes = [at for key in keys for at, _ in summary_changes(engine, "globex", partners[key], prefix)]
            elapsed = max(writes) - min(edits)
            carried[count] = len(keys) / elapsed
            how = (f"{len(keys)} issues each edited once at the same moment; first edit → last partner write "
                   f"(the simulator's clock), {count} worker(s), 0 ms simulated latency")
            print(f"      saturation, {count} worker(s): {carried[count]:.1f} changes/s ({elapsed:.1f} s)")
            results.figure("Throughput", f"{count} worker(s): changes carried per second at saturation",
                           carried[count], "/s", how)
    for low, high in zip(WORKERS, WORKERS[1:], strict=False):
        results.figure("Throughput", f"scaling from {low} to {high} workers", carried[high] / carried[low], "×",
                       "the ratio of the saturation throughputs above (2.0× would be linear)")


def run() -> None:
    """Print the scaling figures."""
    matrix()
    saturation()
