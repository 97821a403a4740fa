"""Loads and the API under Neo4j faults, on a Neo4j server of this module's own (started here on
free ports, stopped, killed and restarted; the shared session server is never touched).

- Neo4j SIGKILLed in the middle of a load, restarted, the load rerun: the full export equals a
  clean load's.
- Two loads at the same time: no duplicates; both finish or one fails with a driver error.
- A database holding other data: a load touches only our labels.
- Neo4j stopped or killed: every data endpoint answers 503 problem+json with Retry-After within
  the configured timeouts, /v1/health says degraded; Neo4j back, the same app answers again.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from stancegraph import launch, localneo4j
from stancegraph.api.app import create_app
from stancegraph.graph.export import snapshot_checksum
from stancegraph.graph.loader import LoadReport, load
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.graph.synthetic import generate
from stancegraph.schema.models import SeedSet
from stancegraph.settings import Settings
from tests.conftest import SEEDS, SOURCE_ID, Export, full_export, unavailable

pytestmark = pytest.mark.neo4j

EMPTY = SeedSet(sources=[], entities=[], claims=[])


def db_checksum(driver: Driver) -> str:
    """sha256 of the whole database's export (every label, ours or not) and of its schema."""
    schema, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties "
        "RETURN name, type, labelsOrTypes, properties",
        database_="neo4j",
    )
    data = repr((full_export(driver), sorted(repr(r.values()) for r in schema)))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _driver(server: OwnServer) -> Driver:
    return GraphDatabase.driver(
        server.uri, auth=server.auth, max_transaction_retry_time=1.0, connection_timeout=2.0
    )


@dataclass
class OwnServer:
    config: localneo4j.ServerConfig

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.config.bolt_port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        return localneo4j.credentials(self.config.home)

    def settings(self) -> dict[str, Any]:
        return {"neo4j_uri": self.uri, "neo4j_password": self.auth[1] if self.auth else None}

    def start(self) -> float:
        started = time.monotonic()
        localneo4j.start(self.config)
        return time.monotonic() - started

    def kill(self) -> None:
        pid = localneo4j.status(self.config.home).pid
        assert pid is not None, "the server is not running"
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while localneo4j.status(self.config.home).running:
            assert time.monotonic() < deadline, "the killed server is still running"
            time.sleep(0.1)

    def stop(self) -> None:
        localneo4j.stop(self.config.home)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnServer]:
    config = localneo4j.ServerConfig(
        home=tmp_path_factory.mktemp("neo4j-faults"),
        bolt_port=launch.free_port(),
        http_port=launch.free_port(),
    )
    server = OwnServer(config)
    try:
        server.start()
    except localneo4j.LocalNeo4jError as exc:
        unavailable(f"could not start a local Neo4j server: {exc}")
    try:
        yield server
    finally:
        localneo4j.stop(config.home)


# --- loads under faults -----------------------------------------------------------------------------

KILL_BATCH = 100


def test_killed_mid_load_then_rerun_equals_clean_load(own_server: OwnServer) -> None:
    graph = generate(entities=1000, claims=4000, seed=21).seeds
    driver = _driver(own_server)
    load(driver, EMPTY)
    writing_claims = threading.Event()

    def on_progress(stage: str, done: int, total: int) -> None:
        if stage == "claims" and done >= 3 * KILL_BATCH:
            writing_claims.set()

    def kill_when_writing() -> None:
        if writing_claims.wait(timeout=300):
            own_server.kill()

    killer = threading.Thread(target=kill_when_writing)
    killer.start()
    try:
        with pytest.raises((DriverError, Neo4jError)):
            load(driver, graph, batch_size=KILL_BATCH, on_progress=on_progress)
    finally:
        writing_claims.set()
        killer.join()
        driver.close()
    restart_seconds = own_server.start()

    with _driver(own_server) as driver:
        claims, _, _ = driver.execute_query("MATCH (c:Claim) RETURN count(c) AS n", database_="neo4j")
        survived = claims[0]["n"]
        assert 0 < survived < len(graph.claims), "the kill did not land mid-load"
        resumed = load(driver, graph, batch_size=1000)
        assert resumed.counts["claim"].unchanged >= survived - KILL_BATCH
        after_restart = full_export(driver)
        restarted_checksum = snapshot_checksum(Neo4jStore(driver).snapshot())

        load(driver, EMPTY)
        assert full_export(driver) == ([], [])
        load(driver, graph, batch_size=1000)
        assert full_export(driver) == after_restart
        assert snapshot_checksum(Neo4jStore(driver).snapshot()) == restarted_checksum
    assert restarted_checksum == snapshot_checksum(MemoryStore(graph).snapshot())
    print(
        f"killed after {survived}/{len(graph.claims)} claims; restart {restart_seconds:.1f} s; "
        f"{len(after_restart[0])} nodes, {len(after_restart[1])} relationships equal a clean load's"
    )


