"""The independent attack, replayed and extended, against the real thing: `stancegraph serve` on
the Neo4j store (a separate process, real HTTP) over the local Neo4j that `stancegraph neo4j start`
and `up` run, with its safe defaults.

Every attempt must be refused (4xx problem+json) within the deadline plus a second, and the
database's checksum must not move. The timing tests measure /v1/health alongside.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from neo4j import Driver

from stancegraph.launch import api_process, free_port
from tests.conftest import SEEDS, Neo4jServer
from tests.test_reliability_neo4j import db_checksum

pytestmark = pytest.mark.neo4j

DEADLINE = 2.0  # STANCEGRAPH_QUERY_TIMEOUT of the API under attack
CLIENT_TIMEOUT = 2.0
HEALTH_BUDGET = 0.100


# --- the API under attack, and a sink that records any request Neo4j would make --------------------


@dataclass
class Sink:
    """An HTTP server on loopback that counts the requests it gets (SSRF would show up here)."""

    port: int = field(default_factory=free_port)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str = "/x.csv") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def sink() -> Iterator[Sink]:
    recorder = Sink()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorder.hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a,b\n1,2\n")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", recorder.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def api(neo4j_server: Neo4jServer, neo4j_store: Any) -> Iterator[str]:
    """`stancegraph serve --store neo4j` in its own process, as a user runs it."""
    port = free_port()
    env = {
        **neo4j_server.env(),
        "STANCEGRAPH_SEEDS": str(SEEDS),
        "STANCEGRAPH_QUERY_TIMEOUT": str(DEADLINE),
        "STANCEGRAPH_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT),
        "STANCEGRAPH_NEO4J_RETRY_TIME": "0.5",
    }
    command = [sys.executable, "-m", "stancegraph.cli", "serve", "--store", "neo4j", "--port", str(port)]
    with api_process(port, env, command) as base:
        yield base


@pytest.fixture(scope="module")
def checksum(neo4j_driver: Driver, neo4j_store: Any) -> str:
    return db_checksum(neo4j_driver)


# One client for every attack: a new httpx client per request costs the attacker's side ~20 ms of
# CPU (an SSL context), which on this 2-CPU machine would be taken from the server measured.
CLIENT = httpx2.Client(timeout=60, limits=httpx2.Limits(max_connections=64, max_keepalive_connections=64))


def cypher(base: str, query: str, params: dict[str, Any] | None = None) -> tuple[httpx2.Response, float]:
    started = time.monotonic()
    response = CLIENT.post(base + "/v1/cypher", json={"query": query, "params": params or {}})
    return response, time.monotonic() - started


# --- 1-2. reading files, fetching URLs, other clients' queries --------------------------------------

PASSWD = "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l[0]"
TERMINATORS = {"CR": "\r", "VT": "\x0b", "FF": "\x0c", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}


def nested(inner: str) -> str:
    """`inner` as a subquery expression inside a list comprehension: a nested plan."""
    return f"RETURN [x IN [1] | COLLECT {{ {inner} }}] AS y"


def _attacks(sink_url: str) -> list[tuple[str, str]]:
    stats = "CALL db.stats.retrieve('QUERIES') YIELD data RETURN data"
    out = [("the report's example", nested(f"//\r{PASSWD}")), ("the report's procedure", nested(stats))]
    for name, end in TERMINATORS.items():
        out.append((f"comment ended by {name}", nested(f"//{end}{PASSWD}")))
        out.append((f"top-level comment ended by {name}", f"RETURN 1 AS one //{end}{PASSWD}"))
    out += [
        ("escaped CR ends a comment", nested("//\\u000d" + PASSWD)),
        ("escaped LS ends a comment", nested("//\\u2028" + PASSWD)),
        ("in CASE", f"RETURN CASE WHEN true THEN COLLECT {{ {PASSWD} }} END AS y"),
        ("in reduce", f"RETURN reduce(s = [], x IN [1] | s + COLLECT {{ {PASSWD} }}) AS y"),
        ("in COUNT", "RETURN [x IN [1] | COUNT { LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l }]"),
        ("in a quantifier", f"RETURN any(x IN [1] WHERE size(COLLECT {{ {PASSWD} }}) > 0) AS y"),
        ("in a pattern comprehension", f"RETURN [(a)-->(b) WHERE size(COLLECT {{ {PASSWD} }}) > 0 | b]"),
        ("in a map projection", f"MATCH (n:Entity) RETURN n {{.id, rows: COLLECT {{ {PASSWD} }}}} LIMIT 1"),
        ("two levels deep", f"RETURN [x IN [1] | [y IN [2] | COLLECT {{ {PASSWD} }}]] AS y"),
        ("in a CALL subquery", "CALL () { LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l AS v } RETURN v"),
        ("/proc/self/cmdline", nested("LOAD CSV FROM 'file:///proc/self/cmdline' AS l RETURN l")),
        ("a URL, nested", nested(f"LOAD CSV FROM '{sink_url}' AS l RETURN l")),
        ("a URL as a parameter, nested", nested("LOAD CSV FROM $u AS l RETURN l")),
        ("LOAD split by a comment and CR", nested("LOAD//\rCSV FROM 'file:///etc/passwd' AS l RETURN l")),
        ("retrieveAllAnonymized", nested("CALL db.stats.retrieveAllAnonymized('g') YIELD data RETURN data")),
        ("dbms.listConfig in CASE", "RETURN CASE WHEN true THEN COLLECT { CALL dbms.listConfig() } END"),
        ("listConnections nested", nested("CALL dbms.listConnections() YIELD connectionId AS c RETURN c")),
        ("db.stats.collect nested", nested("CALL db.stats.collect('QUERIES') YIELD section RETURN section")),
        ("backticked, nested", nested("CALL `db`.`stats`.`retrieve`('QUERIES') YIELD data RETURN data")),
        ("spaced and commented name", nested("CALL db . /* */ stats . retrieve('QUERIES') YIELD data")),
        ("procedure behind CR", nested(f"//\r{stats}")),
        ("SHOW TRANSACTIONS nested", nested("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery")),
        ("IN TRANSACTIONS nested", nested("CALL () { RETURN 1 AS v } IN TRANSACTIONS RETURN v")),
    ]
    return out


@pytest.fixture(scope="module")
def attacks(sink: Sink) -> list[tuple[str, str]]:
    return _attacks(sink.url())


ATTACK_IDS = [name for name, _ in _attacks("http://127.0.0.1:1/x.csv")]


@pytest.mark.parametrize("index", range(len(ATTACK_IDS)), ids=ATTACK_IDS)
def test_attack_is_refused_and_nothing_leaks(
    api: str, attacks: list[tuple[str, str]], sink: Sink, neo4j_driver: Driver, checksum: str, index: int
) -> None:
    name, query = attacks[index]
    response, seconds = cypher(api, query, {"u": sink.url("/param.csv")})
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert "root:" not in response.text and "Traceback" not in response.text
    assert seconds < DEADLINE + 1, seconds
    assert sink.hits == [], f"Neo4j fetched {sink.hits}"
    assert db_checksum(neo4j_driver) == checksum, name


def test_the_server_alone_refuses_files_urls_and_query_collection(
    neo4j_driver: Driver, sink: Sink, checksum: str
) -> None:
    """Defence in depth, with the API out of the way: the local Neo4j itself refuses file and
    network URLs and collects no query texts or parameters for db.stats.retrieve to show."""
    from neo4j.exceptions import ClientError

    for url in ("file:///etc/passwd", sink.url("/direct.csv")):
        with pytest.raises(ClientError) as info:
            neo4j_driver.execute_query(f"LOAD CSV FROM '{url}' AS l RETURN l", database_="neo4j")
        print(f"{url}: {info.value.code}")
    assert sink.hits == []
    neo4j_driver.execute_query("MATCH (n:Entity {id: $secret}) RETURN n", secret="a-secret-value")
    records, _, _ = neo4j_driver.execute_query(
        "CALL db.stats.retrieve('QUERIES') YIELD data RETURN data", database_="neo4j"
    )
    assert "a-secret-value" not in json.dumps([dict(r) for r in records], default=str)
    assert db_checksum(neo4j_driver) == checksum


# --- 3-4. queries that would hang or outlive their deadline ---------------------------------------


def _deep() -> list[tuple[str, str]]:
    return [
        ("lists 300 deep", "RETURN " + "[" * 300 + "1" + "]" * 300 + " AS x"),
        ("parentheses 1000 deep", "RETURN " + "(" * 1000 + "1" + ")" * 1000 + " AS x"),
        ("maps 1000 deep", "RETURN " + "{a:" * 1000 + "1" + "}" * 1000 + " AS x"),
        ("NOT 1000 times", "RETURN " + "NOT " * 1000 + "true AS x"),
        ("CASE 500 deep", "RETURN " + "CASE WHEN true THEN " * 500 + "1" + " END" * 500 + " AS x"),
        ("lists of NOT 500 deep", "RETURN " + "[NOT " * 500 + "true" + "]" * 500 + " AS x"),
        ("a property chain of 1000", "WITH {a: 1} AS m RETURN m" + ".a" * 1000 + " AS x"),
        ("2000 labels", "MATCH (n" + ":A" * 2000 + ") RETURN n"),
        ("2000 hops", "MATCH (a)" + "-->()" * 2000 + " RETURN a"),
        ("100 XORs", "RETURN " + " XOR ".join(["true"] * 100) + " AS x"),
    ]


def _huge() -> list[tuple[str, str]]:
    return [
        ("reduce over a huge range", "RETURN reduce(s = 0, x IN range(1, 300000000) | s + x) AS s"),
        ("one huge value", "RETURN range(1, 5000000) AS s"),
        ("a computed huge range", "RETURN size([x IN range(1, toInteger('5000000')) | x]) AS s"),
        ("a range to a power", "RETURN reduce(s = 0, x IN range(1, 10^9) | s + x) AS s"),
        ("nested ranges", "RETURN [x IN range(1, 5000) | size([y IN range(1, 5000) WHERE y = x])] AS s"),
    ]


@pytest.mark.parametrize(("name", "query"), _deep() + _huge(), ids=[n for n, _ in _deep() + _huge()])
def test_deep_and_huge_queries_are_refused_at_once(
    api: str, neo4j_driver: Driver, checksum: str, name: str, query: str
) -> None:
    response, seconds = cypher(api, query)
    assert response.status_code == 400, (name, response.text)
    assert seconds < 1.0, f"{name}: {seconds:.2f} s"
    assert httpx2.get(api + "/v1/health", timeout=5).status_code == 200
    assert db_checksum(neo4j_driver) == checksum


# GET /v1/health every 50 ms on one keep-alive connection, from a process of its own (a probe
# thread would wait for this process's GIL while forty client threads read their answers), until
# a line arrives on stdin; then it prints the latencies and statuses as JSON.
PROBE = """
import http.client, json, sys, threading, time
host, port = sys.argv[1], int(sys.argv[2])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
conn, seconds, statuses = http.client.HTTPConnection(host, port, timeout=10), [], []
while not stop.is_set():
    started = time.monotonic()
    conn.request("GET", "/v1/health")
    response = conn.getresponse()
    response.read()
    seconds.append(time.monotonic() - started)
    statuses.append(response.status)
    stop.wait(0.05)
