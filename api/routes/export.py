"""Whole-graph downloads: node-link JSON, GraphML, or CSV files in a zip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import anyio.to_thread
import orjson
from fastapi import APIRouter, Query, Response

from stancegraph.api.deps import StoreDep, in_thread
from stancegraph.api.problems import COMMON
from stancegraph.graph import export
from stancegraph.schema.models import SeedSet

router = APIRouter(prefix="/v1", tags=["export"])

ExportFormat = Literal["json", "graphml", "csv"]


def _json(seeds: SeedSet) -> bytes:
    return orjson.dumps(export.to_node_link(seeds))


FORMATS: dict[ExportFormat, tuple[Callable[[SeedSet], bytes], str, str]] = {
    "json": (_json, "application/json", "stancegraph.json"),
    "graphml": (export.to_graphml, "application/graphml+xml", "stancegraph.graphml"),
    "csv": (export.to_csv_zip, "application/zip", "stancegraph-csv.zip"),
}
_CONTENT: dict[str, Any] = {media: {} for _, media, _ in FORMATS.values()}


@router.get(
    "/export",
    summary="Download the whole graph",
    response_class=Response,
    responses={200: {"content": _CONTENT, "description": "The file, as an attachment."}, **COMMON},
)
async def export_graph(
    store: StoreDep,
    format: Annotated[
        ExportFormat,
        Query(description="json: node-link data; graphml; csv: a zip of nodes.csv and edges.csv."),
    ] = "json",
) -> Response:
    seeds = await in_thread(store.snapshot)
    render, media_type, filename = FORMATS[format]
    # Rendering is local work, not the store's: it keeps no deadline (a large graph takes a while).
    content = await anyio.to_thread.run_sync(render, seeds)
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "ETag": f'"{export.snapshot_checksum(seeds)}"',
        },
    )
