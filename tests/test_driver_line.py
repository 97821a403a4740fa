"""The Neo4j driver is the line of the server the project ships (neo4j/pom.xml), and what the store
relies on from that line holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.metadata import version

import pytest
from neo4j import GraphDatabase

from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.schema.errors import StoreUnavailableError
from stancegraph.settings import PROJECT_ROOT
from tests.conftest import Neo4jServer

POM = PROJECT_ROOT / "neo4j" / "pom.xml"
MAVEN = {"m": "http://maven.apache.org/POM/4.0.0"}


def shipped_server_version() -> str:
    version_element = ET.parse(POM).getroot().find("m:properties/m:neo4j.version", MAVEN)
    assert version_element is not None and version_element.text, f"{POM} names no neo4j.version"
    return version_element.text.strip()


def major(dotted: str) -> int:
    return int(dotted.split(".", 1)[0])


def test_the_driver_is_the_shipped_servers_major_line() -> None:
    server = shipped_server_version()
    for package in ("neo4j", "neo4j-rust-ext"):
        assert major(version(package)) == major(server), (
            f"{package} {version(package)} is not the {major(server)}.x line of the server "
            f"{POM.relative_to(PROJECT_ROOT)} ships ({server}); pin it in pyproject.toml"
        )


@pytest.mark.neo4j
def test_a_full_connection_pool_is_unavailable(neo4j_server: Neo4jServer, neo4j_store: Neo4jStore) -> None:
    """Driver 5.x says a pool stayed full with a code-less ClientError; the store names it a
    store that is unavailable (503), not an error of the query."""
    with GraphDatabase.driver(
        neo4j_server.uri,
        auth=neo4j_server.auth,
        max_connection_pool_size=1,
        connection_acquisition_timeout=0.5,
    ) as driver:
        store = Neo4jStore(driver, database="neo4j")
        with driver.session(database="neo4j") as holder, holder.begin_transaction() as tx:
            tx.run("RETURN 1").consume()  # the pool's one connection is now this transaction's
            with pytest.raises(StoreUnavailableError, match="Neo4j is unavailable"):
                store.stats()
