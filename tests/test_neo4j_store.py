"""Neo4jStore beyond the contract: identical answers to MemoryStore on a generated graph, the
read-only Cypher endpoint's guards, and error mapping. The synthetic generator is checked here too.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase, Record
from neo4j.exceptions import ClientError

from stancegraph.api.app import create_app
from stancegraph.graph import queries
from stancegraph.graph.loader import load
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.graph.results import ClaimFilter, SourceCounts
from stancegraph.graph.store import GraphStore
from stancegraph.graph.synthetic import SyntheticGraph, generate, write_seeds
from stancegraph.graph.window import TimeWindow, valid_from
from stancegraph.launch import free_port
from stancegraph.schema.errors import (
    NotFoundError,
    QueryRejectedError,
    QueryTimeoutError,
    StoreUnavailableError,
)
from stancegraph.schema.models import Entity, SeedSet
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import Settings
from tests.conftest import SOURCE_ID


@pytest.fixture(scope="module")
def synthetic() -> SyntheticGraph:
    return generate(entities=800, claims=3000, seed=7)


def test_synthetic_graph_passes_validation(tmp_path: Path) -> None:
    graph = generate(entities=120, claims=400, seed=3)
    write_seeds(graph, tmp_path)
    validated = validate_seeds(tmp_path)
    assert sorted(validated.claims, key=lambda c: c.id) == sorted(graph.seeds.claims, key=lambda c: c.id)
    assert validated.entities == graph.seeds.entities
    assert validated.sources == graph.seeds.sources


def test_synthetic_graph_is_deterministic_and_skewed() -> None:
    first, second = generate(entities=200, claims=800, seed=5), generate(entities=200, claims=800, seed=5)
    assert first == second
    degree: dict[str, int] = {}
    for claim in first.seeds.claims:
        for end in (claim.subject, claim.object):
            degree[end] = degree.get(end, 0) + 1
    ranked = sorted(degree.values(), reverse=True)
    assert ranked[0] > 10 * ranked[len(ranked) // 2], "a few hubs, many leaves"


# --- same answers as the memory store -------------------------------------------------------------


# An as_of, a known_by and both, inside the generated graph's dates (claims from 2025, sources
# published in March 2026: on the 1st, the 2nd, in the month, or on an unknown day).
WINDOWS = (
    TimeWindow(as_of=date(2025, 6, 15)),
    TimeWindow(known_by=date(2026, 3, 1)),
    TimeWindow(as_of=date(2025, 9, 1), known_by=date(2026, 3, 1)),
)


def _same(a: GraphStore, b: GraphStore, method: str, *args: Any, **kwargs: Any) -> None:
    assert getattr(a, method)(*args, **kwargs) == getattr(b, method)(*args, **kwargs), (method, args, kwargs)


def _queries(graph: SyntheticGraph, rng: random.Random) -> Iterator[str]:
    for entity in rng.sample(graph.seeds.entities, 25):
        for name in entity.all_names():
            yield name
            yield name[:3]
            yield name[1:-1]
            cut = rng.randrange(len(name))
            yield name[:cut] + name[cut + 1 :]


@pytest.mark.neo4j
def test_generated_graph_answers_equal_memory(neo4j_scratch: Any, synthetic: SyntheticGraph) -> None:
    load(neo4j_scratch, synthetic.seeds, batch_size=500)
    neo, mem = Neo4jStore(neo4j_scratch), MemoryStore(synthetic.seeds)
    rng = random.Random(11)
    assert neo.stats().model_copy(update={"store": "memory"}) == mem.stats()
    assert neo.snapshot() == mem.snapshot()
    sample = [e.id for e in rng.sample(synthetic.seeds.entities, 30)]
    hubs = sorted({c.subject for c in synthetic.seeds.claims[:200]})[:5]
    for entity in sample + hubs:
        _same(neo, mem, "entity", entity)
        _same(neo, mem, "supporters", entity)
        _same(neo, mem, "opponents", entity)
        _same(neo, mem, "timeline", entity, limit=50)
        _same(neo, mem, "claims", ClaimFilter(subject=entity), limit=20)
        _same(neo, mem, "claims", ClaimFilter(object=entity), limit=20)
        for depth, limit in ((1, 200), (2, 50), (3, 1000)):
            _same(neo, mem, "neighborhood", entity, depth=depth, limit=limit)
        for window in WINDOWS:
            _same(neo, mem, "supporters", entity, window=window)
            _same(neo, mem, "timeline", entity, limit=50, window=window)
            _same(neo, mem, "neighborhood", entity, depth=2, limit=100, window=window)
            _same(neo, mem, "claims", ClaimFilter(entity=entity, **window.model_dump()), limit=20)
        _same(neo, mem, "switches", entity=entity)
    _same(neo, mem, "switches", limit=1000)
    for a, b in itertools.islice(itertools.combinations(sample, 2), 60):
        _same(neo, mem, "between", a, b)
        _same(neo, mem, "paths", a, b, max_hops=4, limit=10)
        _same(neo, mem, "paths", a, b, max_hops=4, limit=10, window=WINDOWS[2])
    for q in _queries(synthetic, rng):
        if q.strip(" ·"):
            _same(neo, mem, "search", q, limit=30)
    _same(neo, mem, "search", "ka", kind="person", limit=40, offset=5)
    outlet = synthetic.seeds.sources[1].outlet
    for flt in (
        ClaimFilter(since="2025-06-01", until="2025-06-30"),
        ClaimFilter(predicate="supports", polarity=1),
        ClaimFilter(certainty="unconfirmed", source="synthetic-source-1-0"),
        ClaimFilter(min_sources=2),
        ClaimFilter(max_sources=1, outlet=outlet),
        ClaimFilter(entity=hubs[0], conflicted="any"),
        ClaimFilter(conflicted="figures"),
        ClaimFilter(conflicted="dates"),
        ClaimFilter(conflicted="status"),
    ):
        _same(neo, mem, "claims", flt, limit=100, after="m")
    _same_conflicts(neo, mem, synthetic, hubs)
    _same_in_time(neo, mem, synthetic, sample + hubs)
    _same(neo, mem, "timeline", limit=300)
    _same(neo, mem, "sources")
    _same(neo, mem, "list_entities", kind="company", limit=30, after="company-2")


def _same_in_time(neo: GraphStore, mem: GraphStore, graph: SyntheticGraph, entities: list[str]) -> None:
    """Windows many, few and no claims are in (the embedded store reads the few from its time
    indexes), and switches, say the same in both stores."""
    firsts = sorted(d for c in graph.seeds.claims if (d := valid_from(c.valid)) is not None)
    published = sorted(b[0] for s in graph.seeds.sources if (b := s.published_bounds()) is not None)
    days = [firsts[len(firsts) // 2], firsts[len(firsts) // 200], firsts[0] - timedelta(days=1)]
    windows = [TimeWindow(as_of=day) for day in days] + [
        TimeWindow(known_by=published[0]),
        TimeWindow(known_by=published[0] - timedelta(days=1)),
        TimeWindow(as_of=days[0], known_by=published[-1]),
    ]
    for window in windows:
        flt = ClaimFilter(as_of=window.as_of, known_by=window.known_by)
        _same(neo, mem, "claims", flt, limit=50)
        _same(neo, mem, "claims", flt, limit=20, after="m")
        for entity in entities[-5:]:
            _same(neo, mem, "supporters", entity, window=window)
            _same(neo, mem, "switches", entity=entity, window=window)
    assert mem.switches(limit=1000), "the generated graph has reversals"
    _same(neo, mem, "switches", limit=1000)
    for entity in entities:
        _same(neo, mem, "switches", entity=entity)


def _same_conflicts(neo: GraphStore, mem: GraphStore, graph: SyntheticGraph, hubs: list[str]) -> None:
    """Sources disagree in the generated graph on every kind, and both stores say the same."""
    everything = mem.conflicts(limit=1000)
    assert {c.kind for c in everything} == {"figures", "dates", "status"}
    assert any(c.over_time for c in everything) and not all(c.over_time for c in everything)
    _same(neo, mem, "conflicts", limit=1000)
    for kind in ("figures", "dates", "status"):
        _same(neo, mem, "conflicts", kind=kind, limit=40)
    _same(neo, mem, "conflicts", entity=hubs[0], limit=50)
    _same(neo, mem, "conflicts", source=graph.seeds.sources[2].id, limit=50)
    # Pages by id: every page starts after the last id of the one before.
    pages, after = [], None
    while page := mem.conflicts(limit=7, after=after):
        pages += page
        after = page[-1].id
    assert pages == everything
    _same(neo, mem, "conflicts", limit=7, after=everything[10].id)
    for conflict in everything[:: max(1, len(everything) // 25)]:
        _same(neo, mem, "claim_detail", conflict.claim)
        assert conflict in mem.claim_detail(conflict.claim).conflicts
    several = SourceCounts(min_sources=2)
    for entity in hubs:
        _same(neo, mem, "supporters", entity, several)
        _same(neo, mem, "opponents", entity, SourceCounts(max_sources=1))


@pytest.mark.neo4j
def test_fuzzy_search_beyond_lucenes_expansion_limit(neo4j_scratch: Any) -> None:
    """Lucene expands a fuzzy query to 50 keys at most; the store then asks for the complete set."""
    names = [f"Nexora {chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(120)]
    entities = [
        Entity(id=f"nexora-{i}", kind="company", names={"en": n, "zh": n}) for i, n in enumerate(names)
    ]
    graph = SeedSet(sources=[], entities=entities, claims=[])
    load(neo4j_scratch, graph)
    neo, mem = Neo4jStore(neo4j_scratch), MemoryStore(graph)
    hits = neo.search("nexorazz", limit=200)
    assert len(hits) == 120 > queries.FUZZY_EXPANSIONS
    assert hits == mem.search("nexorazz", limit=200)
    for q in ("nexorqq", "nexoraq", "exoraab", "nxoraab"):
        _same(neo, mem, "search", q, limit=100)
        _same(neo, mem, "search", q, kind="person", limit=100)


# --- read-only Cypher -------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_run_cypher_returns_json_data(neo4j_store: Neo4jStore) -> None:
    result = neo4j_store.run_cypher(
        "MATCH p = (a:Entity)-[r:SUPPORTS]->(b:Entity {id: $id}) "
        "RETURN a, r, p, b.id AS id, date('2026-02-27') AS day ORDER BY a.id",
        {"id": "anthropic"},
        timeout=5,
        row_limit=2,
    )
    assert result.columns == ["a", "r", "p", "id", "day"]
    assert result.truncated and len(result.rows) == 2
    row = result.rows[0]
    assert "Entity" in row["a"]["labels"] and row["a"]["properties"]["id"]
    assert row["r"]["type"] == "SUPPORTS" and row["r"]["end"] == row["p"]["nodes"][-1]["element_id"]
    assert row["id"] == "anthropic" and row["day"] == "2026-02-27"


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:Hacked) RETURN n",
        "MATCH (n:Entity) SET n.x = 1",
        "MATCH (n) DETACH DELETE n",
        "CREATE INDEX hacked FOR (n:Hacked) ON (n.x)",
        "MATCH (n) RETURN n; MATCH (m) RETURN m",
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "MATCH (n) CALL (n) { SET n.x = 1 } IN TRANSACTIONS RETURN 1",
        "RETURN 1 +",
    ],
)
def test_run_cypher_rejects_writes(neo4j_store: Neo4jStore, query: str) -> None:
    with pytest.raises(QueryRejectedError):
        neo4j_store.run_cypher(query, {}, timeout=5, row_limit=10)
    assert neo4j_store.run_cypher(
        "MATCH (n:Hacked) RETURN count(n) AS n", {}, timeout=5, row_limit=1
    ).rows == [{"n": 0}]


@pytest.mark.neo4j
def test_semicolons_in_strings_are_one_statement(neo4j_store: Neo4jStore) -> None:
    result = neo4j_store.run_cypher("RETURN 'a;b' AS s // done;", {}, timeout=5, row_limit=1)
    assert result.rows == [{"s": "a;b"}]


@pytest.mark.neo4j
def test_read_sessions_refuse_writes(neo4j_driver: Any) -> None:
    """The second guard: a READ transaction cannot write, even if a query slipped past EXPLAIN."""
    with neo4j_driver.session(default_access_mode="READ") as session, pytest.raises(ClientError) as caught:
        session.execute_read(lambda tx: tx.run("CREATE (n:Hacked)").consume())
    assert caught.value.code == "Neo.ClientError.Statement.AccessMode"


@pytest.mark.neo4j
def test_slow_queries_time_out(neo4j_store: Neo4jStore) -> None:
    slow = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
    with pytest.raises(QueryTimeoutError):
        neo4j_store.run_cypher(slow, {}, timeout=0.2, row_limit=1)
    store = Neo4jStore(neo4j_store.driver, timeout=0.2)
    with pytest.raises(QueryTimeoutError):
        store.read(slow)


def test_unreachable_server_is_unavailable() -> None:
    driver = GraphDatabase.driver(
        f"bolt://127.0.0.1:{free_port()}", auth=None, max_transaction_retry_time=0.5
    )
    store = Neo4jStore(driver, owns_driver=True)
    try:
        with pytest.raises(StoreUnavailableError):
            store.stats()
    finally:
        store.close()


# --- one round trip per request ------------------------------------------------------------------

# Not the neighbourhood: it is one read transaction of a query per breadth-first layer (see
# queries.NEIGHBOUR_LAYER for why), checked against the embedded store above.
STORE_CALLS: dict[str, Callable[[GraphStore, str], object]] = {
    "entity": lambda s, e: s.entity(e),
    "supporters": lambda s, e: s.supporters(e),
    "opponents": lambda s, e: s.opponents(e),
    "timeline": lambda s, e: s.timeline(e),
    "between": lambda s, e: s.between(e, "us-department-of-war"),
    "between, other end": lambda s, e: s.between("us-department-of-war", e),
    "paths": lambda s, e: s.paths(e, "pete-hegseth", max_hops=4),
    "claims by subject": lambda s, e: s.claims(ClaimFilter(subject=e)),
    "claims by object and source": lambda s, e: s.claims(ClaimFilter(object=e, source=SOURCE_ID)),
}


@pytest.mark.neo4j
@pytest.mark.parametrize("call", STORE_CALLS.values(), ids=STORE_CALLS.keys())
def test_every_request_is_one_query(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, call: Callable[[GraphStore, str], object]
) -> None:
    """Whether the entity exists is part of the query that answers: found or not, one round trip."""
    ran: list[str] = []
    read = neo4j_store.read

    def counted(text: str, **params: Any) -> list[Record]:
        ran.append(text)
        return read(text, **params)

    monkeypatch.setattr(neo4j_store, "read", counted)
    # With answers, existing but with none (an outlet no claim names), and missing.
    for entity_id in ("anthropic", "jiqizhixin", "no-such-entity"):
        ran.clear()
        try:
            call(neo4j_store, entity_id)
        except NotFoundError:
            assert entity_id == "no-such-entity"
        assert len(ran) == 1, (entity_id, ran)


@pytest.mark.neo4j
def test_api_bodies_are_identical_over_both_stores(neo4j_store: Neo4jStore, memory_store: GraphStore) -> None:
    paths = [
        "/v1/entities/anthropic",
        "/v1/entities/anthropic/supporters",
        "/v1/entities/anthropic/opponents",
        "/v1/entities/jiqizhixin/supporters",
        "/v1/entities/anthropic/neighborhood?depth=2",
        "/v1/between?a=anthropic&b=us-department-of-war",
        "/v1/paths?from=sam-altman&to=pete-hegseth&max_hops=4",
        "/v1/timeline?entity=xai",
        "/v1/claims?object=anthropic&source=" + SOURCE_ID,
        "/v1/claims/sam-altman.supports.anthropic",
        "/v1/sources/" + SOURCE_ID,
        "/v1/entities/no-such-entity/supporters",
        "/v1/between?a=anthropic&b=no-such-entity",
        "/v1/paths?from=no-such-entity&to=anthropic",
        "/v1/claims?subject=no-such-entity",
        "/v1/claims?source=no-such-source",
        "/v1/claims?min_sources=2&limit=500",
        "/v1/claims?max_sources=1&outlet=jiqizhixin&limit=500",
        "/v1/claims?conflicted=any",
        "/v1/claims?outlet=no-such-outlet",
        "/v1/conflicts",
        "/v1/conflicts?kind=status&limit=1",
        "/v1/conflicts?entity=no-such-entity",
        "/v1/entities/anthropic/supporters?min_sources=2",
        "/v1/entities/anthropic/supporters?as_of=2026-02-20",
        "/v1/entities/anthropic/supporters?as_of=2026-03-01&known_by=2026-02-28",
        "/v1/entities/anthropic/opponents?known_by=2026-02-28",
        "/v1/entities/google/history?toward=any-lawful-use",
        "/v1/entities/google/history?toward=us-department-of-war&known_by=2026-03-01",
        "/v1/switches",
        "/v1/switches?entity=google&min_sources=1",
        "/v1/between?a=google&b=any-lawful-use&as_of=2026-05-01",
        "/v1/claims?as_of=2026-03-01&limit=500",
        "/v1/claims?known_by=2026-02-28&limit=500",
        "/v1/timeline?entity=google&as_of=2026-05-01",
        "/v1/entities/anthropic/neighborhood?depth=2&as_of=2026-02-27",
        "/v1/paths?from=sam-altman&to=pete-hegseth&max_hops=4&known_by=2026-03-05",
        "/v1/export?format=json&as_of=2026-03-01",
    ]
    with TestClient(create_app(Settings(), store=memory_store)) as client:
        for conflict in client.get("/v1/conflicts").json()["items"]:
            paths.append(f"/v1/claims/{conflict['claim']}")
    apps = [create_app(Settings(), store=store) for store in (memory_store, neo4j_store)]
    with TestClient(apps[0]) as memory_client, TestClient(apps[1]) as neo4j_client:
        for path in paths:
            memory, neo4j = memory_client.get(path), neo4j_client.get(path)
            assert (neo4j.status_code, neo4j.headers["content-type"]) == (
                memory.status_code,
                memory.headers["content-type"],
            ), path
            assert neo4j.content == memory.content, path


@pytest.mark.neo4j
def test_large_neighbourhood_stops_at_its_limit(neo4j_scratch: Any) -> None:
    """depth=2, limit=1000 around every hub of a 20k-claim graph: the same answer as the embedded
    store, within the per-transaction memory cap the local server sets (it used to exceed it)."""
    import time

    graph = generate(entities=4000, claims=20_000, seed=13).seeds
    load(neo4j_scratch, graph, batch_size=2000)
    neo, mem = Neo4jStore(neo4j_scratch), MemoryStore(graph)
    degree: dict[str, int] = {}
    for claim in graph.claims:
        for end in (claim.subject, claim.object):
            degree[end] = degree.get(end, 0) + 1
    hubs = sorted(degree, key=lambda e: (-degree[e], e))[:3]
    for hub in hubs:
        started = time.monotonic()
        answer = neo.neighborhood(hub, depth=2, limit=1000)
        seconds = time.monotonic() - started
        assert answer == mem.neighborhood(hub, depth=2, limit=1000), hub
        assert answer.truncated and len(answer.nodes) == 1000
        print(f"neighbourhood of {hub} (degree {degree[hub]}): {seconds:.2f} s in Neo4j")
        for depth in (3, 4):
            assert neo.neighborhood(hub, depth=depth, limit=200) == mem.neighborhood(
                hub, depth=depth, limit=200
            )