def test_two_loads_at_once_leave_no_duplicates(own_server: OwnServer) -> None:
    graph = generate(entities=500, claims=2000, seed=22).seeds
    with _driver(own_server) as driver:
        load(driver, EMPTY)
        load(driver, graph)
        clean = full_export(driver)
        load(driver, EMPTY)

    outcomes: list[object] = [None, None]
    barrier = threading.Barrier(2)

    def run(index: int) -> None:
        with _driver(own_server) as own:
            barrier.wait()
            try:
                outcomes[index] = load(own, graph, batch_size=100)
            except BaseException as exc:  # recorded, judged below
                outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for outcome in outcomes:
        assert isinstance(outcome, LoadReport | Neo4jError | DriverError), repr(outcome)
    finished = [o for o in outcomes if isinstance(o, LoadReport)]
    assert finished, f"neither load finished: {outcomes!r}"
    with _driver(own_server) as driver:
        for label in ("Entity", "Name", "Source", "Claim", "Evidence"):
            records, _, _ = driver.execute_query(
                f"MATCH (n:{label}) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(id) AS dups",
                database_="neo4j",
            )
            assert records[0]["dups"] == 0, label
        records, _, _ = driver.execute_query(
            "MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL WITH r.claim_id AS id, count(*) AS c "
            "WHERE c > 1 RETURN count(id) AS dups",
            database_="neo4j",
        )
        assert records[0]["dups"] == 0
        if len(finished) == 2:
            assert full_export(driver) == clean
        rerun = load(driver, graph)
        assert full_export(driver) == clean
        if len(finished) == 2:
            assert rerun.changed == 0
    failures = [type(o).__name__ for o in outcomes if not isinstance(o, LoadReport)]
    print(f"two concurrent loads: {len(finished)} finished, failed cleanly: {failures}")


FOREIGN = """
CREATE (f:Foreign {id: 'anthropic', note: 'not ours'})-[:LIKES {since: 2020}]->(:Foreign:Other {id: 'x'}),
       (p:Person {id: 'sam-altman', note: 'a Person without :Entity'}),
       (d:Document {id: 'open-letter'}),
       (f)-[:SUPPORTS {claim_id: 'sam-altman.supports.anthropic'}]->(p),
       (:Claim2 {id: 'sam-altman.supports.anthropic'}),
       (:Tag {name: 'no id at all'})
"""


def _foreign(driver: Driver) -> Export:
    """The nodes without our labels, and the relationships between them."""
    ours = "n:Entity OR n:Name OR n:Source OR n:Claim OR n:Evidence"
    nodes, _, _ = driver.execute_query(
        f"MATCH (n) WHERE NOT ({ours}) RETURN labels(n) AS labels, properties(n) AS props", database_="neo4j"
    )
    rels, _, _ = driver.execute_query(
        f"MATCH (n)-[r]->(m) WHERE NOT ({ours}) AND NOT ({ours.replace('n:', 'm:')}) "
        "RETURN n.id AS a, type(r) AS type, properties(r) AS props, m.id AS b",
        database_="neo4j",
    )
    return (
        sorted((sorted(r["labels"]), repr(sorted(r["props"].items()))) for r in nodes),
        sorted((r["a"], r["type"], repr(sorted(r["props"].items())), r["b"]) for r in rels),
    )


def test_load_touches_only_our_labels(own_server: OwnServer, seeds: SeedSet) -> None:
    with _driver(own_server) as driver:
        load(driver, EMPTY)
        driver.execute_query(FOREIGN, database_="neo4j")
        before = _foreign(driver)
        assert len(before[0]) == 6 and len(before[1]) == 2
        for graph in (seeds, generate(entities=60, claims=150, seed=23).seeds, seeds, EMPTY):
            load(driver, graph)
            assert _foreign(driver) == before
        assert full_export(driver) == before  # after loading nothing, only the foreign data is left
        driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")


