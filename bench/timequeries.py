"""`python -m bench time`: time windows and switches, per store, at two graph sizes.

The issue's claim is that `as_of` / `known_by` stances and an entity's `switches` cost what the
entity's claims (its degree) cost, not what the graph costs. So each query is timed at a small
and a ten times larger synthetic graph (graph/synthetic.py: dated evidence, and reversals where a
later claim of the opposite sign meets an earlier one on the same pair):

- the hub (largest degree; it grows with the graph, so compare its time with its degree),
- an entity of the same degree at both sizes (`--degree`, preferably one on a reversed pair):
  O(degree) shows as a ratio near 1, O(graph) as one near the graphs' ratio,
- and whole-graph queries: `switches()` (its answer grows with the graph) and the first page of
  `claims`, undated and in windows many or few claims are in.

The queries of one entity are interleaved (A, B, C, ... on the same store), rounds until a time
budget or a round count runs out; answers of the two stores are compared. The figures go to the
`time` part of docs/benchmarks.json, and docs/benchmarks.md is rewritten with its "Time" section.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.suite import Result, log, machine, ms, neo4j_server, pct
from stancegraph.graph.loader import load
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.graph.results import ClaimFilter, ClaimView, Stance, Switch
from stancegraph.graph.store import GraphStore
from stancegraph.graph.synthetic import generate
from stancegraph.graph.window import TimeWindow, valid_from
from stancegraph.schema.models import SeedSet
from stancegraph.settings import PROJECT_ROOT

SIZES = {"10k": 10_000, "100k": 100_000}  # claims; entities are claims / 5, as in the suite
QUICK_SIZES = {"2k": 2_000, "20k": 20_000}
# The synthetic claims are dated over 2025-01-01 + 420 days and published 2026-03-01 to -04:
# mid-2025 holds about half of them; by 2026-03-02 some of each batch's sources are out.
AS_OF = date(2025, 9, 1)
KNOWN_BY = date(2026, 3, 2)
STORES = ("memory", "neo4j")
WARM = 3  # untimed calls of each query first: Neo4j plans and compiles a query on its first runs

Answer = list[Stance] | list[Switch] | list[ClaimView]
EntityQuery = Callable[[GraphStore, str], Answer]
GlobalQuery = Callable[[GraphStore], Answer]

ENTITY_QUERIES: dict[str, EntityQuery] = {
    "supporters": lambda s, e: s.supporters(e),
    "supporters as_of": lambda s, e: s.supporters(e, window=TimeWindow(as_of=AS_OF)),
    "supporters known_by": lambda s, e: s.supporters(e, window=TimeWindow(known_by=KNOWN_BY)),
    "switches(entity)": lambda s, e: s.switches(entity=e),
}


def global_queries(seeds: SeedSet) -> tuple[dict[str, GlobalQuery], Result]:
    """The whole-graph queries, with two windows no claim is in, read from the graph: the day
    before any claim may hold, and the day before the first publication: a listing that scans
    ids to fill its page reads the whole graph for them."""
    first = min(d for c in seeds.claims if (d := valid_from(c.valid)) is not None) - timedelta(days=1)
    published = min(b[0] for s in seeds.sources if (b := s.published_bounds()) is not None)
    before = published - timedelta(days=1)
    queries: dict[str, GlobalQuery] = {
        "claims": lambda s: s.claims(limit=50),
        "claims as_of": lambda s: s.claims(ClaimFilter(as_of=AS_OF), limit=50),
        "claims as_of before any claim": lambda s: s.claims(ClaimFilter(as_of=first), limit=50),
        "claims known_by before any source": lambda s: s.claims(ClaimFilter(known_by=before), limit=50),
        "switches()": lambda s: s.switches(),
    }
    return queries, {"before_any_claim": first.isoformat(), "before_any_source": before.isoformat()}


def answer_size(answer: Answer) -> int:
    """Claims in a stance answer, switches or claims otherwise."""
    return sum(len(a.claims) if isinstance(a, Stance) else 1 for a in answer)


def interleaved(calls: dict[str, Callable[[], object]], budget: float, rounds: int) -> dict[str, list[float]]:
    """Each call once per round, in turn, until `rounds` rounds or `budget` seconds (3 at least)."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    deadline = time.perf_counter() + budget
    for done in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - started)
        if done >= 2 and time.perf_counter() > deadline:
            break
    return samples


