"""`python -m bench`: run the benchmark suite and write docs/benchmarks.md and .json;
`python -m bench curation`: score `stancegraph suggest` against the curated claims;
`python -m bench coalitions`: the frustration-index methods on planted signed graphs;
`python -m bench time`: time windows and switches at two sizes (the "Time" section)."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["curation"]:
        from bench.curation import main as curation

        sys.exit(curation(sys.argv[2:]))
    if sys.argv[1:2] == ["coalitions"]:
        from bench.coalitions import main as coalitions

        sys.exit(coalitions(sys.argv[2:]))
    if sys.argv[1:2] == ["time"]:
        from bench.timequeries import main as time_queries

        sys.exit(time_queries(sys.argv[2:]))
    from bench.suite import main

    sys.exit(main())