# --- the API under faults ---------------------------------------------------------------------------

CLAIM_ID = "sam-altman.supports.anthropic"
# One request per data route of the OpenAPI document (test_every_data_route_is_covered checks).
DATA_REQUESTS: dict[str, tuple[str, str]] = {
    "/v1/health": ("GET", "/v1/health"),
    "/v1/claims": ("GET", "/v1/claims?subject=sam-altman"),
    "/v1/claims/{claim_id}": ("GET", f"/v1/claims/{CLAIM_ID}"),
    "/v1/conflicts": ("GET", "/v1/conflicts"),
    "/v1/cypher": ("POST", "/v1/cypher"),
    "/v1/entities": ("GET", "/v1/entities?q=anthropic"),
    "/v1/entities/{entity_id}": ("GET", "/v1/entities/anthropic"),
    "/v1/entities/{entity_id}/supporters": ("GET", "/v1/entities/anthropic/supporters"),
    "/v1/entities/{entity_id}/opponents": ("GET", "/v1/entities/anthropic/opponents"),
    "/v1/entities/{entity_id}/neighborhood": ("GET", "/v1/entities/anthropic/neighborhood?depth=2"),
    "/v1/export": ("GET", "/v1/export?format=json"),
    "/v1/between": ("GET", "/v1/between?a=anthropic&b=us-department-of-war"),
    "/v1/paths": ("GET", "/v1/paths?from=sam-altman&to=pete-hegseth&max_hops=4"),
    "/v1/timeline": ("GET", "/v1/timeline?entity=xai"),
    "/v1/entities/{entity_id}/history": ("GET", "/v1/entities/google/history?toward=any-lawful-use"),
    "/v1/switches": ("GET", "/v1/switches?known_by=2026-05-01"),
    "/v1/coalitions": ("GET", "/v1/coalitions?as_of=2026-05-01"),
    "/v1/coalitions/compare": ("GET", "/v1/coalitions/compare?from=2026-02-28&to=2026-05-01"),
    "/v1/sources": ("GET", "/v1/sources"),
    "/v1/sources/{source_id}": ("GET", f"/v1/sources/{SOURCE_ID}"),
    "/v1/sources/{source_id}/text": ("GET", f"/v1/sources/{SOURCE_ID}/text"),
    "/view": ("GET", "/view?entity=anthropic"),
    "/browser/guide": ("GET", "/browser/guide"),
    "/curate/{source}": ("GET", f"/curate/{SOURCE_ID}"),
}
# Served from the process alone: they answer 200 whatever Neo4j's state.
STATIC_ROUTES = {"/", "/v1/vocabulary", "/browser/style.grass"}


class FaultSettings(TypedDict):
    """Short driver bounds, as Settings keyword arguments (a TypedDict so mypy checks them)."""

    neo4j_connection_timeout: float
    neo4j_acquisition_timeout: float
    neo4j_retry_time: float


FAULT_SETTINGS = FaultSettings(
    neo4j_connection_timeout=1.0, neo4j_acquisition_timeout=2.0, neo4j_retry_time=1.0
)
# A stopped Neo4j must be reported within the driver's bounds, plus slack for a busy machine.
UNAVAILABLE_WITHIN = (
    FAULT_SETTINGS["neo4j_connection_timeout"]
    + FAULT_SETTINGS["neo4j_acquisition_timeout"]
    + FAULT_SETTINGS["neo4j_retry_time"]
    + 2.0
)


def _call(client: TestClient, route: str) -> tuple[int, dict[str, str], bytes, float]:
    method, url = DATA_REQUESTS[route]
    started = time.monotonic()
    if method == "POST":
        response = client.post(url, json={"query": "MATCH (e:Entity) RETURN count(e) AS n"})
    else:
        response = client.get(url)
    return response.status_code, dict(response.headers), response.content, time.monotonic() - started


