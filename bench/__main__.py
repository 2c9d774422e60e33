"""Run every benchmark and print its figures."""
from __future__ import annotations

import logging
import sys
import time

from bench import connect_auth, engine, forge, overview, results, scaling, simulator


def main() -> None:
    """Run the benchmarks named on the command line, or all of them."""
    suites = {"connect": connect_auth.run, "simulator": simulator.run, "overview": overview.run,
              "engine": engine.run, "scaling": scaling.run, "forge": forge.run}
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    names = sys.argv[1:] or list(suites)
    unknown = [name for name in names if name not in suites]
    if unknown:
        sys.exit(f"python -m bench [SUITE ...]: no suite named {', '.join(unknown)}; the suites are "
                 f"{', '.join(suites)} (none: all of them)")
    started = time.monotonic()
    for name in names:
        print(f"== {name}")
        suites[name]()
    results.write(names, time.monotonic() - started)
    print("figures written to docs/performance.md and bench/results.json")


if __name__ == "__main__":
    main()
