"""The embedded graph view: an interactive page of an entity's neighbourhood, no Neo4j needed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from stancegraph.api.deps import StoreDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.graph import picks, visual
from stancegraph.graph.store import MAX_DEPTH, MAX_LIMIT, GraphStore
from stancegraph.graph.window import TimeWindow
from stancegraph.schema.errors import NotFoundError
from stancegraph.schema.models import LanguageTag

router = APIRouter(tags=["visualization"])

SCRIPT_PATH = "/view/vis-network.min.js"
TIMELINE_SCRIPT_PATH = "/view/vis-timeline-graph2d.min.js"


@router.get(
    "/view",
    summary="Interactive graph of an entity's neighbourhood",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **WITH_404},
)
async def view(
    request: Request,
    store: StoreDep,
    entity: Annotated[
        str | None,
        Query(
            description="Entity id at the centre (default: the entity most claims name).",
        ),
    ] = None,
    depth: Annotated[int, Query(ge=0, le=MAX_DEPTH, description="Hops from the entity.")] = 2,
    lang: Annotated[
        LanguageTag | None,
        Query(
            description="The labels' language, e.g. zh or zh-Hant (default: the browser's); an "
            "entity without a name in it keeps its English one.",
        ),
    ] = None,
    as_of: Annotated[
        date | None,
        Query(description="Draw the graph as it stood on this day (valid time), e.g. 2026-03-01."),
    ] = None,
    known_by: Annotated[
        date | None,
        Query(description="Only what sources published by this day said (known time)."),
    ] = None,
    colour: Annotated[
        visual.ColourMode,
        Query(
            description="Colour the entities by kind, or the actors by camp (the two camps of "
            "/v1/coalitions in the same window, ties that cut across them marked).",
        ),
    ] = "kind",
) -> HTMLResponse:
    """Pan, zoom and drag; hover or click an arrow for the claim, its quotes, speakers and source;
    move the time control to see the graph as of a day; the timeline lists the entity's claims."""
    root = request.scope.get("root_path", "")
    window = TimeWindow(as_of=as_of, known_by=known_by)
    page = await in_thread(_page, store, entity, depth, root, lang, window, colour)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


def _page(
    store: GraphStore,
    entity: str | None,
    depth: int,
    root: str,
    lang: str | None,
    window: TimeWindow,
    colour: visual.ColourMode,
) -> str:
    refs = store.list_entities(limit=MAX_LIMIT)
    ids = {ref.id for ref in refs}
    if entity is None:
        entity = picks.central_entity(store)
        if entity is None:
            raise NotFoundError("entity", "(any: the graph is empty)", parameter="entity")
    elif entity not in ids:  # past the first MAX_LIMIT ids, a name, or unknown
        entity = store.resolve(entity, "entity")
    entities = sorted(((ref.id, ref.name_en) for ref in refs), key=lambda pair: pair[1].casefold())
    return visual.render_view_html(
        store,
        entity,
        depth,
        script_url=root + SCRIPT_PATH,
        timeline_url=root + TIMELINE_SCRIPT_PATH,
        entities=entities,
        lang=lang,
        window=window,
        colour=colour,
    )


@router.get(SCRIPT_PATH, include_in_schema=False)
def vis_network_script() -> Response:
    """The vendored vis-network build (Apache-2.0 OR MIT), see graph/static/vis-network.LICENSE."""
    return Response(
        content=visual.vis_network_js(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get(TIMELINE_SCRIPT_PATH, include_in_schema=False)
def vis_timeline_script() -> Response:
    """The vendored vis-timeline build (Apache-2.0 OR MIT), see graph/static/vis-timeline.LICENSE."""
    return Response(
        content=visual.vis_timeline_js(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )
