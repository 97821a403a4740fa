"""Open the store the settings name: the one graph module that reads application settings, and
passes their values on to the stores and the driver."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.store import GraphStore
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import Settings

if TYPE_CHECKING:
    from neo4j import Driver


def open_store(settings: Settings) -> GraphStore:
    if settings.store == "memory":
        return MemoryStore(validate_seeds(settings.seeds))
    from stancegraph.graph.neo4j_store import Neo4jStore

    return Neo4jStore(
        neo4j_driver(settings),
        settings.neo4j_database,
        timeout=settings.query_timeout,
        owns_driver=True,
        cypher_max_bytes=settings.cypher_max_bytes,
    )


def neo4j_driver(settings: Settings) -> Driver:
    """A driver for the configured server, with `Settings.neo4j_auth()`'s credentials."""
    from stancegraph.graph.neo4j_store import open_driver

    return open_driver(
        settings.neo4j_uri,
        settings.neo4j_auth(),
        connection_timeout=settings.neo4j_connection_timeout,
        acquisition_timeout=settings.neo4j_acquisition_timeout,
        retry_time=settings.neo4j_retry_time,
    )
