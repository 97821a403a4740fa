"""`python -m bench curation` scores the suggester on the shipped seeds, beside the baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.curation import COLUMNS, score_articles
from stancegraph.schema.models import SeedSet
from stancegraph.settings import PROJECT_ROOT
from tests.conftest import SEEDS


def test_every_curated_source_is_scored_by_both_methods(seeds: SeedSet) -> None:
    result = score_articles(SEEDS)
    scored = {a["source"] for a in result["articles"]}
    curated = {ev.source for claim in seeds.claims for ev in claim.evidence} & set(seeds.texts)
    assert scored == curated
    for article in result["articles"]:
        for method in ("rules", "baseline"):
            figures = article[method]
            assert all(0.0 <= figures[c] <= 1.0 for c in COLUMNS if c != "proposals"), article
    summary = result["summary"]
    assert set(summary["rules"]) == {a["language"] for a in result["articles"]} | {"all"}
    # The rules propose fewer claims than every co-mentioned pair, and more of them are right.
    assert summary["rules"]["all"]["proposals"] < summary["baseline"]["all"]["proposals"]
    assert summary["rules"]["all"]["precision"] > summary["baseline"]["all"]["precision"]


def test_the_command_prints_the_tables_and_writes_the_figures(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "curation", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert done.stdout.startswith("| | pair recall (rules / baseline)"), done.stdout[:200]
    assert "Targets: pair recall" in done.stdout
    written = json.loads((tmp_path / "curation.json").read_text(encoding="utf-8"))
    assert written["summary"]["rules"]["all"]["sources"] == len(written["articles"])
