"""Dependencies shared by the routes: the app's store, settings and Cypher slots, page-size
bounds, and the thread hop for store calls (`in_thread`, in limits.py with the deadline it keeps).

Routes that answer JSON are `async def` and run only their store call on the thread pool
(`in_thread`). A plain `def` route costs a request up to three hops to the pool: its sync
dependencies, the route itself, and FastAPI's validation of its return value. The dependencies
here are `async def` for the same reason: they do no I/O.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from stancegraph.api.limits import CypherSlots, in_thread
from stancegraph.graph.results import MAX_SOURCES, SourceCounts
from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.schema.errors import StoreUnavailableError
from stancegraph.settings import Settings

# Paged listings fetch one row more than asked to learn whether a next page exists.
MAX_PAGE = MAX_LIMIT // 2
DEFAULT_PAGE = 50

__all__ = [
    "DEFAULT_PAGE",
    "MAX_PAGE",
    "CypherSlotsDep",
    "SettingsDep",
    "SourceCountsDep",
    "StoreDep",
    "in_thread",
]


async def get_store(request: Request) -> GraphStore:
    store = getattr(request.app.state, "store", None)
    if not isinstance(store, GraphStore):
        raise StoreUnavailableError("the store is not open")
    return store


async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


async def get_source_counts(
    min_sources: Annotated[
        int | None, Query(ge=1, le=MAX_SOURCES, description="Claims with at least this many sources.")
    ] = None,
    max_sources: Annotated[
        int | None,
        Query(ge=1, le=MAX_SOURCES, description="Claims with at most this many sources (1: resting on one)."),
    ] = None,
    outlet: Annotated[
        str | None, Query(description="Claims this outlet (an entity id) reports.", examples=["axios"])
    ] = None,
) -> SourceCounts:
    return SourceCounts(min_sources=min_sources, max_sources=max_sources, outlet=outlet)


async def get_cypher_slots(request: Request) -> CypherSlots:
    slots = request.app.state.cypher_slots
    assert isinstance(slots, CypherSlots)
    return slots


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CypherSlotsDep = Annotated[CypherSlots, Depends(get_cypher_slots)]
SourceCountsDep = Annotated[SourceCounts, Depends(get_source_counts)]
