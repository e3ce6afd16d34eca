"""`python -m bench [NAME...]`: run the benchmarks and print their figures."""

from __future__ import annotations

import importlib
import sys

ALL = ["images", "tokens", "bot", "bulk", "publish"]


def main(argv: list[str]) -> None:
    for name in argv or ALL:
        print(f"\n### bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
