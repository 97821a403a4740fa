"""The benchmark suite: every measurement of docs/benchmarks.md, side by side, in one run.

Comparisons are interleaved (A, B, A, B, ... on the same inputs) and repeated in rounds; each
is reported as the median of the per-round ratios with their min-max spread, since the machines
this runs on are noisy. Nothing here asserts a timing: the CI smoke test only checks it runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase

from stancegraph import launch, localneo4j
from stancegraph.graph import queries
from stancegraph.graph.loader import load
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.graph.search import normalize
from stancegraph.graph.store import GraphStore
from stancegraph.graph.synthetic import generate, iter_entities
from stancegraph.schema.models import Entity, SeedSet
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary
from stancegraph.settings import PROJECT_ROOT, Settings

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}  # claims; entities are claims / 5
Result = dict[str, Any]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- statistics ---------------------------------------------------------------------------------


def pct(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def spread(ratios: Sequence[float]) -> Result:
    return {
        "median": round(statistics.median(ratios), 2),
        "min": round(min(ratios), 2),
        "max": round(max(ratios), 2),
        "rounds": len(ratios),
    }


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@dataclass
class Pair:
    """Latencies of two ways of answering the same inputs, interleaved, per round."""

    a: list[list[float]]
    b: list[list[float]]

    def summary(self, a_name: str, b_name: str, stat: float = 50) -> Result:
        flat_a = [x for r in self.a for x in r]
        flat_b = [x for r in self.b for x in r]
        out: Result = {
            a_name: {"p50_ms": ms(pct(flat_a, 50)), "p99_ms": ms(pct(flat_a, 99)), "n": len(flat_a)},
            b_name: {"p50_ms": ms(pct(flat_b, 50)), "p99_ms": ms(pct(flat_b, 99)), "n": len(flat_b)},
        }
        for q in (50, 99):
            ratios = [pct(rb, q) / max(pct(ra, q), 1e-9) for ra, rb in zip(self.a, self.b, strict=True)]
            out[f"ratio_p{q}_{b_name}_over_{a_name}"] = spread(ratios)
        return out


def side_by_side(
    inputs: Sequence[Any], a: Callable[[Any], object], b: Callable[[Any], object], rounds: int
) -> Pair:
    pair = Pair([], [])
    for _ in range(rounds):
        ra: list[float] = []
        rb: list[float] = []
        for item in inputs:
            ra.append(timed(partial(a, item)))
            rb.append(timed(partial(b, item)))
        pair.a.append(ra)
        pair.b.append(rb)
    return pair


# --- the machine --------------------------------------------------------------------------------


def machine() -> Result:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
    }


# --- Neo4j --------------------------------------------------------------------------------------


@dataclass
class Neo4j:
    uri: str
    driver: Driver
    config: localneo4j.ServerConfig | None  # set when this run started the server
    auth: tuple[str, str] | None

    def env(self) -> dict[str, str]:
        """Settings for a process that opens this server as its store."""
        env = {"STANCEGRAPH_STORE": "neo4j", "STANCEGRAPH_NEO4J_URI": self.uri}
        if self.auth is not None:
            env |= {"STANCEGRAPH_NEO4J_USER": self.auth[0], "STANCEGRAPH_NEO4J_PASSWORD": self.auth[1]}
        return env

    def clear(self) -> None:
        with self.driver.session() as session:
            session.run(queries.DELETE_EVERYTHING).consume()

    def store_bytes(self) -> int | None:
        """The database's store files, after restarting the server (when this run started it).

        Community has no db.checkpoint(); a clean shutdown checkpoints, so the store files then
        hold every write. Transaction logs are not counted: they are preallocated and kept by
        the retention policy, whatever the graph's size.
        """
        if self.config is None:
            return None
        self.driver.close()
        localneo4j.stop(self.config.home)
        localneo4j.start(self.config, timeout=300)
        self.driver = GraphDatabase.driver(self.uri, auth=self.auth)
        folder = self.config.home / "data" / "databases" / "neo4j"
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@contextmanager
def neo4j_server(args: argparse.Namespace) -> Iterator[Neo4j | None]:
    if args.no_neo4j:
        yield None
        return
    if args.neo4j_uri:
        auth = Settings(neo4j_uri=args.neo4j_uri).neo4j_auth()  # STANCEGRAPH_NEO4J_PASSWORD
        neo = Neo4j(args.neo4j_uri, GraphDatabase.driver(args.neo4j_uri, auth=auth), None, auth)
        try:
            yield neo
        finally:
            neo.driver.close()
        return
    home = Path(tempfile.mkdtemp(prefix="stancegraph-bench-"))
    config = localneo4j.ServerConfig(
        home=home,
        bolt_port=launch.free_port(),
        http_port=launch.free_port(),
        heap=args.heap,
        pagecache=args.pagecache,
    )
    log(f"starting Neo4j (heap {args.heap}, pagecache {args.pagecache}) in {home}")
    status = localneo4j.start(config, timeout=300)
    auth = localneo4j.credentials(home)
    neo = Neo4j(status.bolt_uri, GraphDatabase.driver(status.bolt_uri, auth=auth), config, auth)
    try:
        yield neo
    finally:
        neo.driver.close()
        localneo4j.stop(home)
        shutil.rmtree(home, ignore_errors=True)


class StageClock:
    """Wall time of each loader stage, from its progress callbacks."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.first.setdefault(stage, now)
        self.last[stage] = now

    def seconds(self, stage: str) -> float:
        return self.last.get(stage, 0.0) - self.first.get(stage, 0.0)


