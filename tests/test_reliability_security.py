"""Security defaults: loopback bind, CORS off, body limit from settings, the Neo4j password never in
a response, a log line or a CLI message, and no stack trace in any error response.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stancegraph.api.app import create_app
from stancegraph.cli import app as cli
from stancegraph.launch import free_port
from stancegraph.settings import Settings
from tests.conftest import SEEDS

PASSWORD = "pa55-Wörd-that-must-not-leak"


def test_defaults_bind_loopback_without_cors() -> None:
    settings = Settings(_env_file=None)
    assert settings.host == "127.0.0.1"
    assert settings.cors_origins == []
    assert settings.max_body_bytes == 64 * 1024
    with TestClient(create_app(Settings(seeds=SEEDS))) as client:
        response = client.get("/v1/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options(
            "/v1/cypher",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in preflight.headers


def test_body_limit_comes_from_settings() -> None:
    with TestClient(create_app(Settings(seeds=SEEDS, max_body_bytes=2048))) as client:
        response = client.post("/v1/cypher", json={"query": "RETURN 1", "params": {"pad": "x" * 4096}})
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert client.post("/v1/cypher", json={"query": "RETURN 1"}).status_code == 501  # memory store


def test_password_never_in_responses_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(
        store="neo4j",
        seeds=SEEDS,
        neo4j_uri=f"bolt://127.0.0.1:{free_port()}",
        neo4j_password=PASSWORD,
        neo4j_connection_timeout=1.0,
        neo4j_retry_time=0.5,
    )
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings.model_dump())
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        started = time.monotonic()
        responses = [
            client.get("/v1/health"),
            client.get("/v1/entities/anthropic"),
            client.post("/v1/cypher", json={"query": "RETURN 1"}),
        ]
        assert time.monotonic() - started < 10
    for response in responses:
        assert response.status_code == 503
        assert PASSWORD not in response.text and "Traceback" not in response.text
    assert PASSWORD not in caplog.text


def test_password_never_in_cli_errors() -> None:
    env = {
        "STANCEGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
        "STANCEGRAPH_NEO4J_PASSWORD": PASSWORD,
        "STANCEGRAPH_NEO4J_RETRY_TIME": "0.5",
        "STANCEGRAPH_NEO4J_CONNECTION_TIMEOUT": "1",
    }
    result = CliRunner().invoke(cli, ["load", str(SEEDS)], env=env)
    assert result.exit_code == 3  # Neo4j unreachable (README: exit codes)
    assert "Neo4j" in result.output and PASSWORD not in result.output
    assert "Traceback" not in result.output


def test_the_local_servers_password_is_used_for_it_only(tmp_path: Path) -> None:
    """Commands find the local server's password in its home, and never send it elsewhere."""
    from stancegraph import localneo4j

    target = localneo4j.password_file(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text("generated-secret\n", encoding="utf-8")
    local = Settings(_env_file=None, neo4j_home=tmp_path)
    assert local.neo4j_uri == "bolt://127.0.0.1:7687"
    assert local.neo4j_auth() == ("neo4j", "generated-secret")
    moved = Settings(_env_file=None, neo4j_home=tmp_path, neo4j_bolt_port=7999)
    assert moved.neo4j_uri == "bolt://127.0.0.1:7999"
    assert moved.neo4j_auth() is None  # not the port this home's server was started on
    remote = Settings(_env_file=None, neo4j_home=tmp_path, neo4j_uri="bolt://db.example:7687")
    assert remote.neo4j_auth() is None
    given = Settings(_env_file=None, neo4j_home=tmp_path, neo4j_password="from-env")
    assert given.neo4j_auth() == ("neo4j", "from-env")
