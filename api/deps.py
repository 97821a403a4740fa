"""Dependencies shared by the routes: the app's store, settings and Cypher slots, page-size
bounds, and the thread hop for store calls (`in_thread`, in limits.py with the deadline it keeps).

Routes that answer JSON are `async def` and run only their store call on the thread pool
(`in_thread`). A plain `def` route costs a request up to three hops to the pool: its sync
dependencies, the route itself, and FastAPI's validation of its return value. The dependencies
here are `async def` for the same reason: they do no I/O.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from stancegraph.api.limits import CypherSlots, in_thread
from stancegraph.graph.results import MAX_SOURCES, SourceCounts
from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.graph.window import TimeWindow
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
    "TimeWindowDep",
    "in_thread",
    "reject_unknown_query",
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


async def get_time_window(
    as_of: Annotated[
        date | None,
        Query(
            description="Only what held on this day (valid time), YYYY-MM-DD. A start, end or "
            "publication of month or year precision that may fall on it matches as `overlap` "
            "(each claim's `time` says how it matched).",
            examples=["2026-03-01"],
        ),
    ] = None,
    known_by: Annotated[
        date | None,
        Query(
            description="Only what sources published by this day said (known time), YYYY-MM-DD: "
            "each claim keeps the evidence published by then, and its summary is computed from it.",
            examples=["2026-02-28"],
        ),
    ] = None,
) -> TimeWindow:
    return TimeWindow(as_of=as_of, known_by=known_by)


async def get_cypher_slots(request: Request) -> CypherSlots:
    slots = request.app.state.cypher_slots
    assert isinstance(slots, CypherSlots)
    return slots


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CypherSlotsDep = Annotated[CypherSlots, Depends(get_cypher_slots)]
SourceCountsDep = Annotated[SourceCounts, Depends(get_source_counts)]
TimeWindowDep = Annotated[TimeWindow, Depends(get_time_window)]


def accepted_query(route: APIRoute) -> tuple[str, ...]:
    """The query parameters `route` declares, its dependencies' included, by their URL names."""
    return tuple(sorted(_query_names(route.dependant)))


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """A 422 naming every query parameter the route does not declare (a misspelled filter would
    otherwise be ignored and the answer look unfiltered). Installed once for every route, in
    create_app; what a route accepts comes from its own signature."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    accepted = accepted_query(route)
    unknown = sorted({name for name in request.query_params if name not in accepted})
    if unknown:
        raise RequestValidationError([_unknown_error(name, accepted) for name in unknown])


def _unknown_error(name: str, accepted: tuple[str, ...]) -> dict[str, object]:
    close = difflib.get_close_matches(name, accepted, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    listed = ", ".join(accepted) if accepted else "none"
    message = f"is not a parameter of this route; {hint}it accepts: {listed}"
    return {"type": "unknown_parameter", "loc": ("query", name), "msg": message, "input": name}