def subset(seeds: SeedSet, claims: int) -> SeedSet:
    return SeedSet(sources=seeds.sources, entities=seeds.entities, claims=seeds.claims[:claims])


# --- 1. loader: batched vs one transaction per row ------------------------------------------------


def bench_loader_naive(neo: Neo4j, seeds: SeedSet, claims: int, rounds: int) -> Result:
    """Claims-stage time of the same claims, batched (1000 rows/tx) and naive (1 row/tx)."""
    graph = subset(seeds, claims)
    ends = SeedSet(sources=seeds.sources, entities=seeds.entities, claims=[])
    batched: list[float] = []
    naive: list[float] = []
    for r in range(rounds):
        for batch_size, into in ((1000, batched), (1, naive)):
            neo.clear()
            load(neo.driver, ends)
            clock = StageClock()
            load(neo.driver, graph, batch_size=batch_size, on_progress=clock)
            into.append(clock.seconds("claims"))
            log(f"loader round {r + 1}: batch {batch_size}: {into[-1]:.1f} s for {len(graph.claims)} claims")
    ratios = [n / b for n, b in zip(naive, batched, strict=True)]
    return {
        "claims": len(graph.claims),
        "batched_s": [round(x, 3) for x in batched],
        "naive_s": [round(x, 3) for x in naive],
        "batched_claims_per_s": round(len(graph.claims) / statistics.median(batched)),
        "naive_claims_per_s": round(len(graph.claims) / statistics.median(naive)),
        "speedup": spread(ratios),
    }


def bench_load(neo: Neo4j, seeds: SeedSet) -> Result:
    """A clean batched load of the whole graph, then a reload of the same seeds."""
    neo.clear()
    clock = StageClock()
    first = load(neo.driver, seeds, on_progress=clock)
    reload = load(neo.driver, seeds)
    disk = neo.store_bytes()
    claims = len(seeds.claims)
    return {
        "claims": claims,
        "entities": len(seeds.entities),
        "first_load_s": round(first.seconds, 2),
        "claims_stage_s": round(clock.seconds("claims"), 2),
        "entities_stage_s": round(clock.seconds("entities"), 2),
        "claims_per_s": round(claims / max(clock.seconds("claims"), 1e-9)),
        "claims_per_s_overall": round(claims / first.seconds),
        "reload_s": round(reload.seconds, 2),
        "reload_writes": reload.changed,
        "reload_over_first": round(reload.seconds / first.seconds, 3),
        "disk_bytes": disk,
        "disk_bytes_per_claim": None if disk is None else round(disk / claims),
    }


# --- 4 and 7. queries on both stores ----------------------------------------------------------------


