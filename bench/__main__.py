"""Run every benchmark and print its figures."""
from __future__ import annotations

import sys

from bench import connect_auth


def main() -> None:
    """Run the benchmarks named on the command line, or all of them."""
    suites = {"connect": connect_auth.run}
    names = sys.argv[1:] or list(suites)
    for name in names:
        print(f"== {name}")
        suites[name]()


if __name__ == "__main__":
    main()
