"""Sources: the captured texts that evidence quotes, with their metadata."""

from __future__ import annotations

import hashlib
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Path, Response

from stancegraph.api.deps import SettingsDep, StoreDep, in_thread
from stancegraph.api.problems import UNAVAILABLE, WITH_404
from stancegraph.graph.results import SourceView
from stancegraph.schema.errors import NotFoundError

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
async def source_text(store: StoreDep, settings: SettingsDep, source_id: SourceId) -> Response:
    """`text[start:end]` (code points) of this text is each evidence quote, verbatim."""
    record = (await in_thread(store.source, source_id)).source
    root = (settings.seeds if settings.seeds.is_dir() else settings.seeds.parent).resolve()
    path = (root / record.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFoundError("source text", source_id)
    raw = await anyio.to_thread.run_sync(path.read_bytes)
    if hashlib.sha256(raw).hexdigest() != record.sha256:
        raise RuntimeError(f"{path} does not match the sha256 recorded for source {source_id!r}")
    text = raw.decode("utf-8").removeprefix("\ufeff")  # as the validator reads it
    return Response(content=text, media_type="text/plain; charset=utf-8")