def swapped(rng: random.Random, text: str) -> str:
    """The text with two neighbouring characters swapped: a typo, two edits away."""
    i = rng.randrange(len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def query_inputs(seeds: SeedSet, count: int, seed: int) -> dict[str, list[Any]]:
    rng = random.Random(seed)
    positive = [c for c in seeds.claims if c.polarity == 1]
    supported = sorted({c.object for c in positive})
    with_claims = sorted({c.subject for c in seeds.claims} | {c.object for c in seeds.claims})
    names: list[str] = []
    for entity in rng.sample(seeds.entities, min(count, len(seeds.entities))):
        choice = rng.randrange(4)
        if choice == 0 and entity.aliases:
            names.append(entity.aliases[0])  # an alias, exactly
        elif choice == 1:
            names.append(normalize(entity.names.en)[:6])  # a prefix
        elif choice == 2:
            names.append(entity.names.zh or entity.names.en)  # the Chinese name (generated: always)
        else:
            names.append(swapped(rng, entity.names.en))  # a typo: fuzzy
    pairs = [(c.subject, c.object) for c in rng.sample(seeds.claims, min(count, len(seeds.claims)))]
    ends = [(rng.choice(with_claims), rng.choice(with_claims)) for _ in range(count)]
    return {
        "supporters": [rng.choice(supported) for _ in range(count)],
        "between": pairs,
        "path3": [(a, b) for a, b in ends if a != b],
        "search": names,
    }


QUERIES: dict[str, Callable[[GraphStore, Any], Any]] = {
    "supporters": lambda s, x: s.supporters(x),
    "between": lambda s, x: s.between(*x),
    "path3": lambda s, x: s.paths(*x, max_hops=3, limit=10),
    "search": lambda s, x: s.search(x, limit=20),
}


def answer_size(name: str, answer: Any) -> int:
    if name == "supporters":
        return sum(len(s.claims) for s in answer)
    if name == "path3":
        return sum(len(h) for p in answer for h in p.hops)
    return len(answer)


def dump(answer: Any) -> Any:
    return [a.model_dump(mode="json") for a in answer]


def bench_queries(
    memory: MemoryStore, neo: Neo4jStore | None, inputs: dict[str, list[Any]], rounds: int
) -> Result:
    out: Result = {}
    for name, inp in inputs.items():
        run = QUERIES[name]
        sizes = [answer_size(name, run(memory, x)) for x in inp]
        if neo is None:
            samples = [[timed(partial(run, memory, x)) for x in inp] for _ in range(rounds)]
            flat = [x for r in samples for x in r]
            out[name] = {"memory": {"p50_ms": ms(pct(flat, 50)), "p99_ms": ms(pct(flat, 99)), "n": len(flat)}}
        else:
            mismatches = sum(dump(run(memory, x)) != dump(run(neo, x)) for x in inp)
            pair = side_by_side(inp, partial(run, memory), partial(run, neo), rounds)
            out[name] = pair.summary("memory", "neo4j")
            out[name]["answers_differ"] = mismatches
        out[name]["mean_answer_size"] = round(statistics.mean(sizes), 1) if sizes else 0
        out[name]["max_answer_size"] = max(sizes) if sizes else 0
    return out


# --- 3. API overhead --------------------------------------------------------------------------------


@contextmanager
def api_server(neo: Neo4j) -> Iterator[str]:
    """The API on `neo`, in its own process: uvicorn with access logs off, so the figures are the
    API's and not the log's."""
    port = launch.free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "stancegraph.api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with launch.api_process(port, neo.env(), command) as base:
        yield base


def bench_api(neo: Neo4j, targets: list[str], rounds: int, concurrency: int, requests: int) -> Result:
    import httpx2

    store = Neo4jStore(neo.driver)

    def driver_call(entity: str) -> None:
        # The store's own query and parameters through the driver, without building the answer.
        store.read(queries.STANCE, id=entity, sign=1, symmetric=store.symmetric)

    with api_server(neo) as base, httpx2.Client(base_url=base, timeout=30) as client:

        def api_call(entity: str) -> None:
            response = client.get(f"/v1/entities/{entity}/supporters")
            response.raise_for_status()
            response.content  # noqa: B018 - read the whole body

        for entity in targets[:10]:  # warm both paths
            driver_call(entity)
            api_call(entity)
        pair = side_by_side(targets, driver_call, api_call, rounds)
        result = pair.summary("driver", "api")
        result["throughput"] = throughput(base, targets, concurrency, requests, 30.0)
    return result


def throughput(base: str, targets: list[str], concurrency: int, requests: int, seconds: float) -> Result:
    """`concurrency` keep-alive clients on loopback, until `requests` are done or `seconds` pass."""
    import httpx2

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.perf_counter() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        with httpx2.Client(base_url=base, timeout=30) as client:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                entity = targets[(i * 7 + n) % len(targets)]
                started = time.perf_counter()
                response = client.get(f"/v1/entities/{entity}/supporters")
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    errors += response.status_code != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": ms(pct(latencies, 50)),
        "p99_ms": ms(pct(latencies, 99)),
    }


