"""Downloads: the whole graph as node-link JSON, GraphML or CSV files in a zip, and one entity's
neighbourhood as a self-contained interactive HTML page (what `stancegraph export` writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import anyio.to_thread
import orjson
from fastapi import APIRouter, Query, Response

from stancegraph.api.deps import StoreDep, TimeWindowDep, in_thread
from stancegraph.api.problems import STORE_CALL, responses
from stancegraph.graph import export, picks, visual
from stancegraph.graph.store import MAX_DEPTH, GraphStore
from stancegraph.graph.window import TimeWindow, restrict_seeds
from stancegraph.schema.errors import NotFoundError
from stancegraph.schema.models import SeedSet

router = APIRouter(prefix="/v1", tags=["export"])

ExportFormat = Literal["json", "graphml", "csv", "html"]
GraphFormat = Literal["json", "graphml", "csv"]


def _json(seeds: SeedSet) -> bytes:
    return orjson.dumps(export.to_node_link(seeds))


# Each whole-graph format: how it is rendered, its media type and the file name it is saved as.
FORMATS: dict[GraphFormat, tuple[Callable[[SeedSet], bytes], str, str]] = {
    "json": (_json, "application/json", "stancegraph.json"),
    "graphml": (export.to_graphml, "application/graphml+xml", "stancegraph.graphml"),
    "csv": (export.to_csv_zip, "application/zip", "stancegraph-csv.zip"),
}
HTML_MEDIA_TYPE = "text/html; charset=utf-8"
_BINARY = {"type": "string", "format": "binary"}
_CONTENT: dict[str, Any] = {
    "application/json": {"schema": {"type": "object"}},
    "application/graphml+xml": {"schema": {"type": "string"}},
    "application/zip": {"schema": _BINARY},
    "text/html": {"schema": {"type": "string"}},
}
_OK = {
    "description": "The file, as an attachment: stancegraph.json, stancegraph.graphml, "
    "stancegraph-csv.zip (a zip of nodes.csv and edges.csv, `application/zip`), or <entity>.html.",
    "content": _CONTENT,
    "headers": {
        "Content-Disposition": {
            "description": 'attachment; filename="…" with the extension of the format (.zip for csv).',
            "schema": {"type": "string"},
        },
        "ETag": {"description": "The graph snapshot's checksum.", "schema": {"type": "string"}},
    },
}


@router.get(
    "/export",
    summary="Download the whole graph, or one entity's neighbourhood as an HTML page",
    response_class=Response,
    responses=responses(404, *STORE_CALL, ok=_OK),
)
async def export_graph(
    store: StoreDep,
    window: TimeWindowDep,
    format: Annotated[
        ExportFormat,
        Query(
            description="json: node-link data; graphml; csv: a zip (application/zip) of nodes.csv and "
            "edges.csv; html: an interactive page of `entity`'s neighbourhood that works offline."
        ),
    ] = "json",
    entity: Annotated[
        str | None,
        Query(description="html: the entity at the centre (default: the entity most claims name)."),
    ] = None,
    depth: Annotated[int, Query(ge=0, le=MAX_DEPTH, description="html: hops from the entity.")] = 2,
) -> Response:
    if format == "html":
        centre, page = await in_thread(_html_page, store, entity, depth, window)
        return Response(
            content=page,
            media_type=HTML_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{centre}.html"'},
        )
    # The window is applied here, to the snapshot's claims, as graph.window defines it for every
    # answer (local work, like rendering).
    seeds = await anyio.to_thread.run_sync(restrict_seeds, await in_thread(store.snapshot), window)
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


def _html_page(store: GraphStore, entity: str | None, depth: int, window: TimeWindow) -> tuple[str, str]:
    """The centre's id and its self-contained view (vis-network inlined, as the CLI writes it)."""
    centre = entity or picks.central_entity(store)
    if centre is None:
        raise NotFoundError("entity", "(any: the graph is empty)", parameter="entity")
    try:
        centre = store.entity(centre).entity.id  # a 404 naming the parameter, before any drawing
    except NotFoundError:
        raise NotFoundError("entity", centre, parameter="entity") from None
    return centre, visual.render_view_html(store, centre, depth, window=window)
