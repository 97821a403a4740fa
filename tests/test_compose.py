"""docker-compose.yml cannot run here (no Docker engine), so check its structure by parsing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from stancegraph.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_services_and_image() -> None:
    services = compose()["services"]
    assert set(services) == {"neo4j", "loader", "api"}
    assert services["neo4j"]["image"].startswith("neo4j:5.26")
    assert "neo4j-data:/data" in services["neo4j"]["volumes"]
    assert "neo4j-data" in compose()["volumes"]


def test_healthchecks_and_start_order() -> None:
    services = compose()["services"]
    assert services["neo4j"]["healthcheck"]["test"]
    assert services["api"]["healthcheck"]["test"]
    assert services["loader"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["loader"]["condition"] == "service_completed_successfully"
    assert services["api"]["environment"]["STANCEGRAPH_STORE"] == "neo4j"
    assert services["loader"]["command"][:2] == ["stancegraph", "load"]


def test_ports_bind_loopback_only() -> None:
    for service in compose()["services"].values():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), port


def test_no_secret_in_the_repo() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert "env_file: .env" in text
    for match in re.finditer(r"^\s*\w*PASSWORD:\s*(\S+)", text, re.M):
        assert match.group(1).startswith("${"), match.group(0)
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_PASSWORD=$", example, re.M)
    assert ".env" in (PROJECT_ROOT / ".gitignore").read_text().split()


def test_dockerfile_uses_the_readme_install() -> None:
    dockerfile = Path(PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir ." in dockerfile
    for folder in ("schema", "graph", "api", "seeds", "stancegraph"):
        assert f"COPY {folder} ./{folder}" in dockerfile


def test_neo4j_has_the_local_servers_safe_defaults(tmp_path: Path) -> None:
    """The container runs with the settings `stancegraph neo4j start` uses against web pages,
    file reads and query collection (auth comes from NEO4J_AUTH and .env)."""
    from stancegraph.localneo4j import ServerConfig, server_settings

    local = server_settings(ServerConfig(home=tmp_path, http_port=7474))
    env = compose()["services"]["neo4j"]["environment"]
    assert env["NEO4J_AUTH"].startswith("neo4j/${")
    for key in (
        "dbms.security.http_access_control_allow_origin",
        "dbms.security.allow_csv_import_from_file_urls",
        "internal.dbms.cypher_ip_blocklist",
        "internal.datacollector.max_recent_query_count",
        "internal.datacollector.max_query_text_size",
        "db.memory.transaction.max",
        "server.bolt.connection_keep_alive",
    ):
        name = "NEO4J_" + key.replace("_", "__").replace(".", "_")
        assert str(env.get(name)) == local[key], (name, env.get(name), local[key])
