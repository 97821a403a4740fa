"""Settings from the environment (STANCEGRAPH_*), with defaults that run on a fresh clone."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STANCEGRAPH_", extra="ignore")

    store: Literal["memory", "neo4j"] = Field(
        default="memory", description="memory: embedded networkx graph; neo4j: a Neo4j server."
    )
    seeds: Path = Field(default=PROJECT_ROOT / "seeds", description="Folder of seed YAML files.")
    host: str = Field(default="127.0.0.1", description="Address the API binds to.")
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    browser_origins: list[str] = Field(
        default_factory=list,
        description="Origins besides http://localhost:<neo4j_http_port> and "
        "http://127.0.0.1:<neo4j_http_port> allowed to fetch /browser/* (the style and guide).",
    )

    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    query_timeout: float = Field(default=10.0, gt=0, description="Seconds before a query is cancelled.")
    cypher_row_limit: int = Field(default=1000, ge=1, description="Rows POST /v1/cypher returns at most.")
    cypher_max_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=1024,
        description="Bytes of JSON rows POST /v1/cypher returns at most (more: `truncated` is true).",
    )
    neo4j_connection_timeout: float = Field(
        default=3.0, gt=0, description="Seconds to open a connection to Neo4j (TCP and Bolt handshake)."
    )
    neo4j_acquisition_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for a free connection from the driver's pool."
    )
    neo4j_retry_time: float = Field(
        default=2.0,
        ge=0,
        description="Seconds a read is retried while Neo4j is unreachable; after that the API answers 503.",
    )
    max_body_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest request body the API accepts (larger: 413)."
    )
    batch_size: int = Field(default=1000, ge=1, description="Rows per UNWIND batch when loading.")

    neo4j_home: Path = Field(
        default=Path.home() / ".local" / "share" / "stancegraph" / "neo4j",
        description="Home folder of the local Neo4j server that `stancegraph neo4j start` runs.",
    )
    neo4j_bolt_port: int = Field(default=7687, ge=1, le=65535)
    neo4j_http_port: int = Field(default=7474, ge=1, le=65535)
