"""Entities: search and listing, one entity, its supporters and opponents, its neighbourhood."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stancegraph.api.cursor import decode_after, decode_offset, encode
from stancegraph.api.deps import MAX_PAGE, SourceCountsDep, StoreDep, TimeWindowDep, in_thread
from stancegraph.api.problems import COMMON, WITH_404
from stancegraph.graph.results import EntityDetail, EntityHit, EntityRef, History, NodeLink, Page, Stance
from stancegraph.graph.store import MAX_DEPTH, MAX_LIMIT

router = APIRouter(prefix="/v1/entities", tags=["entities"])

EntityId = Annotated[str, Path(description="Entity id.")]


@router.get("", summary="Search or list entities", responses=COMMON)
async def list_entities(
    store: StoreDep,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Name or alias to search for, in any language, ignoring case, width, spaces and "
            "dots. Matches rank exact > prefix > substring > words (every word of a query of several, "
            "in any order) > fuzzy (within 1 edit for 3 to 5 characters, 2 edits from 6; Chinese, "
            "Japanese or Korean: none below 4 characters, then 1). Without it, entities are listed by id.",
        ),
    ] = None,
    kind: Annotated[str | None, Query(description="Only entities of this kind.", examples=["person"])] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> Page[EntityHit] | Page[EntityRef]:
    """With `q`: ranked hits, each with the name or alias that matched. Without: entities by id."""
    if q is not None:
        offset = decode_offset(cursor)
        hits = await in_thread(store.search, q, kind=kind, limit=limit + 1, offset=offset)
        more = encode("o", offset + limit) if len(hits) > limit else None
        return Page[EntityHit](items=hits[:limit], next_cursor=more)
    after = decode_after(cursor)
    refs = await in_thread(store.list_entities, kind=kind, limit=limit + 1, after=after)
    more = encode("a", refs[limit - 1].id) if len(refs) > limit else None
    return Page[EntityRef](items=refs[:limit], next_cursor=more)


@router.get("/{entity_id}", summary="One entity with its claim counts", responses=WITH_404)
async def entity(store: StoreDep, entity_id: EntityId) -> EntityDetail:
    return await in_thread(store.entity, entity_id)


@router.get("/{entity_id}/supporters", summary="Who supports the entity", responses=WITH_404)
async def supporters(
    store: StoreDep, entity_id: EntityId, counts: SourceCountsDep, window: TimeWindowDep
) -> list[Stance]:
    """Each supporter with the claims that say so and all their evidence, ordered by supporter id."""
    return await in_thread(store.supporters, entity_id, counts, window)


@router.get("/{entity_id}/opponents", summary="Who opposes the entity", responses=WITH_404)
async def opponents(
    store: StoreDep, entity_id: EntityId, counts: SourceCountsDep, window: TimeWindowDep
) -> list[Stance]:
    """Each opponent with the claims that say so and all their evidence, ordered by opponent id."""
    return await in_thread(store.opponents, entity_id, counts, window)


@router.get(
    "/{entity_id}/history", summary="The entity's stance toward another over time", responses=WITH_404
)
async def history(
    store: StoreDep,
    entity_id: EntityId,
    toward: Annotated[
        str, Query(description="The target: an entity or an issue.", examples=["any-lawful-use"])
    ],
    counts: SourceCountsDep,
    window: TimeWindowDep,
) -> History:
    """Steps in date order, each a run of claims of one sign with its claims and evidence (a step
    ends when a claim of the other sign takes over, or its claims end); the neutral relations
    (contracts, talks) beside them. See docs/time.md."""
    return await in_thread(store.history, entity_id, toward, counts, window)


@router.get(
    "/{entity_id}/neighborhood", summary="The entity's surroundings as node-link data", responses=WITH_404
)
async def neighborhood(
    store: StoreDep,
    entity_id: EntityId,
    window: TimeWindowDep,
    depth: Annotated[int, Query(ge=0, le=MAX_DEPTH, description="Hops from the entity.")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most nodes returned.")] = 200,
) -> NodeLink:
    return await in_thread(store.neighborhood, entity_id, depth=depth, limit=limit, window=window)
