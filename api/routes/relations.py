"""How entities connect: claims between two, shortest paths, and the timeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from stancegraph.api.deps import SourceCountsDep, StoreDep, TimeWindowDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.graph.results import ClaimView, PathView, Switch
from stancegraph.graph.store import MAX_HOPS, MAX_LIMIT
from stancegraph.graph.window import TimeWindow

router = APIRouter(prefix="/v1", tags=["relations"])


@router.get(
    "/between",
    summary="Every claim between two entities, both directions",
    responses=WITH_404,
)
async def between(
    store: StoreDep,
    a: Annotated[str, Query(description="An entity id.")],
    b: Annotated[str, Query(description="Another entity id.")],
    counts: SourceCountsDep,
    window: TimeWindowDep,
) -> list[ClaimView]:
    return await in_thread(store.between, a, b, counts, window)


@router.get("/paths", summary="Shortest chains of claims between two entities", responses=WITH_404)
async def paths(
    store: StoreDep,
    start: Annotated[str, Query(alias="from", description="Entity id to start at.")],
    end: Annotated[str, Query(alias="to", description="Entity id to reach.")],
    window: TimeWindowDep,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 3,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> list[PathView]:
    """Direction is ignored; `hops[i]` holds every claim between nodes i and i+1."""
    return await in_thread(store.paths, start, end, max_hops=max_hops, limit=limit, window=window)


@router.get("/timeline", summary="Claims by when they started to hold, undated last", responses=WITH_404)
async def timeline(
    store: StoreDep,
    window: TimeWindowDep,
    entity: Annotated[str | None, Query(description="Only claims involving this entity.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
) -> list[ClaimView]:
    """Ordered by the last day a claim's start may denote, then the first: "2026-02" (by the end
    of February) comes after 2026-02-19."""
    return await in_thread(store.timeline, entity, limit=limit, window=window)


@router.get("/switches", summary="Who switched sides: stances that changed sign", responses=WITH_404)
async def switches(
    store: StoreDep,
    counts: SourceCountsDep,
    entity: Annotated[
        str | None, Query(description="Only switches with this entity as the actor or the target.")
    ] = None,
    known_by: Annotated[
        date | None,
        Query(
            description="Who had switched as the sources published by this day tell it (known time). "
            "There is no as_of: the two sides of a switch never hold on the same day; use since and until."
        ),
    ] = None,
    since: Annotated[date | None, Query(description="Switches that may fall on or after it.")] = None,
    until: Annotated[date | None, Query(description="Switches that may fall on or before it.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> list[Switch]:
    """Every actor whose stance toward a target or an issue changed sign, with the claims on both
    sides and their dates, ordered by (date, actor, target). `min_sources` keeps only claims with
    that many sources on each side."""
    return await in_thread(
        store.switches,
        entity=entity,
        since=since,
        until=until,
        counts=counts,
        window=TimeWindow(known_by=known_by),
        limit=limit,
    )
