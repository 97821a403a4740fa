"""A real Neo4j 5.26 Community server from Maven Central jars (stancegraph.localneo4j).

Needs Java 17+ and, the first time, Maven to fill the jar cache. One server is shared by the
module; the failure cases start short-lived servers that die within seconds.
"""

from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from stancegraph import localneo4j
from stancegraph.launch import free_port
from stancegraph.localneo4j import LocalNeo4jError, ServerConfig, ServerStatus
from tests.conftest import unavailable

pytestmark = pytest.mark.neo4j


@pytest.fixture(autouse=True)
def _java() -> None:
    if shutil.which("java") is None:
        unavailable("needs Java 17+ on PATH")


def _config(home: Path, extra_settings: dict[str, str] | None = None) -> ServerConfig:
    return ServerConfig(
        home=home,
        bolt_port=free_port(),
        http_port=free_port(),
        heap="256m",
        pagecache="64m",
        extra_settings=extra_settings or {},
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerConfig, ServerStatus]]:
    config = _config(tmp_path_factory.mktemp("neo4j-shared"))
    status = localneo4j.start(config)
    try:
        yield config, status
    finally:
        localneo4j.stop(config.home)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_bolt_answers_a_query(server: tuple[ServerConfig, ServerStatus]) -> None:
    from neo4j import GraphDatabase

    config, status = server
    with GraphDatabase.driver(status.bolt_uri, auth=localneo4j.credentials(config.home)) as driver:
        records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
    assert records[0]["n"] == 0


def test_bolt_refuses_no_auth_and_a_wrong_password(server: tuple[ServerConfig, ServerStatus]) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    config, status = server
    for auth in (None, ("neo4j", "neo4j"), ("neo4j", "not-the-password")):
        with GraphDatabase.driver(status.bolt_uri, auth=auth) as driver, pytest.raises(AuthError):
            driver.verify_connectivity()
    login = localneo4j.credentials(config.home)
    assert login is not None and login[0] == "neo4j" and len(login[1]) >= 24


def test_password_is_readable_by_the_owner_only(server: tuple[ServerConfig, ServerStatus]) -> None:
    config, status = server
    assert status.password_file == localneo4j.password_file(config.home)
    assert status.password_file.stat().st_mode & 0o777 == 0o600
    assert status.password_file.parent.stat().st_mode & 0o777 == 0o700


