"""`python -m bench coalitions` on small sizes: the figures, the JSON and the benchmarks.md section."""

from __future__ import annotations

import json
from pathlib import Path

from bench.coalitions import SECTION, main, splice


def test_small_run_writes_the_figures_and_one_section(tmp_path: Path) -> None:
    (tmp_path / "benchmarks.md").write_text("# Benchmarks\n\n## 1. Something\n\ntext\n", encoding="utf-8")
    limits = ["--model-limit", "1", "--time-limit", "5"]
    assert main(["--sizes", "1k", "--models", "4", *limits, "--out", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "coalitions.json").read_text(encoding="utf-8"))
    row = result["planted"]["1k"]
    assert row["edges"] == 1000 and row["planted_frustration"] == 100
    for method in ("fast", "exact"):
        figures = row[method]
        assert figures["lower_bound"] <= figures["frustration"] and 0.0 <= figures["ari"] <= 1.0
    assert {(r["model"], r["cuts"]) for r in result["models"]} == {
        (m, c) for m in ("xor", "and") for c in (False, True)
    }
    assert result["seeds"]["ties"] > 0
    markdown = (tmp_path / "benchmarks.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Benchmarks\n\n## 1. Something\n\ntext\n\n## Coalitions\n")
    assert "| 1,000 | 100 | 100 |" in markdown and "Targets: seeds' graph proven" in markdown


def test_splice_replaces_the_section_in_place(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# B\n\n{SECTION}\n\nold\n\n## Later\n\nkept\n", encoding="utf-8")
    splice(path, f"{SECTION}\n\nnew\n")
    splice(path, f"{SECTION}\n\nnewer\n")
    assert path.read_text(encoding="utf-8") == f"# B\n\n{SECTION}\n\nnewer\n\n## Later\n\nkept\n"
