"""POST /v1/cypher against attempts to write, administer or escape: every attempt is a 4xx, and the
database's full-export checksum (every node, relationship, index and constraint) is unchanged
afterwards. Plus the time limit (504), the row cap and the byte cap.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from stancegraph.api.app import create_app
from stancegraph.graph.export import snapshot_checksum
from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import QueryRejectedError
from stancegraph.settings import Settings
from tests.conftest import SEEDS
from tests.test_reliability_neo4j import db_checksum

pytestmark = pytest.mark.neo4j

ROW_LIMIT = 50
TIMEOUT = 1.0

# (what is tried, query, parameters)
ATTEMPTS: list[tuple[str, str, dict[str, Any]]] = [
    ("CREATE", "CREATE (n:Hacked) RETURN n", {}),
    ("MERGE", "MERGE (n:Entity {id: 'hacked'}) RETURN n", {}),
    ("SET property", "MATCH (n:Entity {id: 'anthropic'}) SET n.name_en = 'pwned' RETURN n", {}),
    ("SET label", "MATCH (n:Entity {id: 'anthropic'}) SET n:Hacked", {}),
    ("SET +=", "MATCH (n:Entity {id: 'anthropic'}) SET n += {x: 1}", {}),
    ("REMOVE property", "MATCH (n:Entity {id: 'anthropic'}) REMOVE n.name_en", {}),
    ("REMOVE label", "MATCH (n:Entity {id: 'anthropic'}) REMOVE n:Company", {}),
    ("DELETE node", "MATCH (e:Evidence) WITH e LIMIT 1 DELETE e", {}),
    ("DELETE relationship", "MATCH ()-[r:SUPPORTS]->() DELETE r", {}),
    ("DETACH DELETE", "MATCH (n) DETACH DELETE n", {}),
    ("FOREACH SET", "MATCH (n:Entity) FOREACH (x IN [1] | SET n.x = x)", {}),
    ("write in a subquery", "CALL () { CREATE (n:Hacked) } RETURN 1 AS one", {}),
    ("write after a read", "MATCH (n:Entity) WITH n LIMIT 1 CREATE (n)-[:HACKED]->(n) RETURN n", {}),
    ("LOAD CSV file", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", {}),
    ("LOAD CSV http", "LOAD CSV WITH HEADERS FROM 'http://169.254.169.254/latest/' AS row RETURN row", {}),
    ("LOAD CSV lower case, newline", "load\ncsv from 'file:///etc/passwd' as l return l", {}),
    ("LOAD CSV split by a comment", "LOAD/* hidden */CSV FROM 'file:///etc/passwd' AS l RETURN l", {}),
    ("LOAD CSV split by NBSP", "LOAD\u00a0CSV FROM 'file:///etc/passwd' AS l RETURN l", {}),
    ("LOAD CSV URL as a parameter", "LOAD CSV FROM $url AS l RETURN l", {"url": "file:///etc/passwd"}),
    ("IN TRANSACTIONS", "MATCH (n) CALL (n) { SET n.x = 1 } IN TRANSACTIONS OF 10 ROWS RETURN 1", {}),
    ("IN CONCURRENT TRANSACTIONS", "MATCH (n) CALL (n) { SET n.x = 1 } IN CONCURRENT TRANSACTIONS", {}),
    ("IN 4 CONCURRENT TRANSACTIONS", "MATCH (n) CALL (n) { SET n.x = 1 } IN 4 CONCURRENT TRANSACTIONS", {}),
    ("read-only IN TRANSACTIONS", "CALL () { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n", {}),
    ("db.createLabel", "CALL db.createLabel('Hacked')", {}),
    ("db.createProperty", "CALL db.createProperty('hacked')", {}),
    ("db.createRelationshipType", "CALL db.createRelationshipType('HACKED')", {}),
    ("backticked db.createLabel", "CALL `db`.`createLabel`('Hacked')", {}),
    ("db.clearQueryCaches", "CALL db.clearQueryCaches()", {}),
    ("db.prepareForReplanning", "CALL db.prepareForReplanning()", {}),
    ("db.stats.collect", "CALL db.stats.collect('QUERIES')", {}),
    ("db.stats.clear", "CALL db.stats.clear('QUERIES')", {}),
    ("db.resampleOutdatedIndexes", "CALL db.resampleOutdatedIndexes()", {}),
    (
        "db.index.vector.createNodeIndex",
        "CALL db.index.vector.createNodeIndex('v', 'Entity', 'v', 3, 'cosine')",
        {},
    ),
    ("procedure after a read", "MATCH (n) WITH n LIMIT 1 CALL db.prepareForReplanning() RETURN n", {}),
    ("dbms.listConfig", "CALL dbms.listConfig()", {}),
    ("dbms.killConnections", "CALL dbms.killConnections(['bolt-1'])", {}),
    ("dbms.upgrade", "CALL dbms.upgrade()", {}),
    ("tx.setMetaData", "CALL tx.setMetaData({who: 'me'})", {}),
    ("TERMINATE TRANSACTIONS", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", {}),
    ("SHOW TRANSACTIONS", "SHOW TRANSACTIONS", {}),
    ("SHOW SETTINGS", "SHOW SETTINGS", {}),
    ("SHOW USERS", "SHOW USERS", {}),
    ("CREATE USER", "CREATE USER hacker SET PASSWORD 'hacker-password'", {}),
    ("CREATE DATABASE", "CREATE DATABASE hacked", {}),
    ("STOP DATABASE", "STOP DATABASE neo4j", {}),
    ("USE system", "USE system SHOW USERS", {}),
    ("CREATE INDEX", "CREATE INDEX hacked FOR (n:Hacked) ON (n.x)", {}),
    ("CREATE FULLTEXT INDEX", "CREATE FULLTEXT INDEX hacked FOR (n:Entity) ON EACH [n.name_en]", {}),
    ("DROP INDEX", "DROP INDEX entity_names", {}),
    ("DROP INDEX IF EXISTS", "DROP INDEX name_key_text IF EXISTS", {}),
    ("CREATE CONSTRAINT", "CREATE CONSTRAINT hacked FOR (n:Hacked) REQUIRE n.x IS UNIQUE", {}),
    ("DROP CONSTRAINT", "DROP CONSTRAINT {constraint}", {}),
    ("two statements", "MATCH (n) RETURN count(n); CREATE (m:Hacked)", {}),
    ("two statements, newline", "RETURN 1;\nCREATE (n:Hacked)", {}),
    ("trailing semicolon", "CREATE (n:Hacked);", {}),
    ("semicolon after a string", "RETURN ';' AS s; CREATE (n:Hacked)", {}),
    ("semicolon after a quoted name", "MATCH (n) RETURN n AS `a;b`; CREATE (m:Hacked)", {}),
    ("write behind a line comment", "// RETURN 1\nCREATE (n:Hacked)", {}),
    ("write between comments", "MATCH (n:Entity) /* read */ SET /* only */ n.x = 1 RETURN n", {}),
    ("semicolon in a comment, then another", "RETURN 1 /* ; */ ; CREATE (n:Hacked)", {}),
    ("unclosed comment", "RETURN 1 /* ; CREATE (n:Hacked)", {}),
    ("Greek question mark as ;", "RETURN 1\u037e CREATE (n:Hacked)", {}),
    ("fullwidth semicolon", "RETURN 1\uff1b CREATE (n:Hacked)", {}),
    ("zero-width space in CREATE", "CRE\u200bATE (n:Hacked)", {}),
    ("Mongolian vowel separator", "LOAD\u180eCSV FROM 'file:///etc/passwd' AS l RETURN l", {}),
    ("Cyrillic C in CREATE", "\u0421REATE (n:Hacked)", {}),
    ("fullwidth CREATE", "\uff23\uff32\uff25\uff21\uff34\uff25 (n:Hacked)", {}),
    ("BOM then CREATE", "\ufeffCREATE (n:Hacked)", {}),
    ("right-to-left override", "MATCH (n) RETURN n \u202e)dekcaH:n( ETAERC", {}),
    ("PROFILE a write", "PROFILE CREATE (n:Hacked)", {}),
    ("EXPLAIN a write", "EXPLAIN CREATE (n:Hacked)", {}),
    ("CYPHER options", "CYPHER runtime=slotted CREATE (n:Hacked)", {}),
    ("USE neo4j then write", "USE neo4j CREATE (n:Hacked)", {}),
    (
        "\\u0027 closes a string, LOAD CSV behind it",
        "WITH '\\u0027 AS a LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l //' AS z RETURN z",
        {},
    ),
    (
        "\\u0027 closes a string, IN TRANSACTIONS behind it",
        "WITH '\\u0027 AS a CALL () { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n //' AS z RETURN z",
        {},
    ),
    (
        "\\u0027 closes a string, CREATE behind it",
        "WITH '\\u0027 AS a CREATE (n:Hacked) RETURN a //' AS z RETURN z",
        {},
    ),
    ("\\u003b as a semicolon", "RETURN 1 \\u003b CREATE (n:Hacked)", {}),
    ("\\u0027; then a second statement", "RETURN 'a\\u0027; CREATE (n:Hacked) //' AS s", {}),
    ("syntax error", "RETURN 1 +", {}),
    ("empty after comments", "// nothing\n/* at all */", {}),
]

# Parameters never become Cypher: these run, as reads, and return the text as data.
INJECTIONS: list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]] = [
    (
        "quote-closing value",
        "MATCH (n:Entity {id: $id}) RETURN n.id AS id",
        {"id": "x'}) CREATE (m:Hacked) //"},
        [],
    ),
    ("Cypher as a value", "RETURN $q AS q", {"q": "CREATE (n:Hacked)"}, [{"q": "CREATE (n:Hacked)"}]),
    ("Cypher as a parameter name", "RETURN 1 AS one", {"x}) CREATE (n:Hacked) //": 1}, [{"one": 1}]),
    (
        "escaped backslash before u0027",
        "RETURN 'a\\\\u0027; CREATE (n:Hacked) //' AS s",
        {},
        [{"s": "a\\u0027; CREATE (n:Hacked) //"}],
    ),
    (
        "nested map value",
        "RETURN $m.k[0] AS v",
        {"m": {"k": ["CREATE (n:Hacked)"]}},
        [{"v": "CREATE (n:Hacked)"}],
    ),
]


@pytest.fixture(scope="module")
def cypher_store(neo4j_driver: Driver, neo4j_store: GraphStore) -> Neo4jStore:
    """The shared seed graph, through a store of our own (its byte cap is changed below)."""
    return Neo4jStore(neo4j_driver, database="neo4j")


@pytest.fixture(scope="module")
def client(cypher_store: Neo4jStore) -> Iterator[TestClient]:
    settings = Settings(store="neo4j", seeds=SEEDS, query_timeout=TIMEOUT, cypher_row_limit=ROW_LIMIT)
    with TestClient(create_app(settings, store=cypher_store), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def checksums(cypher_store: Neo4jStore, neo4j_driver: Driver) -> tuple[str, str]:
    return snapshot_checksum(cypher_store.snapshot()), db_checksum(neo4j_driver)


def _constraint_name(driver: Driver) -> str:
    records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name LIMIT 1", database_="neo4j")
    return str(records[0]["name"])


@pytest.mark.parametrize(("what", "query", "params"), ATTEMPTS, ids=[a[0] for a in ATTEMPTS])
def test_attempt_is_rejected_and_the_graph_is_unchanged(
    client: TestClient,
    cypher_store: Neo4jStore,
    neo4j_driver: Driver,
    checksums: tuple[str, str],
    what: str,
    query: str,
    params: dict[str, Any],
) -> None:
    query = query.replace("{constraint}", _constraint_name(neo4j_driver))
    response = client.post("/v1/cypher", json={"query": query, "params": params})
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text
    assert (snapshot_checksum(cypher_store.snapshot()), db_checksum(neo4j_driver)) == checksums, what


@pytest.mark.parametrize(("what", "query", "params", "rows"), INJECTIONS, ids=[i[0] for i in INJECTIONS])
def test_parameters_stay_data(
    client: TestClient,
    cypher_store: Neo4jStore,
    neo4j_driver: Driver,
    checksums: tuple[str, str],
    what: str,
    query: str,
    params: dict[str, Any],
    rows: list[dict[str, Any]],
) -> None:
    response = client.post("/v1/cypher", json={"query": query, "params": params})
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == rows
    assert (snapshot_checksum(cypher_store.snapshot()), db_checksum(neo4j_driver)) == checksums, what


@pytest.mark.parametrize(
    "body",
    [
        {"query": "RETURN 1", "mode": "WRITE"},
        {"query": "RETURN 1", "params": ["not", "a", "map"]},
        {"query": ""},
        {"query": "RETURN 1" + " " * 20_000},
        {},
    ],
    ids=["extra field", "params not a map", "empty query", "query too long", "no query"],
)
def test_malformed_requests_are_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/v1/cypher", json=body)
    assert response.status_code == 422, response.text


def test_read_only_procedures_and_show_commands_still_work(client: TestClient) -> None:
    for query in (
        "CALL db.labels() YIELD label RETURN label",
        "CALL db.schema.visualization()",
        "CALL db.index.fulltext.queryNodes('entity_names', 'Anthropic') YIELD node RETURN node.id AS id",
        "SHOW INDEXES YIELD name RETURN name",
        "SHOW CONSTRAINTS",
        "SHOW PROCEDURES YIELD name RETURN name",
    ):
        response = client.post("/v1/cypher", json={"query": query})
        assert response.status_code == 200, (query, response.text)


def test_slow_query_is_cancelled_at_its_time_limit(client: TestClient, checksums: tuple[str, str]) -> None:
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
    started = time.monotonic()
    response = client.post("/v1/cypher", json={"query": slow})
    seconds = time.monotonic() - started
    assert response.status_code == 504, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert seconds < TIMEOUT + 3, seconds
    print(f"cancelled after {seconds:.2f} s (limit {TIMEOUT:g} s)")
    assert client.post("/v1/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [{"one": 1}]


def test_rows_are_capped(client: TestClient) -> None:
    body = client.post("/v1/cypher", json={"query": "UNWIND range(1, 100000) AS x RETURN x"}).json()
    assert len(body["rows"]) == ROW_LIMIT and body["truncated"] is True
    body = client.post("/v1/cypher", json={"query": f"UNWIND range(1, {ROW_LIMIT}) AS x RETURN x"}).json()
    assert len(body["rows"]) == ROW_LIMIT and body["truncated"] is False


def test_bytes_are_capped(client: TestClient, cypher_store: Neo4jStore) -> None:
    query = "UNWIND range(1, 40) AS x RETURN x, reduce(s = '', i IN range(1, 1000) | s + 'x') AS pad"
    cypher_store.cypher_max_bytes = 10_000
    try:
        response = client.post("/v1/cypher", json={"query": query})
    finally:
        cypher_store.cypher_max_bytes = Neo4jStore.cypher_max_bytes
    body = response.json()
    assert body["truncated"] is True
    assert 0 < len(body["rows"]) < 10 and len(response.content) < 12_000


@pytest.mark.parametrize(
    "query",
    [
        "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
        "CALL () { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n",
        "CALL db.stats.collect('QUERIES')",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        # Nested plans, visible only in an operator's details:
        "RETURN [x IN [1] | COLLECT { //\rLOAD CSV FROM 'file:///etc/passwd' AS l RETURN l[0] }] AS y",
        "RETURN [x IN [1] | COLLECT { CALL db.stats.retrieve('QUERIES') YIELD data RETURN data }] AS y",
        "RETURN CASE WHEN true THEN COLLECT { CALL dbms.listConfig() YIELD name RETURN name } END AS y",
        "RETURN reduce(s = [], x IN [1] | s + COLLECT { LOAD CSV FROM 'http://127.0.0.1:1/' AS l RETURN l })",
    ],
)
def test_the_plan_check_alone_refuses(
    cypher_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """Defence in depth: with the text checks switched off, the plan check still refuses."""
    monkeypatch.setattr("stancegraph.graph.neo4j_store.check_request", lambda query, params: None)
    with pytest.raises(QueryRejectedError):
        cypher_store.run_cypher(query, {}, timeout=5, row_limit=5)
