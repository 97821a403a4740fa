"""Neo4j Browser support: the graph style sheet and the guide, fetchable from Browser's origin.

Browser fetches `:style <url>` and `:play <url>` with `fetch()`; the guide request carries `pragma`
and `cache-control` headers, so it is preflighted. These routes answer the preflight themselves and
allow only Browser's origins: http://localhost:<port> and http://127.0.0.1:<port> for the Neo4j HTTP
port in the settings, plus STANCEGRAPH_BROWSER_ORIGINS.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from stancegraph.api.deps import SettingsDep, StoreDep, in_thread
from stancegraph.api.problems import STORE_CALL, problem_response, responses
from stancegraph.graph import visual
from stancegraph.settings import Settings

router = APIRouter(prefix="/browser", tags=["visualization"])

# Browser sends these; its Sentry instrumentation adds the last two. Other requested headers are
# echoed too (the routes are read-only and public; only the origin is checked).
BROWSER_HEADERS = ("pragma", "cache-control", "sentry-trace", "baggage")
PREFLIGHT_MAX_AGE = 600


def allowed_origins(settings: Settings) -> set[str]:
    """Neo4j Browser's origins for the configured HTTP port, plus the configured extra ones."""
    port = settings.neo4j_http_port
    return {f"http://localhost:{port}", f"http://127.0.0.1:{port}", *settings.browser_origins}


def _cors(response: Response, origin: str | None, settings: Settings) -> Response:
    response.headers["Vary"] = "Origin"
    if origin and origin in allowed_origins(settings):
        response.headers["Access-Control-Allow-Origin"] = origin
    return response


OriginHeader = Annotated[str | None, Header(include_in_schema=False)]


@router.get(
    "/style.grass",
    summary="Neo4j Browser graph style (GraSS)",
    response_class=Response,
    responses=responses(
        ok={"description": "The style sheet.", "content": {"text/plain": {"schema": {"type": "string"}}}}
    ),
)
def style(settings: SettingsDep, origin: OriginHeader = None) -> Response:
    """Colours by entity kind, relationships by polarity. In Browser: `:style <this url>`."""
    response = Response(
        content=visual.committed_grass(),
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
    return _cors(response, origin, settings)


@router.get(
    "/guide",
    summary="Neo4j Browser guide",
    response_class=Response,
    responses=responses(
        *STORE_CALL,
        ok={"description": "The guide.", "content": {"text/html": {"schema": {"type": "string"}}}},
    ),
)
async def guide(store: StoreDep, settings: SettingsDep, origin: OriginHeader = None) -> Response:
    """Slides with click-to-run Cypher: supporters, opponents, contracts... In Browser: `:play <url>`."""
    response = Response(
        content=await in_thread(visual.guide_html, store),
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
    return _cors(response, origin, settings)


@router.options("/{path:path}", include_in_schema=False)
def preflight(
    request: Request,
    settings: SettingsDep,
    path: str,
    origin: OriginHeader = None,
    access_control_request_headers: OriginHeader = None,
) -> Response:
    """CORS preflight, answered for Neo4j Browser's origins only."""
    if not origin or origin not in allowed_origins(settings):
        return problem_response(request, 403, f"origin {origin!r} may not fetch /browser/{path}")
    requested = [h.strip().lower() for h in (access_control_request_headers or "").split(",") if h.strip()]
    allow = list(dict.fromkeys([*BROWSER_HEADERS, *requested]))
    response = Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Methods": "GET, OPTIONS",
            "Access-Control-Allow-Headers": ", ".join(allow),
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
        },
    )
    return _cors(response, origin, settings)
