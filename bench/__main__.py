"""`python -m bench`: run the benchmark suite and write docs/benchmarks.md and .json."""

from __future__ import annotations

import sys

from bench.suite import main

if __name__ == "__main__":
    sys.exit(main())
