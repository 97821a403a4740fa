"""Open the store the settings name."""

from __future__ import annotations

from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.store import GraphStore
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import Settings


def open_store(settings: Settings) -> GraphStore:
    if settings.store == "memory":
        return MemoryStore(validate_seeds(settings.seeds))
    from stancegraph.graph.neo4j_store import Neo4jStore

    return Neo4jStore.from_settings(settings)
