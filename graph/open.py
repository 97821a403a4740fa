"""Open the store the settings name: the one graph module that reads application settings, and
passes their values on to the stores and the driver."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import StoreUnavailableError
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


def unreachable_hint(settings: Settings) -> str:
    """What to do when the configured Neo4j does not answer, in one line."""
    return (
        f"Neo4j at {settings.neo4j_uri} is not reachable: start it with `stancegraph up` "
        "(or `stancegraph neo4j start`), or point STANCEGRAPH_NEO4J_URI at a running server"
    )


class Availability:
    """Whether the store answered the last time anyone asked.

    While it is known to be down, a request does not wait out the driver's connection timeout
    and read retries (seconds each): it is refused at once with `hint`, and at most once every
    `recheck` seconds a ping (one round trip, no retries) finds out whether it is back.

    Only until the store first answers: an API started before its Neo4j (the newcomer's case).
    After that, an outage goes through the driver as before: the driver learns that its pooled
    connections died only by using them, and in the fault tests (tests/test_reliability_neo4j.py)
    refusing requests early during an outage was followed by queries that hung until their
    deadline once Neo4j was back.
    """

    def __init__(self, store: GraphStore, hint: str, recheck: float = 1.0) -> None:
        self.store = store
        self.hint = hint
        self.recheck = recheck
        self._down_at: float | None = None
        self._answered = False
        self._why = hint
        self._lock = threading.Lock()
        from stancegraph.graph.neo4j_store import Neo4jStore

        if isinstance(store, Neo4jStore):  # the embedded store is never down
            store.guard = self.check

    @property
    def down(self) -> bool:
        return self._down_at is not None

    def probe(self) -> bool:
        """Ping the store now; remember the answer."""
        try:
            self.store.ping()
        except StoreUnavailableError as exc:
            self.mark_down(exc)
            return False
        with self._lock:
            self._down_at = None
            self._answered = True
        return True

    def mark_down(self, exc: Exception) -> None:
        with self._lock:
            if self._answered:
                return
            self._down_at = time.monotonic()
            self._why = self.describe(exc)

    def describe(self, exc: Exception) -> str:
        """An unavailable-store error in words, with `hint` (once)."""
        text = str(exc).rstrip(":. ")
        return text if self.hint in text else f"{self.hint} ({text})" if text else self.hint

    def check(self) -> None:
        """Raise StoreUnavailableError (naming `hint`) if the store is known to be down."""
        down_at = self._down_at
        if down_at is None:
            return
        if time.monotonic() - down_at < self.recheck or not self.probe():
            raise StoreUnavailableError(self._why)