def test_http_refuses_writes_without_auth_and_other_origins(
    server: tuple[ServerConfig, ServerStatus],
) -> None:
    """The transaction endpoint wants credentials, and CORS names only the Browser's own origin."""
    config, status = server
    body = json.dumps({"statements": [{"statement": "CREATE (n:Hacked) RETURN n"}]}).encode()
    request = urllib.request.Request(
        status.http_url + "db/neo4j/tx/commit",
        data=body,
        headers={"Content-Type": "application/json", "Origin": "http://evil.example"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 401
    allowed = info.value.headers.get("Access-Control-Allow-Origin")
    assert allowed == f"http://127.0.0.1:{config.http_port}", allowed
    preflight = urllib.request.Request(
        status.http_url + "db/neo4j/tx/commit",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        method="OPTIONS",
    )
    with urllib.request.urlopen(preflight, timeout=10) as response:
        assert response.headers.get("Access-Control-Allow-Origin") != "*"
        assert response.headers.get("Access-Control-Allow-Origin") != "http://evil.example"


def test_a_home_made_without_auth_gets_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A home from before auth was on: its system database holds the default, expired password."""
    from neo4j import GraphDatabase

    config = _config(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(localneo4j, "_set_initial_password", lambda *args: None)
        patch.setattr(localneo4j, "_bolt_ready", lambda uri, auth: True)
        localneo4j.start(config, timeout=120)
        localneo4j.stop(config.home)
    localneo4j.password_file(config.home).unlink()
    status = localneo4j.start(config, timeout=120)
    try:
        login = localneo4j.credentials(config.home)
        assert login is not None
        with GraphDatabase.driver(status.bolt_uri, auth=login) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
    finally:
        localneo4j.stop(config.home)


def test_http_serves_discovery_and_browser(server: tuple[ServerConfig, ServerStatus]) -> None:
    config, status = server
    assert status.http_url == f"http://127.0.0.1:{config.http_port}/"
    with urllib.request.urlopen(status.http_url, timeout=10) as response:
        discovery = json.loads(response.read())
    assert discovery["neo4j_edition"] == "community"
    assert discovery["neo4j_version"].startswith("5.26.")
    with urllib.request.urlopen(status.http_url + "browser/", timeout=10) as response:
        html = response.read().decode("utf-8")
    assert "<title>Neo4j Browser</title>" in html


def test_status_and_second_start_reuse_the_server(
    server: tuple[ServerConfig, ServerStatus],
) -> None:
    config, started = server
    now = localneo4j.status(config.home)
    assert now.running
    assert now.pid == started.pid
    assert now.bolt_uri == f"bolt://127.0.0.1:{config.bolt_port}"
    assert now.log_path == config.home.resolve() / "logs" / "console.log"
    assert localneo4j.start(config) == now


def test_start_on_busy_port_says_port_in_use(tmp_path: Path, busy_port: int) -> None:
    config = ServerConfig(home=tmp_path, bolt_port=busy_port, http_port=free_port())
    with pytest.raises(LocalNeo4jError, match="port in use") as info:
        localneo4j.start(config)
    assert str(tmp_path / "logs" / "console.log") in str(info.value)
    assert not localneo4j.status(tmp_path).running


def test_busy_port_detected_by_the_server_itself(
    tmp_path: Path, busy_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Skip the pre-check (a race can beat it) so Neo4j's own bind failure is mapped."""
    monkeypatch.setattr(localneo4j, "_check_ports_free", lambda config, log: None)
    config = _config(tmp_path)
    config = ServerConfig(home=config.home, bolt_port=config.bolt_port, http_port=busy_port)
    with pytest.raises(LocalNeo4jError, match="port in use") as info:
        localneo4j.start(config, timeout=60)
    log = tmp_path / "logs" / "console.log"
    assert info.value.log_path == log
    assert f"Log: {log}" in str(info.value)
    assert not localneo4j.status(tmp_path).running


def test_bad_setting_says_bad_configuration(tmp_path: Path) -> None:
    config = _config(tmp_path, extra_settings={"dbms.no_such_setting": "true"})
    with pytest.raises(LocalNeo4jError, match="bad configuration") as info:
        localneo4j.start(config, timeout=60)
    assert "dbms.no_such_setting" in str(info.value)
    assert str(tmp_path / "logs" / "console.log") in str(info.value)
    assert not localneo4j.status(tmp_path).running


def test_second_process_on_same_home_says_store_locked(
    server: tuple[ServerConfig, ServerStatus],
) -> None:
    """A Neo4j we do not know about (no pid file) holds the store: the new one must say so."""
    config, started = server
    pid_file = config.home.resolve() / "run" / "stancegraph-neo4j.pid"
    saved = pid_file.read_text()
    pid_file.unlink()
    try:
        other = _config(config.home)
        with pytest.raises(LocalNeo4jError, match="store locked by another process") as info:
            localneo4j.start(other, timeout=60)
        assert "console.log" in str(info.value)
    finally:
        pid_file.write_text(saved)
    assert localneo4j.status(config.home).pid == started.pid


def test_stop_stops_the_server(tmp_path: Path) -> None:
    config = _config(tmp_path)
    started = localneo4j.start(config)
    assert started.running and started.pid is not None
    assert localneo4j.stop(tmp_path) is True
    after = localneo4j.status(tmp_path)
    assert not after.running and after.pid is None
    assert localneo4j.stop(tmp_path) is False
    with pytest.raises(OSError):
        urllib.request.urlopen(started.http_url, timeout=2)


def test_java_command_and_settings(tmp_path: Path) -> None:
    config = ServerConfig(home=tmp_path, bolt_port=7001, http_port=7002, heap="300m")
    cmd = localneo4j.java_command(config, Path("/lib"))
    assert cmd[:3] == ["java", "-Xms300m", "-Xmx300m"]
    assert cmd[cmd.index("-cp") + 1] == "/lib/*"
    assert localneo4j.ENTRY_POINT in cmd
    assert f"--home-dir={tmp_path}" in cmd and "--console-mode" in cmd
    assert "server.bolt.listen_address=127.0.0.1:7001" in cmd
    assert "server.http.listen_address=127.0.0.1:7002" in cmd
    for safe in (
        "dbms.security.auth_enabled=true",
        "dbms.security.http_access_control_allow_origin=http://127.0.0.1:7002",
        "dbms.security.allow_csv_import_from_file_urls=false",
        "internal.dbms.cypher_ip_blocklist=0.0.0.0/0,::/0",
        "internal.datacollector.max_recent_query_count=0",
        "db.memory.transaction.max=256m",
        f"server.directories.import={tmp_path.resolve() / 'import'}",
    ):
        assert safe in cmd, safe


def test_missing_java_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(LocalNeo4jError, match="Java is not on PATH"):
        localneo4j.start(_config(tmp_path))


def test_missing_maven_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LocalNeo4jError, match="Maven"):
        localneo4j.ensure_jars(tmp_path / "empty-cache")


def test_jar_cache_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = localneo4j.ensure_jars()
    monkeypatch.setenv("PATH", str(tmp_path))  # no mvn: a second call must not need it
    messages: list[str] = []
    assert localneo4j.ensure_jars(on_progress=messages.append) == lib
    assert messages == []
    assert any(p.name.startswith("neo4j-browser-") for p in lib.glob("*.jar"))


def test_generated_passwords_are_never_read_as_options(tmp_path: Path) -> None:
    """neo4j-admin takes a password starting with "-" for an option and refuses to start; the
    url-safe alphabet gave one in 32 homes such a password."""
    for n in range(300):
        password = localneo4j._new_password(tmp_path / str(n))
        assert not password.startswith("-") and len(password) >= 32
        assert localneo4j.password_file(tmp_path / str(n)).read_text(encoding="utf-8") == password + "\n"
