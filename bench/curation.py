"""`python -m bench curation`: how well `stancegraph suggest` recovers the curated claims.

Every seed source with a text and claims is scored with its own evidence taken out of the seeds
(stancegraph.curation.score), by the rule-based suggester and by the co-mention baseline, side
by side: per article, per language and overall. Figures go to stdout and, with --out, to
curation.json beside the other benchmark files.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stancegraph.curation.rules import is_chinese
from stancegraph.curation.score import Tally, baseline, reference, report, score_source, without_source
from stancegraph.curation.suggest import RuleSuggester
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import PROJECT_ROOT

TARGETS = {"pair_recall": 0.8, "predicate_accuracy": 0.6, "precision": 0.5}
COLUMNS = ("pair_recall", "predicate_accuracy", "precision", "mention_recall", "proposals")


def score_articles(seeds_dir: Path) -> dict[str, Any]:
    """Per article, per language and overall: the suggester's figures and the baseline's."""
    seeds = validate_seeds(seeds_dir)
    suggester = RuleSuggester()
    articles: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Tally]] = {"rules": {}, "baseline": {}}
    seconds = 0.0
    for source in seeds.sources:
        text = seeds.texts.get(source.id)
        if text is None or not reference(seeds, source.id):
            continue
        before = without_source(seeds, source.id)
        started = time.perf_counter()
        proposed = suggester.suggest(source, text, before)
        seconds += time.perf_counter() - started
        language = "zh" if is_chinese(source.language) else "en"
        row: dict[str, Any] = {"source": source.id, "language": language}
        for method, proposals in (("rules", proposed), ("baseline", baseline(source, text, before))):
            tally = score_source(source, text, seeds, proposals)
            groups[method].setdefault(language, Tally()).add(tally)
            row[method] = tally.figures()
        articles.append(row)
    return {
        "articles": articles,
        "summary": {method: report(tallies) for method, tallies in groups.items()},
        "suggest_seconds": round(seconds, 3),
        "targets": TARGETS,
    }


def _cells(figures: dict[str, float], *, predicates: bool = True) -> list[str]:
    """Percentages and a count; the baseline names no predicate, so its accuracy is "–"."""
    return [
        str(int(figures[c]))
        if c == "proposals"
        else "–"
        if c == "predicate_accuracy" and not predicates
        else f"{figures[c]:.0%}"
        for c in COLUMNS
    ]


def render(result: dict[str, Any]) -> str:
    """Markdown tables: overall and per language, then per article (rules | baseline)."""
    head = "| | " + " | ".join(f"{c.replace('_', ' ')} (rules / baseline)" for c in COLUMNS) + " |"
    rule = "|---" * (len(COLUMNS) + 1) + "|"

    def line(name: str, rules: dict[str, float], base: dict[str, float]) -> str:
        pairs = zip(_cells(rules), _cells(base, predicates=False), strict=True)
        return f"| {name} | " + " | ".join(f"{r} / {b}" for r, b in pairs) + " |"

    summary = result["summary"]
    out = [head, rule]
    out += [line(group, summary["rules"][group], summary["baseline"][group]) for group in summary["rules"]]
    out += ["", head.replace("| |", "| article |", 1), rule]
    out += [line(f"{a['source']} ({a['language']})", a["rules"], a["baseline"]) for a in result["articles"]]
    met = [
        f"{name.replace('_', ' ')} {summary['rules'][group][name]:.0%} "
        f"{'meets' if summary['rules'][group][name] >= target else 'misses'} ≥ {target:.0%} ({group})"
        for group in summary["rules"]
        for name, target in TARGETS.items()
    ]
    out += ["", "Targets: " + "; ".join(met) + f". suggest took {result['suggest_seconds']} s in all."]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench curation", description=__doc__)
    parser.add_argument("--seeds", type=Path, default=PROJECT_ROOT / "seeds")
    parser.add_argument("--out", type=Path, default=None, help="write curation.json into this folder")
    args = parser.parse_args(argv)
    result = score_articles(args.seeds)
    print(render(result), end="")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "curation.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0
