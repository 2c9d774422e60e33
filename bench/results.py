"""Every figure the benchmarks measure, with how it was measured and DESIGN.md's target beside it; written to
docs/performance.md and bench/results.json at the end of `python -m bench`."""
from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    suite: str
    name: str
    value: float
    unit: str
    how: str = ""
    target: str = ""
    met: bool | None = None


FIGURES: list[Figure] = []


def figure(suite: str, name: str, value: float, unit: str, how: str = "", target: str = "",
           met: bool | None = None) -> Figure:
    """Record one figure (and print it with its target)."""
    found = Figure(suite, name, round(value, 3), unit, how, target, met)
    FIGURES.append(found)
    verdict = "" if met is None else ("  met" if met else "  NOT met")
    print(f"   · {name:<58} {value:>10,.2f} {unit:<12} {('target ' + target) if target else ''}{verdict}")
    return found


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        cpu = model
    except (OSError, StopIteration):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{system}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except OSError:
        return "unknown"


def _earlier() -> tuple[list[Figure], dict[str, str]]:
    """The figures of bench/results.json whose sections this run did not measure, and when each was measured."""
    path = ROOT / "bench" / "results.json"
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        return [], {}
    fresh = {f.suite for f in FIGURES}
    kept = [Figure(**item) for item in old.get("figures", []) if item.get("suite") not in fresh]
    dates = old.get("measured") or {}
    return kept, {f.suite: dates.get(f.suite, old.get("date", "an earlier run")) for f in kept}


def write(suites: list[str], seconds: float) -> None:
    """docs/performance.md and bench/results.json from the recorded figures; a run of some suites only
    (`python -m bench forge`) replaces their sections and keeps the others, each dated."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine, commit = _machine(), _commit()
    kept, measured = _earlier()
    figures = FIGURES + kept
    measured.update({f.suite: when for f in FIGURES})
    (ROOT / "bench" / "results.json").write_text(json.dumps(
        {"date": when, "machine": machine, "commit": commit, "suites": suites, "seconds": round(seconds, 1),
         "measured": measured, "figures": [asdict(f) for f in figures]}, indent=2) + "\n")
    lines = ["# Performance", "",
             f"Measured by `make bench` on {when}, commit `{commit}`, in {seconds / 60:.1f} minutes"
             + (" (a section measured earlier says when)." if kept else "."), "",
             f"Machine: {machine}. Everything runs on this one machine: the Jira simulator (`jirasim`, 0 ms "
             "simulated latency), the app, its RQ workers, Redis and SQLite, so the figures are relative: the "
             "simulator and the app share the CPUs.", "",
             "Targets are DESIGN.md's (\"Performance targets\"); a figure without one is shown for comparison. "
             "Tests never assert wall time; these figures are printed, and written here and to "
             "`bench/results.json`.", ""]
    for suite in dict.fromkeys(f.suite for f in figures):
        lines += [f"## {suite}", ""]
        if measured.get(suite) != when:
            lines += [f"Measured {measured[suite]}.", ""]
        lines += ["| figure | value | target | met | how it was measured |", "| --- | --- | --- | --- | --- |"]
        for f in (f for f in figures if f.suite == suite):
            met = "" if f.met is None else ("yes" if f.met else "**no**")
            lines.append(f"| {f.name} | {f.value:,.2f} {f.unit} | {f.target or '—'} | {met or '—'} | {f.how} |")
        lines.append("")
    notes = ROOT / "bench" / "notes.md"  # hand-written: before/after figures of a change, what is above target and why
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    (ROOT / "docs" / "performance.md").write_text("\n".join(lines))