# --- 5. alias search at scale, 6. memory -------------------------------------------------------------


ALIAS_KINDS = ("exact", "prefix", "zh", "typo")


def alias_queries(people: Sequence[Entity], samples: int) -> dict[str, list[str]]:
    """What people type: a name or alias, its first 6 letters, the Chinese name, a swapped pair."""
    rng = random.Random(3)
    out: dict[str, list[str]] = {kind: [] for kind in ALIAS_KINDS}
    for entity in rng.sample(list(people), samples):
        out["exact"].append(entity.aliases[0] if entity.aliases else entity.names.en)
        out["prefix"].append(entity.names.en[:6])
        out["zh"].append(entity.names.zh or entity.names.en)
        out["typo"].append(swapped(rng, entity.names.en))
    return out


def bench_alias(neo: Neo4j | None, entities: int, samples: int, vocabulary: Vocabulary) -> Result:
    """`search(q, limit=20)` on an entities-only graph: the embedded store, and Neo4j if running."""
    log(f"alias search: {entities:,} entities; embedded store")
    people = list(iter_entities(entities, 7, vocabulary))
    graph = SeedSet(sources=[], entities=people, claims=[])
    started = time.perf_counter()
    memory = MemoryStore(graph, vocabulary)
    out: Result = {"entities": entities, "build_s": round(time.perf_counter() - started, 1)}
    stores: dict[str, GraphStore] = {"memory": memory}
    if neo is not None:
        log(f"alias search: loading {entities:,} entities into Neo4j")
        neo.clear()
        out["neo4j_load_s"] = round(load(neo.driver, graph, vocabulary=vocabulary).seconds, 1)
        stores["neo4j"] = Neo4jStore(neo.driver)
    every: dict[str, list[float]] = {name: [] for name in stores}
    differ = 0
    for kind, texts in alias_queries(people, samples).items():
        out[kind] = {}
        for name, store in stores.items():
            times = [timed(partial(store.search, q, limit=20)) for q in texts]
            every[name] += times
            out[kind][name] = {"p50_ms": ms(pct(times, 50)), "p99_ms": ms(pct(times, 99)), "n": len(times)}
        if neo is not None:
            differ += sum(memory.search(q, limit=20) != stores["neo4j"].search(q, limit=20) for q in texts)
    out["all"] = {
        name: {"p50_ms": ms(pct(times, 50)), "p99_ms": ms(pct(times, 99)), "n": len(times)}
        for name, times in every.items()
    }
    out["answers_differ"] = differ if neo is not None else None
    return out


