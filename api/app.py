"""The FastAPI application: one store per app, opened in the lifespan, and the route modules."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
import uvicorn
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from stancegraph import __version__
from stancegraph.api import examples, problems
from stancegraph.api.deps import reject_unknown_query
from stancegraph.api.limits import (
    AdmissionLimit,
    BodySizeLimit,
    CatchAll,
    CypherSlots,
    RequestDeadline,
    TrustedHosts,
    guarded_http,
)
from stancegraph.api.routes import routers
from stancegraph.graph.store import GraphStore
from stancegraph.open import Availability, open_store, unreachable_hint
from stancegraph.settings import Settings

DESCRIPTION = """\
Who stands where in news coverage: entities, the claims between them, and for every claim the
quotes that support it, located by code point offsets in the captured source texts.

* Errors are RFC 9457 `application/problem+json`; a bad or unknown parameter is a 422 naming it.
* Paged listings return `next_cursor`; pass it back as `cursor` until it is null.
"""


# Cypher requests in the works (parsed, checked, waiting for or holding a slot) per Cypher slot.
CYPHER_ADMISSION = 4


class StanceGraphAPI(FastAPI):
    def openapi(self) -> dict[str, Any]:
        filled = self.openapi_schema is not None
        schema = super().openapi()
        if "Problem" not in schema.get("components", {}).get("schemas", {}):
            problems.add_problem_schemas(schema)
        if not filled:
            store = getattr(self.state, "store", None)
            # Examples come from the graph served; without one (yet), build the document again
            # next time rather than keep it without them.
            if store is None or not examples.fill(schema, store):
                self.openapi_schema = None
        return schema


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over `store`, or over the store `settings` names (opened at startup, closed at shutdown)."""
    config = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            yield  # the caller owns the store
            return
        opened = await anyio.to_thread.run_sync(open_store, config)
        app.state.store = opened
        app.state.availability = availability = Availability(opened, unreachable_hint(config))
        if not await anyio.to_thread.run_sync(availability.probe):
            # Said once at startup, not discovered by the first user after a 3 s wait.
            logging.getLogger("uvicorn.error").warning("%s; requests get 503 until it is", availability.hint)
        settle()
        try:
            yield
        finally:
            app.state.store = app.state.availability = None
            gc.unfreeze()
            await anyio.to_thread.run_sync(opened.close)

    app = StanceGraphAPI(
        title="stancegraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served from vendored assets by routes/docs.py
        redoc_url=None,
        dependencies=[Depends(reject_unknown_query)],
    )
    app.state.settings = config
    app.state.store = store
    app.state.cypher_slots = CypherSlots(config.cypher_concurrency)
    problems.install(app)
    # Added innermost first: a request meets CatchAll, TrustedHosts, CORS, the Cypher admission
    # limit, the body limit, then the deadline its store calls keep.
    app.add_middleware(RequestDeadline, seconds=config.query_timeout)
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(AdmissionLimit, path="/v1/cypher", limit=CYPHER_ADMISSION * config.cypher_concurrency)
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=config.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            expose_headers=["Content-Disposition", "ETag", "Retry-After"],
        )
    app.add_middleware(TrustedHosts, allowed=config.trusted_hosts())
    app.add_middleware(CatchAll)
    for router in routers():
        app.include_router(router)
    return app


def settle() -> None:
    """Take what is alive once the server has started (modules, routes, schemas, the store) out
    of the garbage collector's sight. A full collection otherwise walks all of it (~30 ms of CPU
    with the Neo4j store, more with a large embedded graph) inside some request: the p99."""
    gc.collect()
    gc.freeze()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the API: the guarded HTTP protocol and the header and keep-alive
    limits (`serve` and the tests' servers, stancegraph.launch, share them)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "http": guarded_http(settings.max_header_bytes, settings.client_timeout),
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": 5,
    }


def serve(settings: Settings | None = None) -> None:
    """Run the API with uvicorn on settings.host:settings.port until interrupted."""
    config = settings or Settings()
    uvicorn.run(create_app(config), **uvicorn_options(config))
