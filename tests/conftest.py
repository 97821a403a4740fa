"""Shared fixtures: the shipped seeds, and every store built from them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from neo4j import Driver, GraphDatabase

from stancegraph import launch
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.store import GraphStore
from stancegraph.schema.models import SeedSet, Source
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
ON_CI = os.environ.get("CI", "").lower() == "true"
SOURCE_ID = "jiqizhixin-2026-02-28-anthropic-ban"
SOURCE_YAML = f"sources/{SOURCE_ID}.yaml"  # the source and its claims, relative to the seeds


def make_source(
    ident: str, published: str, *, based_on: str | None = None, outlet: str = "some-outlet"
) -> Source:
    """A source record with no text behind it, for tests of what is derived from sources."""
    return Source.model_validate(
        {
            "id": ident,
            "title": ident,
            "outlet": outlet,
            "published": published,
            "based_on": based_on,
            "language": "en",
            "path": f"sources/{ident}.txt",
            "sha256": "0" * 64,
        }
    )


def only_the_seed_article(root: Path) -> Path:
    """Drop every source but SOURCE_ID (its file, text and the claims written beside it) from a
    copy of the seeds: for tests that count sources from a one-source start."""
    for path in (root / "sources").iterdir():
        if not path.name.startswith(f"{SOURCE_ID}."):
            path.unlink()
    return root


NEO4J_FIXTURES = {"neo4j_server", "neo4j_driver", "neo4j_store", "neo4j_scratch"}
HEAVY_MARKS = ("neo4j", "slow", "load")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a Neo4j fixture is a neo4j test, marked or not (so `-m "not neo4j"`
    never starts Java); a test with none of the heavy marks is a `unit` test, the fast loop."""
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)
        if not any(item.get_closest_marker(mark) for mark in HEAVY_MARKS):
            item.add_marker(pytest.mark.unit)


def unavailable(reason: str) -> NoReturn:
    """A tool a test needs (Neo4j, Java, Chromium) is missing: a skip on a developer's machine,
    a failure on CI (CI=true), where every test must run."""
    if ON_CI:
        pytest.fail(f"{reason} (required on CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seeds() -> SeedSet:
    return validate_seeds(SEEDS)


@pytest.fixture(scope="session")
def source_text() -> str:
    return (SEEDS / "sources" / f"{SOURCE_ID}.zh.txt").read_text(encoding="utf-8")


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped seeds, for tests that break them on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    yield target


@pytest.fixture(scope="session")
def memory_store(seeds: SeedSet) -> GraphStore:
    return MemoryStore(seeds)


# The neo4j kind carries the neo4j mark, so `-m "not neo4j"` deselects it instead of starting
# a server for it.
STORE_KINDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> GraphStore:
    """Every store kind, built from the shipped seeds: the contract suite runs on each."""
    result: GraphStore = request.getfixturevalue(f"{request.param}_store")
    return result


# --- Neo4j ------------------------------------------------------------------------------------------

NEO4J_URI_ENV = "STANCEGRAPH_TEST_NEO4J_URI"
NEO4J_PASSWORD_ENV = "STANCEGRAPH_TEST_NEO4J_PASSWORD"
# The API checks the Host header; TestClient sends `testserver`.
os.environ.setdefault("STANCEGRAPH_ALLOWED_HOSTS", '["127.0.0.1", "localhost", "::1", "testserver"]')


@dataclass(frozen=True)
class Neo4jServer:
    """Where the tests' Neo4j is and how to log in to it (the local server always has auth on)."""

    uri: str
    auth: tuple[str, str] | None

    def env(self) -> dict[str, str]:
        """The settings a CLI command needs to reach this server."""
        env = {"STANCEGRAPH_NEO4J_URI": self.uri}
        if self.auth is not None:
            env |= {"STANCEGRAPH_NEO4J_USER": self.auth[0], "STANCEGRAPH_NEO4J_PASSWORD": self.auth[1]}
        return env

    def settings(self) -> dict[str, Any]:
        """The same as Settings keyword arguments."""
        return {"neo4j_uri": self.uri, "neo4j_password": self.auth[1] if self.auth else None}


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """A Neo4j server: $STANCEGRAPH_TEST_NEO4J_URI (and _PASSWORD), else a local one started here."""
    configured = os.environ.get(NEO4J_URI_ENV)
    if configured:
        password = os.environ.get(NEO4J_PASSWORD_ENV)
        yield Neo4jServer(configured, ("neo4j", password) if password else None)
        return
    from stancegraph import localneo4j

    config = localneo4j.ServerConfig(
        home=tmp_path_factory.mktemp("neo4j-server"),
        bolt_port=launch.free_port(),
        http_port=launch.free_port(),
    )
    try:
        status = localneo4j.start(config)
    except localneo4j.LocalNeo4jError as exc:
        unavailable(f"could not start a local Neo4j server: {exc}")
    try:
        yield Neo4jServer(status.bolt_uri, localneo4j.credentials(config.home))
    finally:
        localneo4j.stop(config.home)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jServer) -> Iterator[Driver]:
    with GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as driver:
        yield driver


@pytest.fixture(scope="session")
def neo4j_store(neo4j_driver: Driver, seeds: SeedSet) -> GraphStore:
    """The shipped seeds loaded into the server's `neo4j` database."""
    from stancegraph.graph.loader import load
    from stancegraph.graph.neo4j_store import Neo4jStore

    load(neo4j_driver, seeds, database="neo4j")
    return Neo4jStore(neo4j_driver, database="neo4j")


@pytest.fixture()
def neo4j_scratch(neo4j_driver: Driver, neo4j_store: GraphStore, seeds: SeedSet) -> Iterator[Driver]:
    """The `neo4j` database to load other graphs into; the seed graph is back afterwards.

    Community edition has one user database, so tests share it; loading is a sync, so one load
    of the seeds restores exactly the graph `neo4j_store` answers from.
    """
    from stancegraph.graph.loader import load

    try:
        yield neo4j_driver
    finally:
        load(neo4j_driver, seeds, database="neo4j")


Export = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def full_export(driver: Driver) -> Export:
    """Every node (labels, properties) and relationship (ends' ids, type, properties), sorted:
    two databases with equal exports hold the same graph, whatever their element ids."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database_="neo4j"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, properties(r) AS props, b.id AS b",
        database_="neo4j",
    )
    return (
        sorted((sorted(r["labels"]), repr(sorted(r["props"].items()))) for r in nodes),
        sorted((r["a"], r["type"], repr(sorted(r["props"].items())), r["b"]) for r in rels),
    )