def memory_bytes(claims: int, entities: int, vocabulary: Vocabulary) -> tuple[MemoryStore, SeedSet, Result]:
    """Build the graph and the store under tracemalloc; bytes the store keeps, per claim."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    graph = generate(entities=entities, claims=claims, seed=1, vocabulary=vocabulary)
    seeds = graph.seeds
    del graph
    gc.collect()
    with_seeds = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    store = MemoryStore(seeds, vocabulary)
    build = time.perf_counter() - started
    # The store shares some objects with the SeedSet (entities, id strings): drop the SeedSet and
    # count what is left, then rebuild the (deterministic) SeedSet for the other measurements.
    del seeds
    gc.collect()
    store_bytes = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    seeds = generate(entities=entities, claims=claims, seed=1, vocabulary=vocabulary).seeds
    return (
        store,
        seeds,
        {
            "claims": len(seeds.claims),
            "evidence": sum(len(c.evidence) for c in seeds.claims),
            "entities": len(seeds.entities),
            "seedset_bytes_per_claim": round((with_seeds - before) / len(seeds.claims)),
            "store_bytes": store_bytes,
            "store_bytes_per_claim": round(store_bytes / len(seeds.claims)),
            "build_s_under_tracemalloc": round(build, 1),
        },
    )


# --- the run ------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Result:
    vocabulary = load_vocabulary()
    top = SIZES[args.size]
    scales = [name for name, n in SIZES.items() if n <= top]
    neo4j_max = SIZES[args.neo4j_max] if args.neo4j_max else top
    quick = args.quick
    rounds = 2 if quick else args.rounds
    samples = 20 if quick else args.samples
    result: Result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "settings": {
            "size": args.size,
            "quick": quick,
            "rounds": rounds,
            "samples": samples,
            "heap": args.heap,
            "pagecache": args.pagecache,
            "neo4j_max": args.neo4j_max or args.size,
        },
        "scales": {},
    }
    with neo4j_server(args) as neo:
        if neo is not None:
            result["machine"]["neo4j"] = neo.driver.get_server_info().agent
        for name in scales:
            claims = SIZES[name]
            log(f"scale {name}: generating {claims:,} claims, {claims // 5:,} entities; memory store")
            store, seeds, mem = memory_bytes(claims, claims // 5, vocabulary)
            scale: Result = {"memory": mem}
            result["scales"][name] = scale
            inputs = query_inputs(seeds, samples, seed=claims)
            neo_store: Neo4jStore | None = None
            if neo is not None and claims <= neo4j_max:
                if (quick and name == scales[0]) or (not quick and name == "100k"):
                    naive_claims = 1000 if quick else args.naive_claims
                    log(f"loader: batched vs naive on {naive_claims:,} claims")
                    result["loader_naive"] = bench_loader_naive(
                        neo, seeds, naive_claims, 1 if quick else args.naive_rounds
                    )
                log(f"scale {name}: Neo4j clean load and reload")
                scale["neo4j_load"] = bench_load(neo, seeds)
                log(f"scale {name}: {scale['neo4j_load']}")
                neo_store = Neo4jStore(neo.driver)
            log(f"scale {name}: queries ({samples} inputs x {rounds} rounds)")
            scale["queries"] = bench_queries(store, neo_store, inputs, rounds)
            if neo is not None and neo_store is not None and claims == min(top, neo4j_max):
                log(f"scale {name}: API overhead")
                result["api"] = bench_api(
                    neo, inputs["supporters"], rounds, args.concurrency, 400 if quick else args.requests
                )
                result["api"]["scale"] = name
            del store, seeds, inputs
            gc.collect()
        alias_entities = args.alias_entities or (2_000 if quick else 1_000_000)
        result["alias"] = bench_alias(neo, alias_entities, samples, vocabulary)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=list(SIZES), default="100k", help="largest scale (claims)")
    parser.add_argument("--quick", action="store_true", help="few samples and rounds (the CI smoke run)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=100, help="inputs per query")
    parser.add_argument("--naive-claims", type=int, default=20_000)
    parser.add_argument("--naive-rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--alias-entities", type=int, default=0, help="default 1M (2k with --quick)")
    parser.add_argument("--neo4j-max", choices=list(SIZES), default=None, help="largest scale loaded")
    parser.add_argument("--neo4j-uri", default=None, help="use this server (it is cleared!)")
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="2g")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs", help="where the docs go")
    parser.add_argument("--json-only", action="store_true", help="write benchmarks.json only")
    args = parser.parse_args(argv)
    from bench.report import write

    result = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "benchmarks.json"
    # `python -m bench time` writes its part of the file on its own runs: keep it.
    if path.exists() and "time" in (before := json.loads(path.read_text(encoding="utf-8"))):
        result["time"] = before["time"]
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if not args.json_only:
        write(result, args.out / "benchmarks.md")
    log(f"wrote {args.out / 'benchmarks.json'}")
    return 0
