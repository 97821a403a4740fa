"""Claims: filtered listing (keyset pages by claim id) and one claim."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from stancegraph.api.cursor import decode_after, encode
from stancegraph.api.deps import DEFAULT_PAGE, MAX_PAGE, SourceCountsDep, StoreDep, TimeWindowDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.graph.results import ClaimDetail, ClaimFilter, ClaimView, ConflictKind, Page
from stancegraph.schema.models import Certainty

router = APIRouter(prefix="/v1/claims", tags=["claims"])


@router.get("", summary="Claims, filtered, by id", responses=WITH_404)
async def claims(
    store: StoreDep,
    counts: SourceCountsDep,
    window: TimeWindowDep,
    subject: Annotated[str | None, Query(description="Subject entity id.")] = None,
    object: Annotated[str | None, Query(description="Object entity id.")] = None,
    predicate: Annotated[str | None, Query(description="Predicate id.", examples=["supports"])] = None,
    polarity: Annotated[
        int | None, Query(ge=-1, le=1, description="1 support, -1 opposition, 0 neutral.")
    ] = None,
    since: Annotated[date | None, Query(description="Claims whose date may fall on or after it.")] = None,
    until: Annotated[date | None, Query(description="Claims whose date may fall on or before it.")] = None,
    source: Annotated[str | None, Query(description="Only claims with evidence from this source.")] = None,
    certainty: Annotated[Certainty | None, Query(description="The claim's strongest certainty.")] = None,
    entity: Annotated[str | None, Query(description="Claims with this entity at either end.")] = None,
    conflicted: Annotated[
        ConflictKind | Literal["any"] | None,
        Query(description="Claims whose sources disagree: on figures, dates, status, or any."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> Page[ClaimView]:
    """Every claim with its endpoints and all its evidence. An unknown subject, object or source is a 404."""
    flt = ClaimFilter.model_validate(
        {
            "subject": subject,
            "object": object,
            "predicate": predicate,
            "polarity": polarity,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "source": source,
            "certainty": certainty,
            "entity": entity,
            "conflicted": conflicted,
            **counts.model_dump(),
            **window.model_dump(),
        }
    )
    after = decode_after(cursor)
    found = await in_thread(store.claims, flt, limit=limit + 1, after=after)
    more = encode("a", found[limit - 1].id) if len(found) > limit else None
    return Page[ClaimView](items=found[:limit], next_cursor=more)


@router.get(
    "/{claim_id}",
    summary="One claim with all its evidence and where its sources disagree",
    responses=WITH_404,
)
async def claim(
    store: StoreDep,
    claim_id: Annotated[str, Path(description="Claim id.")],
) -> ClaimDetail:
    return await in_thread(store.claim_detail, claim_id)
