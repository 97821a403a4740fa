"""Settings from the environment (STANCEGRAPH_*), with defaults that run on a fresh clone."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from stancegraph.schema.errors import StanceGraphError

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
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1"],
        description="Host names requests may be addressed to (besides `host` when it is one "
        "address); others get 400, which keeps DNS-rebinding pages out. `*` allows any.",
    )
    browser_origins: list[str] = Field(
        default_factory=list,
        description="Origins besides http://localhost:<neo4j_http_port> and "
        "http://127.0.0.1:<neo4j_http_port> allowed to fetch /browser/* (the style and guide).",
    )

    neo4j_uri: str = Field(
        default="", description="Bolt URI; default the local server's, bolt://127.0.0.1:<neo4j_bolt_port>."
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    query_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a request's store query may take: then it is cancelled and the API "
        "answers 504, whatever the database does.",
    )
    cypher_concurrency: int = Field(
        default=2, ge=1, le=64, description="User Cypher queries run at once; more get 429."
    )
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
    max_header_bytes: int = Field(
        default=16 * 1024, ge=1024, description="Largest request line and headers (larger: 431)."
    )
    client_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a client may take to send a whole request."
    )
    batch_size: int = Field(default=1000, ge=1, description="Rows per UNWIND batch when loading.")

    neo4j_home: Path = Field(
        default=Path.home() / ".local" / "share" / "stancegraph" / "neo4j",
        description="Home folder of the local Neo4j server that `stancegraph neo4j start` runs.",
    )
    neo4j_bolt_port: int = Field(default=7687, ge=1, le=65535)
    neo4j_http_port: int = Field(default=7474, ge=1, le=65535)

    @model_validator(mode="after")
    def _local_server(self) -> Settings:
        """The one place that decides where the local server is: the ports set in the
        environment, else those the running server of `neo4j_home` was started on (so a shell
        without the exports `up` printed still finds it), else the defaults; the URI follows."""
        if not {"neo4j_bolt_port", "neo4j_http_port"} & self.model_fields_set:
            from stancegraph import localneo4j

            running = localneo4j.status(self.neo4j_home)
            if running.running:
                self.neo4j_bolt_port = running.bolt_port
                self.neo4j_http_port = running.http_port
        if not self.neo4j_uri:
            self.neo4j_uri = f"bolt://127.0.0.1:{self.neo4j_bolt_port}"
        return self

    def exports(self) -> list[str]:
        """The `export STANCEGRAPH_...=` lines another shell needs to reach this Neo4j."""
        lines = [f"export STANCEGRAPH_STORE={self.store}", f"export STANCEGRAPH_NEO4J_URI={self.neo4j_uri}"]
        default_home = type(self).model_fields["neo4j_home"].get_default(call_default_factory=True)
        if self.neo4j_home != default_home:
            lines.append(f"export STANCEGRAPH_NEO4J_HOME={self.neo4j_home}")
        return lines

    def trusted_hosts(self) -> list[str]:
        """`allowed_hosts`, and the address the API binds to when that is one address."""
        extra = [] if self.host in {"0.0.0.0", "::", ""} else [self.host]
        return sorted({*self.allowed_hosts, *extra})

    def neo4j_auth(self) -> tuple[str, str] | None:
        """The credentials for `neo4j_uri`: the configured password; else, when the URI is the
        local server's (loopback, its Bolt port), the password `stancegraph neo4j start` made."""
        if self.neo4j_password is not None:
            return (self.neo4j_user, self.neo4j_password.get_secret_value())
        from stancegraph import localneo4j

        uri = urlsplit(self.neo4j_uri)
        if uri.hostname not in {"127.0.0.1", "localhost", "::1"}:
            return None
        if uri.port != localneo4j.status(self.neo4j_home).bolt_port:
            return None
        return localneo4j.credentials(self.neo4j_home)


class SettingsError(StanceGraphError):
    """A STANCEGRAPH_* value that is not valid; the message names the variable and the fix."""


def env_name(field: str) -> str:
    return f"STANCEGRAPH_{field.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and `overrides` (None means: not given), or a
    SettingsError naming each bad variable, what it holds and what it should hold."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            problems.append(f"{env_name(field)}={error.get('input')!r}: {error['msg']}")
        fix = "set it to a valid value or unset it" if len(problems) == 1 else "fix or unset them"
        raise SettingsError(f"{'; '.join(problems)} ({fix})") from None