def figures(samples: list[float]) -> Result:
    return {"p50_ms": ms(pct(samples, 50)), "p99_ms": ms(pct(samples, 99)), "n": len(samples)}


def degrees(seeds: SeedSet) -> Counter[str]:
    out: Counter[str] = Counter()
    for claim in seeds.claims:
        out[claim.subject] += 1
        out[claim.object] += 1
    return out


def turned(seeds: SeedSet) -> set[str]:
    """The entities on a pair where a stance was reversed (what switches reads)."""
    pairs = {
        (c.subject, c.object)
        for c in seeds.claims
        if any(i.ended_by is not None and i.ended_by.reason == "reversed" for i in c.valid.held)
    }
    return {end for pair in pairs for end in pair}


def chosen_entities(seeds: SeedSet, degree: int) -> dict[str, str]:
    """The hub, and an entity with a supporter whose degree is within a quarter of `degree`, on a
    reversed pair if one is (then the closest degree, then by id), else the closest degree: about
    the same degree at every size, so its times can be compared across sizes."""
    counted = degrees(seeds)
    supported = {c.object for c in seeds.claims if c.polarity == 1}
    on_turns = turned(seeds)
    hub = min(counted, key=lambda e: (-counted[e], e))
    near = [e for e in counted if e in supported and e != hub and abs(counted[e] - degree) <= degree / 4]
    turning = [e for e in near if e in on_turns]
    pool = turning or near or [e for e in counted if e in supported and e != hub]
    fixed = min(pool, key=lambda e: (abs(counted[e] - degree), e))
    return {"hub": hub, "fixed": fixed}