@pytest.fixture(scope="module")
def fault_client(own_server: OwnServer, seeds: SeedSet) -> Iterator[TestClient]:
    with _driver(own_server) as driver:
        load(driver, seeds)
    settings = Settings(store="neo4j", seeds=SEEDS, **own_server.settings(), **FAULT_SETTINGS)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_every_data_route_is_covered(fault_client: TestClient) -> None:
    routes = set(fault_client.app.openapi()["paths"])  # type: ignore[attr-defined]
    assert routes == set(DATA_REQUESTS) | STATIC_ROUTES


def _all_answer(client: TestClient) -> None:
    for route in DATA_REQUESTS:
        status, _, body, _ = _call(client, route)
        assert status == 200, (route, body[:300])


def _all_unavailable(client: TestClient) -> float:
    slowest = 0.0
    for route in DATA_REQUESTS:
        status, headers, body, seconds = _call(client, route)
        slowest = max(slowest, seconds)
        assert status == 503, (route, status, body[:300])
        assert int(headers["retry-after"]) > 0, route
        assert seconds < UNAVAILABLE_WITHIN, (route, seconds)
        if route == "/v1/health":
            assert headers["content-type"] == "application/json"
            assert b'"degraded"' in body
        else:
            assert headers["content-type"] == "application/problem+json", route
            assert b"store-unavailable" in body and b"Traceback" not in body
    for route in STATIC_ROUTES:
        assert client.get(route).status_code == 200, route
    return slowest


def _recovers(client: TestClient) -> float:
    started = time.monotonic()
    while client.get("/v1/health").status_code != 200:
        assert time.monotonic() - started < 30, "the API did not recover"
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.mark.parametrize("fault", ["stop", "kill"])
def test_api_answers_503_while_neo4j_is_down_and_recovers(
    fault_client: TestClient, own_server: OwnServer, fault: str
) -> None:
    _all_answer(fault_client)
    if fault == "stop":
        own_server.stop()
    else:
        own_server.kill()
    try:
        slowest = _all_unavailable(fault_client)
    finally:
        own_server.start()
    recovered = _recovers(fault_client)
    _all_answer(fault_client)
    print(
        f"{fault}: {len(DATA_REQUESTS)} routes 503, slowest {slowest:.2f} s "
        f"(bound {UNAVAILABLE_WITHIN:.1f} s); healthy {recovered:.2f} s after Neo4j was back"
    )


def test_unreachable_at_startup_then_up(own_server: OwnServer, tmp_path: Path) -> None:
    """An API started while Neo4j is down serves 503s, then answers once Neo4j is up."""
    own_server.stop()
    try:
        settings = Settings(store="neo4j", seeds=SEEDS, **own_server.settings(), **FAULT_SETTINGS)
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            assert client.get("/v1/health").status_code == 503
            own_server.start()
            _recovers(client)
            assert client.get("/v1/entities/anthropic").status_code == 200
    finally:
        if not localneo4j.status(own_server.config.home).running:
            own_server.start()


FROZEN_DEADLINE = 2.0


def test_a_frozen_neo4j_gets_answers_by_the_deadline(own_server: OwnServer, seeds: SeedSet) -> None:
    """Neo4j stopped with SIGSTOP (a hung process, a partition): its port still accepts
    connections and nothing answers. Every data route answers 503 or 504 by the request's
    deadline, whatever the driver is waiting for; after SIGCONT the same app answers again."""
    with _driver(own_server) as driver:
        load(driver, seeds)
    settings = Settings(
        store="neo4j", seeds=SEEDS, query_timeout=FROZEN_DEADLINE, **own_server.settings(), **FAULT_SETTINGS
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        _all_answer(client)
        pid = localneo4j.status(own_server.config.home).pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)
        try:
            answers = {route: _call(client, route) for route in DATA_REQUESTS}
        finally:
            os.kill(pid, signal.SIGCONT)
        for route, (status, _, body, seconds) in answers.items():
            assert status in {503, 504}, (route, status, body[:300])
            assert seconds < FROZEN_DEADLINE + 1, (route, seconds)
            assert b"Traceback" not in body
        slowest = max(seconds for *_, seconds in answers.values())
        recovered = _recovers(client)
        _all_answer(client)
    statuses = sorted({status for status, *_ in answers.values()})
    print(
        f"frozen: {len(answers)} routes answered {statuses}, slowest {slowest:.2f} s "
        f"(deadline {FROZEN_DEADLINE:g} s); healthy {recovered:.2f} s after SIGCONT"
    )
