"""Run every benchmark and print its figures."""
from __future__ import annotations

import logging
import sys

from bench import connect_auth, engine, overview, simulator


def main() -> None:
    """Run the benchmarks named on the command line, or all of them."""
    suites = {"connect": connect_auth.run, "simulator": simulator.run, "overview": overview.run,
              "engine": engine.run}
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    names = sys.argv[1:] or list(suites)
    for name in names:
        print(f"== {name}")
        suites[name]()


if __name__ == "__main__":
    main()
