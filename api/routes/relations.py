"""How entities connect: claims between two, shortest paths, and the timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stancegraph.api.deps import SourceCountsDep, StoreDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.graph.results import ClaimView, PathView
from stancegraph.graph.store import MAX_HOPS, MAX_LIMIT

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
) -> list[ClaimView]:
    return await in_thread(store.between, a, b, counts)


@router.get("/paths", summary="Shortest chains of claims between two entities", responses=WITH_404)
async def paths(
    store: StoreDep,
    start: Annotated[str, Query(alias="from", description="Entity id to start at.")],
    end: Annotated[str, Query(alias="to", description="Entity id to reach.")],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 3,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> list[PathView]:
    """Direction is ignored; `hops[i]` holds every claim between nodes i and i+1."""
    return await in_thread(store.paths, start, end, max_hops=max_hops, limit=limit)


@router.get("/timeline", summary="Claims by date, undated last", responses=WITH_404)
async def timeline(
    store: StoreDep,
    entity: Annotated[str | None, Query(description="Only claims involving this entity.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
) -> list[ClaimView]:
    return await in_thread(store.timeline, entity, limit=limit)
