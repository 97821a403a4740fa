"""`python -m bench coalitions`: the frustration-index methods on planted-partition signed graphs.

Planted graphs (graph/planted.py: two camps, a share of ties flipped) at each size: the fast
method's time, frustration against the planted one, lower bound and camp recovery (adjusted
Rand index against the planted camps), and the exact method side by side where it is run, with
its proven gap when the time limit ends it. A second table compares the binary programming
models on 1,000-edge graphs of several densities; a third times the seeds' actor graph.
Figures go to stdout and, with --out, to coalitions.json and the "Coalitions" section of
benchmarks.md in that folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from stancegraph.graph import coalitions
from stancegraph.graph.planted import PlantedArrays, planted_arrays, to_graph
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import PROJECT_ROOT

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TARGETS = {
    "seeds_exact_s": 1.0,
    "planted_1k_exact_s": 10.0,
    "fast_1m_s": 60.0,
    "fast_excess": 0.01,
    "ari": 0.99,
}
SECTION = "## Coalitions"


def adjusted_rand(a: NDArray[Any], b: NDArray[Any]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings, from their contingency table:
    (Σ C(n_ij, 2) − E) / (½(Σ C(a_i, 2) + Σ C(b_j, 2)) − E), E = Σ C(a_i, 2)·Σ C(b_j, 2) / C(n, 2)."""

    def pairs(counts: NDArray[np.int64]) -> float:
        return float((counts * (counts - 1) // 2).sum())

    _, a_codes = np.unique(a, return_inverse=True)
    _, b_codes = np.unique(b, return_inverse=True)
    _, cells = np.unique(a_codes.astype(np.int64) * (b_codes.max() + 1) + b_codes, return_counts=True)
    index = pairs(cells)
    rows, cols = pairs(np.bincount(a_codes)), pairs(np.bincount(b_codes))
    expected = rows * cols / (a.size * (a.size - 1) / 2)
    top = (rows + cols) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def _labels(partition: coalitions.Partition, n: int) -> NDArray[np.int64]:
    camp = np.full(n, 2, dtype=np.int64)  # unaligned nodes form a third group
    camp[list(partition.camps[0])] = 0
    camp[list(partition.camps[1])] = 1
    return camp


def _figures(p: coalitions.Partition, arrays: PlantedArrays) -> dict[str, Any]:
    planted = arrays.frustration
    return {
        "seconds": round(p.seconds, 3),
        "frustration": p.frustration,
        "lower_bound": round(p.lower_bound, 3),
        "optimal": p.optimal,
        "gap": round(p.gap, 4),
        "excess_over_planted": round(p.frustration / planted - 1, 6) if planted else 0.0,
        "ari": round(adjusted_rand(_labels(p, arrays.camp.size), arrays.camp), 4),
    }


def planted_row(
    edges: int, *, degree: int, flip: float, seed: int, exact: bool, limit: float, fast_limit: float
) -> dict[str, Any]:
    """Both methods (exact if asked) on one planted graph of `edges` edges, mean degree `degree`."""
    nodes = 2 * edges // degree
    arrays = planted_arrays(nodes=nodes, edges=edges, flip=flip, seed=seed)
    started = time.perf_counter()
    graph = to_graph(arrays)
    row: dict[str, Any] = {
        "edges": edges,
        "nodes": nodes,
        "planted_frustration": arrays.frustration,
        "graph_build_s": round(time.perf_counter() - started, 3),
        "fast": _figures(
            coalitions.frustration_camps(graph, method="fast", time_limit=fast_limit, seed=seed), arrays
        ),
    }
    if exact:
        row["exact"] = _figures(
            coalitions.frustration_camps(graph, method="exact", time_limit=limit, seed=seed), arrays
        )
    return row


def model_rows(*, degrees: Sequence[int], flip: float, seed: int, limit: float) -> list[dict[str, Any]]:
    """1,000 edges at each mean degree: the XOR and AND models, plain or with the cuts (the
    packing certificate, the packing's cycles and the separated cycle inequalities)."""
    rows = []
    for degree in degrees:
        arrays = planted_arrays(nodes=2000 // degree, edges=1000, flip=flip, seed=seed)
        graph = coalitions.signed_arrays(to_graph(arrays))
        for model in ("xor", "and"):
            for cuts in (False, True):
                started = time.perf_counter()
                start = coalitions.fast_camps(graph, np.random.default_rng(seed))
                camp, bound, optimal = coalitions.exact_camps(
                    graph, start, deadline=started + limit, model=model, cuts=cuts
                )
                rows.append(
                    {
                        "degree": degree,
                        "model": model,
                        "cuts": cuts,
                        "seconds": round(time.perf_counter() - started, 3),
                        "frustration": float(graph.weight[graph.frustrated(camp)].sum()),
                        "lower_bound": round(bound, 3),
                        "optimal": optimal,
                    }
                )
    return rows


def seeds_graph(seeds_dir: Path) -> nx.Graph:
    """A stand-in for the actor graph: claims between two entities with a polarity; the sign is
    that of their summed polarities (pairs that net out are left out), the weight the number of
    distinct sources behind the pair's claims."""
    polarity: dict[tuple[str, str], int] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    for claim in validate_seeds(seeds_dir).claims:
        if claim.polarity == 0 or claim.subject == claim.object:
            continue
        pair = (min(claim.subject, claim.object), max(claim.subject, claim.object))
        polarity[pair] = polarity.get(pair, 0) + claim.polarity
        sources.setdefault(pair, set()).update(ev.source for ev in claim.evidence)
    graph = nx.Graph()
    for (a, b), total in polarity.items():
        if total:
            graph.add_edge(a, b, sign=1 if total > 0 else -1, weight=float(len(sources[(a, b)])))
    return graph


def seeds_row(seeds_dir: Path, *, limit: float) -> dict[str, Any]:
    graph = seeds_graph(seeds_dir)
    p = coalitions.frustration_camps(graph, method="exact", time_limit=limit)
    return {
        "actors": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "seconds": round(p.seconds, 3),
        "frustration": p.frustration,
        "optimal": p.optimal,
        "balance": round(p.balance, 4),
        "camp_sizes": [len(p.camps[0]), len(p.camps[1])],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    exact_max = SIZES[args.exact_max]
    # The first call pays for imports and ARPACK's set-up; keep that out of the figures.
    planted_row(400, degree=20, flip=args.flip, seed=args.seed, exact=True, limit=5.0, fast_limit=1.0)
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "cores": os.cpu_count(),
        # The machine may be shared: the 1-minute load average before the run, for the reader.
        "load_average": round(os.getloadavg()[0], 1),
        "settings": {
            "flip": args.flip,
            "degree": args.degree,
            "seed": args.seed,
            "time_limit": args.time_limit,
            "fast_limit": args.fast_limit,
            "model_limit": args.model_limit,
            "exact_max": args.exact_max,
        },
        "seeds": seeds_row(args.seeds, limit=args.time_limit),
        "planted": {},
        "targets": TARGETS,
    }
    for name in args.sizes.split(","):
        edges = SIZES[name]
        result["planted"][name] = planted_row(
            edges,
            degree=args.degree,
            flip=args.flip,
            seed=args.seed,
            exact=edges <= exact_max,
            limit=args.time_limit,
            fast_limit=args.fast_limit,
        )
        print(f"{name}: {json.dumps(result['planted'][name])}", flush=True)
    if args.models:
        result["models"] = model_rows(
            degrees=[int(d) for d in args.models.split(",")],
            flip=args.flip,
            seed=args.seed,
            limit=args.model_limit,
        )
    return result


def _method_cells(m: dict[str, Any] | None) -> str:
    if m is None:
        return "– | – | – | – | –"
    proven = "optimal" if m["optimal"] else f"gap {m['gap']:.1%}"
    return (
        f"{m['seconds']} s | {m['frustration']:,.0f} | {m['lower_bound']:,.0f} ({proven}) "
        f"| {m['excess_over_planted']:+.3%} | {m['ari']}"
    )


def _paragraph(text: str) -> str:
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)


def render(result: dict[str, Any]) -> str:
    """The "Coalitions" section of benchmarks.md: targets, planted graphs, models, seeds."""
    s = result["settings"]
    seeds = result["seeds"]
    out = [
        SECTION,
        "",
        _paragraph(
            f"Generated by `python -m bench coalitions` ({result['date']}, {result['cores']} cores, "
            f"load average {result.get('load_average', 'n/a')} at the start). Planted graphs "
            f"(graph/planted.py, seed {s['seed']}): two camps of about half the nodes each, edges "
            f"random distinct pairs at mean degree {s['degree']}, {s['flip']:.0%} of the ties' signs "
            'flipped; unit weights, so frustration counts ties. "vs planted" is the frustration found '
            "over the flipped ties (negative: a split better than the planted one); ARI is the "
            "adjusted Rand index of the camps against the planted ones. Exact runs up to "
            f"{s['exact_max']} edges with a {s['time_limit']:g} s limit; the fast method's lower-bound "
            f"search stops at {s.get('fast_limit', 30):g} s (its camps do not depend on it)."
        ),
        "",
        "| edges | nodes | planted | fast: time | frustration | lower bound | vs planted | ARI "
        "| exact: time | frustration | lower bound | vs planted | ARI |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["planted"].values():
        out.append(
            f"| {row['edges']:,} | {row['nodes']:,} | {row['planted_frustration']:,.0f} "
            f"| {_method_cells(row['fast'])} | {_method_cells(row.get('exact'))} |"
        )
    out += [
        "",
        _paragraph(
            "Seeds' actor graph (a stand-in: claims with a polarity between two entities, signed by "
            f"their summed polarity, weighted by distinct sources): {seeds['actors']} actors, "
            f"{seeds['ties']} ties, exact in {seeds['seconds']} s "
            f"({'optimal' if seeds['optimal'] else 'not proven'}), frustration {seeds['frustration']:g}, "
            f"balance {seeds['balance']} by weight, camps of {seeds['camp_sizes'][0]} and "
            f"{seeds['camp_sizes'][1]}."
        ),
    ]
    if result.get("models"):
        out += [
            "",
            _paragraph(
                "Binary programming models on 1,000-edge planted graphs (same flip share), "
                f"warm-started from the fast split, {s.get('model_limit', 30):g} s each. Plain: the "
                "model alone, with HiGHS's own cuts. Cuts: the fast split's packing of unbalanced "
                "cycles or the eigenvalue bound as a certificate (a block they prove needs no "
                "solver), the packing's cycles as rows, then rounds of separated cycle inequalities "
                "on the LP relaxation."
            ),
            "",
            "| mean degree | model | cuts | time | frustration | lower bound | optimal |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        out += [
            f"| {r['degree']} | {r['model'].upper()} | {'yes' if r['cuts'] else 'plain'} | {r['seconds']} s "
            f"| {r['frustration']:,.0f} | {r['lower_bound']:,.0f} | {'yes' if r['optimal'] else 'no'} |"
            for r in result["models"]
        ]
    out += ["", _paragraph("Targets: " + "; ".join(_targets(result)) + ".")]
    return "\n".join(out) + "\n"


def _targets(result: dict[str, Any]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    t = result["targets"]
    lines = []
    seeds = result["seeds"]
    ok = seeds["optimal"] and seeds["seconds"] <= t["seeds_exact_s"]
    lines.append(f"seeds' graph proven in ≤ {t['seeds_exact_s']:g} s: {seeds['seconds']} s, {verdict(ok)}")
    small = result["planted"].get("1k", {}).get("exact")
    if small:
        ok = small["optimal"] and small["seconds"] <= t["planted_1k_exact_s"]
        lines.append(
            f"planted 1k proven in ≤ {t['planted_1k_exact_s']:g} s: {small['seconds']} s"
            f"{'' if small['optimal'] else ' (not proven)'}, {verdict(ok)}"
        )
    large = result["planted"].get("1m", {}).get("fast")
    if large:
        ok = large["seconds"] <= t["fast_1m_s"] and large["excess_over_planted"] <= t["fast_excess"]
        ok = ok and large["ari"] >= t["ari"]
        lines.append(
            f"fast at 1M edges within {t['fast_excess']:.0%} of planted, ARI ≥ {t['ari']}, "
            f"≤ {t['fast_1m_s']:g} s: {large['excess_over_planted']:+.3%}, ARI {large['ari']}, "
            f"{large['seconds']} s, {verdict(ok)}"
        )
    models = [r for r in result.get("models", []) if r["model"] == "xor" and r["cuts"]]
    if models:
        ok = all(r["optimal"] and r["seconds"] <= t["planted_1k_exact_s"] for r in models)
        times = ", ".join(f"{r['seconds']} s at degree {r['degree']}" for r in models)
        lines.append(f"planted 1k in the model table (XOR with cuts, the default): {times}, {verdict(ok)}")
    return lines


def splice(markdown: Path, section: str) -> None:
    """Put `section` in place of the file's "Coalitions" section (or at its end)."""
    text = markdown.read_text(encoding="utf-8") if markdown.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    markdown.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench coalitions", description=__doc__)
    parser.add_argument("--sizes", default="1k,10k,100k,1m", help="comma-separated, of " + ", ".join(SIZES))
    parser.add_argument("--degree", type=int, default=20, help="mean degree of the planted graphs")
    parser.add_argument("--flip", type=float, default=0.1, help="share of ties whose sign is flipped")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each exact solve")
    parser.add_argument("--fast-limit", type=float, default=30.0, help="seconds for the fast method's bound")
    parser.add_argument(
        "--model-limit", type=float, default=30.0, help="seconds per model in the model table"
    )
    parser.add_argument(
        "--exact-max", default="100k", choices=SIZES, help="largest size the exact method runs on"
    )
    parser.add_argument("--models", default="20,10,4", help="mean degrees for the model table ('' for none)")
    parser.add_argument("--seeds", type=Path, default=PROJECT_ROOT / "seeds")
    parser.add_argument("--out", type=Path, default=None, help="write coalitions.json and benchmarks.md here")
    args = parser.parse_args(argv)
    result = run(args)
    section = render(result)
    print(section, end="")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "coalitions.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        splice(args.out / "benchmarks.md", section)
    return 0
