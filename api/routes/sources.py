"""Sources: the captured texts that evidence quotes, with their metadata."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from stancegraph.api.deps import StoreDep, in_thread
from stancegraph.api.problems import UNAVAILABLE, WITH_404
from stancegraph.graph.results import SourceView

router = APIRouter(prefix="/v1/sources", tags=["sources"])

SourceId = Annotated[str, Path(description="Source id.")]


@router.get("", summary="Every source with its claim and evidence counts", responses=UNAVAILABLE)
async def sources(store: StoreDep) -> list[SourceView]:
    return await in_thread(store.sources)


@router.get("/{source_id}", summary="One source", responses=WITH_404)
async def source(store: StoreDep, source_id: SourceId) -> SourceView:
    return await in_thread(store.source, source_id)


@router.get(
    "/{source_id}/text",
    summary="The captured text that evidence offsets count code points of",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}, **WITH_404},
)
async def source_text(store: StoreDep, source_id: SourceId) -> Response:
    """`text[start:end]` (code points) of this text is each evidence quote, verbatim. The store
    keeps the texts (from the validated seeds), so no seed files are read here."""
    text = await in_thread(store.source_text, source_id)
    return Response(content=text, media_type="text/plain; charset=utf-8")