def bench_scale(
    name: str, claims: int, neo: Any, args: argparse.Namespace, rounds: int, budget: float
) -> Result:
    log(f"time {name}: generating {claims:,} claims")
    seeds = generate(entities=claims // 5, claims=claims, seed=1).seeds
    counted = degrees(seeds)
    picked = chosen_entities(seeds, args.degree)
    every, days = global_queries(seeds)
    stores: dict[str, GraphStore] = {"memory": MemoryStore(seeds)}
    out: Result = {
        "claims": len(seeds.claims),
        "entities": len(seeds.entities),
        "reversed_pairs_entities": len(turned(seeds)),
        "windows": days,
    }
    if neo is not None:
        log(f"time {name}: loading Neo4j")
        neo.clear()
        out["neo4j_load_s"] = round(load(neo.driver, seeds).seconds, 1)
        stores["neo4j"] = Neo4jStore(neo.driver)
    del seeds
    # The stores' objects are old and never freed while they serve: out of the collector's sight,
    # as the API puts its startup objects (gc.freeze), so a full collection of millions of them
    # does not land in some query's time.
    gc.collect()
    gc.freeze()
    try:
        out |= _measure(name, stores, picked, counted, every, rounds, budget)
    finally:
        gc.unfreeze()
    return out


def _measure(
    name: str,
    stores: dict[str, GraphStore],
    picked: dict[str, str],
    counted: Counter[str],
    every: dict[str, GlobalQuery],
    rounds: int,
    budget: float,
) -> Result:
    out: Result = {}
    out["entity"] = {}
    for role, entity in picked.items():
        row: Result = {"id": entity, "degree": counted[entity], "queries": {}}
        answers: dict[str, dict[str, Answer]] = {q: {} for q in ENTITY_QUERIES}
        timings: dict[str, dict[str, list[float]]] = {}
        for store_name, store in stores.items():
            calls = {q: _bound(run, store, entity) for q, run in ENTITY_QUERIES.items()}
            for q, call in calls.items():  # warm (plans cached, code compiled); answers compared
                answers[q][store_name] = _warm(call)
            log(f"time {name}: {role} {entity} (degree {counted[entity]:,}) on {store_name}")
            timings[store_name] = interleaved(dict(calls), budget, rounds)
        for q in ENTITY_QUERIES:
            row["queries"][q] = _query_result(q, answers[q], {s: t[q] for s, t in timings.items()})
        out["entity"][role] = row
    answers_g: dict[str, dict[str, Answer]] = {q: {} for q in every}
    timings_g: dict[str, dict[str, list[float]]] = {}
    for store_name, store in stores.items():
        calls_g = {q: _bound_global(run, store) for q, run in every.items()}
        for q, call in calls_g.items():
            answers_g[q][store_name] = _warm(call)
        log(f"time {name}: whole-graph queries on {store_name}")
        timings_g[store_name] = interleaved(dict(calls_g), budget, rounds)
    out["global"] = {
        q: _query_result(q, answers_g[q], {s: t[q] for s, t in timings_g.items()}) for q in every
    }
    return out


def _warm(call: Callable[[], Answer]) -> Answer:
    for _ in range(WARM - 1):
        call()
    return call()


def _bound(run: EntityQuery, store: GraphStore, entity: str) -> Callable[[], Answer]:
    return lambda: run(store, entity)


def _bound_global(run: GlobalQuery, store: GraphStore) -> Callable[[], Answer]:
    return lambda: run(store)


def _query_result(query: str, answers: dict[str, Answer], timings: dict[str, list[float]]) -> Result:
    memory = answers["memory"]
    out: Result = {"answer": answer_size(memory)}
    out |= {store: figures(samples) for store, samples in timings.items()}
    if "neo4j" in answers:
        out["differ"] = answers["neo4j"] != memory
    return out


def ratios(scales: Result) -> Result:
    """Large over small, per entity role, query and store: p50s and p99s, and the degrees'."""
    small, large = (scales[name] for name in list(scales)[:2])
    out: Result = {"graph": round(large["claims"] / small["claims"], 2), "entity": {}, "global": {}}
    for role, row in large["entity"].items():
        before = small["entity"][role]
        found: Result = {"degree": round(row["degree"] / before["degree"], 2)}
        for q, figs in row["queries"].items():
            found[q] = _over(figs, before["queries"][q])
        out["entity"][role] = found
    for q, figs in large["global"].items():
        out["global"][q] = _over(figs, small["global"][q])
    return out


def _over(large: Result, small: Result) -> Result:
    return {
        store: {
            stat: round(large[store][stat] / max(small[store][stat], 1e-6), 2)
            for stat in ("p50_ms", "p99_ms")
        }
        for store in STORES
        if store in large and store in small
    }


def run(args: argparse.Namespace) -> Result:
    sizes = QUICK_SIZES if args.quick else SIZES
    rounds = 5 if args.quick else args.rounds
    budget = 0.5 if args.quick else args.budget
    result: Result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "settings": {
            "quick": args.quick,
            "rounds": rounds,
            "budget_s": budget,
            "degree": args.degree,
            "as_of": AS_OF.isoformat(),
            "known_by": KNOWN_BY.isoformat(),
            "heap": args.heap,
            "pagecache": args.pagecache,
        },
        "scales": {},
    }
    with neo4j_server(args) as neo:
        if neo is not None:
            result["machine"]["neo4j"] = neo.driver.get_server_info().agent
        for name, claims in sizes.items():
            result["scales"][name] = bench_scale(name, claims, neo, args, rounds, budget)
            # Other work on the machine shows in the figures: the 1-minute load after each size.
            result["scales"][name]["load_average"] = round(os.getloadavg()[0], 2)
            gc.collect()
    result["ratios"] = ratios(result["scales"])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench time", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2k and 20k claims, few rounds (smoke run)")
    parser.add_argument("--rounds", type=int, default=200, help="most rounds per group of queries")
    parser.add_argument("--budget", type=float, default=6.0, help="seconds per group of queries")
    parser.add_argument("--degree", type=int, default=20, help="degree of the entity compared across sizes")
    parser.add_argument("--neo4j-uri", default=None, help="use this server (it is cleared!)")
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs", help="where the docs go")
    args = parser.parse_args(argv)
    from bench.report import time_table, write

    found = run(args)
    print("\n".join(time_table(found)))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "benchmarks.json"
    merged: Result = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged["time"] = found
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write(merged, args.out / "benchmarks.md")
    log(f"wrote {path}")
    return 0
