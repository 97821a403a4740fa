"""The benchmark suite runs end to end at 10k (a smoke test: no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stancegraph.settings import PROJECT_ROOT


def _bench(tmp_path: Path, *extra: str) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-m", "bench", "--size", "10k", "--quick", "--out", str(tmp_path), *extra],
        cwd=PROJECT_ROOT,
        check=True,
        timeout=600,
    )
    assert (tmp_path / "benchmarks.md").read_text(encoding="utf-8").startswith("# Benchmarks")
    result: dict[str, Any] = json.loads((tmp_path / "benchmarks.json").read_text(encoding="utf-8"))
    return result


@pytest.mark.slow  # a whole benchmark run at 10k claims: not the fast loop
def test_bench_runs_on_the_embedded_store(tmp_path: Path) -> None:
    result = _bench(tmp_path, "--no-neo4j")
    assert set(result["scales"]) == {"10k"}


@pytest.mark.neo4j
@pytest.mark.slow
def test_bench_runs_with_neo4j(tmp_path: Path) -> None:
    """Starts its own Neo4j server (the suite clears the database it uses)."""
    result = _bench(tmp_path, "--heap", "512m", "--pagecache", "256m")
    scale = result["scales"]["10k"]
    assert scale["neo4j_load"]["reload_writes"] == 0
    assert all(q["answers_differ"] == 0 for q in scale["queries"].values())
    assert "api" in result and "loader_naive" in result
    assert result["alias"]["answers_differ"] == 0


@pytest.mark.slow
def test_time_bench_writes_its_section(tmp_path: Path) -> None:
    """`python -m bench time` on the embedded store: both sizes, every query, the Time section."""
    subprocess.run(
        [sys.executable, "-m", "bench", "time", "--quick", "--no-neo4j", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT,
        check=True,
        timeout=600,
    )
    found: dict[str, Any] = json.loads((tmp_path / "benchmarks.json").read_text(encoding="utf-8"))["time"]
    small, large = found["scales"].values()
    assert large["claims"] == 10 * small["claims"]
    assert set(small["entity"]) == {"hub", "fixed"} and small["global"]["switches()"]["answer"] > 0
    assert "## 8. Time" in (tmp_path / "benchmarks.md").read_text(encoding="utf-8")