print(json.dumps({"seconds": seconds, "statuses": statuses}))
"""


@dataclass
class HealthProbe:
    """/v1/health's latency, measured from another process while the test attacks."""

    base: str
    seconds: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def __enter__(self) -> HealthProbe:
        host, port = self.base.removeprefix("http://").split(":")
        command = [sys.executable, "-c", PROBE, host, port]
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self._proc.communicate("stop\n", timeout=30)
        data = json.loads(out)
        self.seconds, self.statuses = data["seconds"], data["statuses"]

    def report(self, what: str) -> str:
        ms = sorted(s * 1000 for s in self.seconds)
        return (
            f"{what}: /v1/health {len(ms)} calls, p50 {statistics.median(ms):.1f} ms, "
            f"max {ms[-1]:.1f} ms, statuses {sorted(set(self.statuses))}"
        )


# Slow for Neo4j in different ways. The first is rows (Neo4j's own timeout stops it); the other
# two are single expressions that Neo4j does not stop at its timeout: the API answers at its
# deadline anyway, and the slot stays taken until Neo4j is done.
SLOW = [
    ("many rows", "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"),
    (
        "one expression over the data, cubed",
        "MATCH (n) WITH collect(n) AS a "
        "RETURN size([x IN a WHERE size([y IN a WHERE size([z IN a WHERE z = y]) > 0]) > 0]) AS n",
    ),
]


