"""Conflicts: where sources disagree on a claim's figures, dates or status (keyset pages by id)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stancegraph.api.cursor import decode_after, encode
from stancegraph.api.deps import DEFAULT_PAGE, MAX_PAGE, StoreDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.graph.results import Conflict, ConflictKind, Page

router = APIRouter(prefix="/v1/conflicts", tags=["claims"])


@router.get("", summary="Disagreements among sources, by id", responses=WITH_404)
async def conflicts(
    store: StoreDep,
    entity: Annotated[
        str | None, Query(description="Conflicts on claims with this entity at either end.")
    ] = None,
    kind: Annotated[ConflictKind | None, Query(description="figures, dates or status.")] = None,
    source: Annotated[str | None, Query(description="Conflicts in which this source takes a side.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> Page[Conflict]:
    """Each disagreement with its positions: the value, and the evidence, sources, outlets,
    speakers and report dates behind it. Derived from the evidence, never written by hand."""
    after = decode_after(cursor)
    found = await in_thread(
        store.conflicts, entity=entity, kind=kind, source=source, limit=limit + 1, after=after
    )
    more = encode("a", found[limit - 1].id) if len(found) > limit else None
    return Page[Conflict](items=found[:limit], next_cursor=more)