def test_forty_deep_queries_at_once_answer_at_once_and_health_stays_fast(
    api: str, neo4j_driver: Driver, checksum: str
) -> None:
    """The report's 40 concurrent 607-byte queries: each refused before Neo4j sees it, as a
    400 (the text check) or, past the admission limit, a 429 before its body is read."""
    deep = "RETURN " + "[" * 300 + "1" + "]" * 300 + " AS x"
    with HealthProbe(api) as probe, ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda _: cypher(api, deep), range(40)))
        time.sleep(0.5)
    print(probe.report("40 deep queries at once"))
    print(f"slowest refusal: {max(s for _, s in answers):.2f} s")
    statuses = sorted(response.status_code for response, _ in answers)
    print(f"answers: {statuses.count(400)} × 400, {statuses.count(429)} × 429")
    assert set(statuses) <= {400, 429} and 400 in statuses, statuses
    assert all(seconds < DEADLINE + 1 for _, seconds in answers)
    assert set(probe.statuses) == {200}
    assert max(probe.seconds) < HEALTH_BUDGET, probe.report("health")
    assert db_checksum(neo4j_driver) == checksum


def test_slow_queries_keep_their_deadline_and_health_stays_fast(
    api: str, neo4j_driver: Driver, checksum: str
) -> None:
    """Slow queries in every Cypher slot: each answers within the deadline + 1 s, a query beyond
    the slots gets 429 at once, and the other routes and /v1/health keep answering."""
    with HealthProbe(api) as probe, ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda q: cypher(api, q[1]), SLOW))
        # The expression Neo4j has not finished still holds its slot: a new query may get 429.
        extra, extra_seconds = cypher(api, "RETURN 1 AS one")
        entity = httpx2.get(api + "/v1/entities/anthropic/supporters", timeout=10)
        time.sleep(1.0)
    print(probe.report("slow queries in every slot"))
    for (name, _), (response, seconds) in zip(SLOW, answers, strict=True):
        print(f"{name}: {response.status_code} after {seconds:.2f} s (deadline {DEADLINE:g} s)")
        assert response.status_code == 504, (name, response.text)
        assert seconds < DEADLINE + 1, (name, seconds)
    print(f"a query while the slots were busy: {extra.status_code} after {extra_seconds:.2f} s")
    assert extra.status_code in {200, 429}, extra.text
    assert extra_seconds < DEADLINE + 1
    assert entity.status_code == 200
    assert set(probe.statuses) == {200}
    assert max(probe.seconds) < HEALTH_BUDGET, probe.report("health")
    assert db_checksum(neo4j_driver) == checksum


def test_slots_free_again_once_neo4j_is_done(api: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        response, _ = cypher(api, "RETURN 1 AS one")
        if response.status_code == 200:
            break
        assert response.status_code == 429, response.text
        assert time.monotonic() < deadline, "the Cypher slots never came back"
        time.sleep(1)
    assert response.json()["rows"] == [{"one": 1}]


# --- 5. parameters and errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ('{"query": "RETURN $n AS n", "params": {"n": 123456789012345678901234567890}}', "params.n"),
        ('{"query": "RETURN $s AS s", "params": {"s": "a\\ud800b"}}', "params.s"),
        ('{"query": "RETURN $m AS m", "params": {"m": {"k": [1, -99999999999999999999]}}}', "params.m.k[1]"),
        (
            '{"query": "RETURN $d AS d", "params": {"d": ' + "[" * 40 + "]" * 40 + "}}",
            "params.d" + "[0]" * 32,
        ),
    ],
    ids=["beyond 64 bits", "lone surrogate", "nested beyond 64 bits", "nested 40 deep"],
)
def test_unencodable_parameters_are_422_naming_them(api: str, body: str, parameter: str) -> None:
    response = httpx2.post(
        api + "/v1/cypher", content=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 422, response.text
    assert response.json()["parameter"] == parameter


def test_a_memory_error_is_a_400_not_a_retry(api: str) -> None:
    response, _ = cypher(
        api, "UNWIND range(1, 3000000) AS x WITH x ORDER BY x DESC RETURN collect(x)[0] AS top"
    )
    assert response.status_code == 400, response.text
    assert "memory" in response.json()["detail"]
    assert "Retry-After" not in response.headers


# --- 7. hosts, headers and slow clients -----------------------------------------------------------


def test_other_host_names_are_refused(api: str) -> None:
    for host in ("evil.example", "attacker.example:8000", "127.0.0.1.nip.io"):
        response = httpx2.get(api + "/v1/health", headers={"Host": host}, timeout=5)
        assert response.status_code == 400, host
        assert "STANCEGRAPH_ALLOWED_HOSTS" in response.json()["detail"]
    port = api.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert httpx2.get(api + "/v1/health", headers={"Host": host}, timeout=5).status_code == 200


def _raw(api: str, data: bytes, *, read_for: float = 5.0) -> bytes:
    host, port = api.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=read_for) as sock:
        with contextlib.suppress(OSError):  # the server may close while we are still sending
            sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except OSError:
            pass
    return b"".join(chunks)


def test_a_huge_header_is_refused(api: str) -> None:
    for size in (20_000, 16 * 1024 * 1024):
        started = time.monotonic()
        head = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * size + b"\r\n\r\n"
        answer = _raw(api, head)
        assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
        assert time.monotonic() - started < 5


def test_a_slow_client_is_closed(api: str) -> None:
    host, port = api.removeprefix("http://").split(":")
    for partial in (b"", b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"):
        started = time.monotonic()
        with socket.create_connection((host, int(port)), timeout=CLIENT_TIMEOUT + 10) as sock:
            sock.sendall(partial)
            answer = sock.recv(65536)
            while chunk := sock.recv(65536):
                answer += chunk
        seconds = time.monotonic() - started
        assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        assert CLIENT_TIMEOUT - 0.5 < seconds < CLIENT_TIMEOUT + 2, seconds
    with httpx2.Client(timeout=5) as client:  # a client that keeps up is unaffected
        for _ in range(3):
            assert client.get(api + "/v1/health").status_code == 200
            time.sleep(CLIENT_TIMEOUT / 2)
