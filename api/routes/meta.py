"""Service endpoints: the index, health and the vocabulary."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from stancegraph import __version__
from stancegraph.api.deps import SettingsDep, StoreDep, get_store, in_thread
from stancegraph.api.problems import RETRY_AFTER_SECONDS, UNAVAILABLE, responses
from stancegraph.graph.results import Stats
from stancegraph.schema.errors import StoreUnavailableError
from stancegraph.schema.vocabulary import Vocabulary

router = APIRouter(tags=["service"])


class Index(BaseModel):
    name: str = Field(examples=["stancegraph"])
    version: str = Field(examples=[__version__])
    docs: str = Field(description="Interactive API documentation.", examples=["/docs"])
    openapi: str = Field(examples=["/openapi.json"])
    links: dict[str, str] = Field(description="Entry points of the API.")


# Health is a probe monitors call often, so it must stay cheap under load: the store is asked
# whether it answers every time, and the counts (a scan of the graph) are taken again only when
# older than this.
STATS_TTL = 5.0


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="degraded: the store cannot answer right now.")
    store: str = Field(description="The store kind: memory or neo4j.", examples=["memory"])
    version: str = Field(examples=[__version__])
    counts: Stats | None = Field(
        description=f"What the graph holds (counted at most {STATS_TTL:g} s ago); null when degraded."
    )


@dataclass
class _Counted:
    stats: Stats | None = None
    at: float = -math.inf


LINKS = {
    "health": "/v1/health",
    "entities": "/v1/entities",
    "claims": "/v1/claims",
    "between": "/v1/between",
    "paths": "/v1/paths",
    "timeline": "/v1/timeline",
    "sources": "/v1/sources",
    "export": "/v1/export",
    "vocabulary": "/v1/vocabulary",
}


@router.get("/", summary="Links to the API's entry points", responses=responses())
async def index() -> Index:
    return Index(name="stancegraph", version=__version__, docs="/docs", openapi="/openapi.json", links=LINKS)


@router.get(
    "/v1/health",
    summary="Is the store answering, and what does it hold",
    # Degraded health is an answer (JSON, as the 200), not a problem.
    responses={
        **responses(),
        503: {"model": Health, "description": "The store is unreachable (see Retry-After)."},
    },
)
async def health(request: Request, response: Response, settings: SettingsDep) -> Health:
    counted = getattr(request.app.state, "health_counts", None)
    if not isinstance(counted, _Counted):
        counted = request.app.state.health_counts = _Counted()
    try:
        store = await get_store(request)
        now = time.monotonic()
        if counted.stats is None or now - counted.at >= STATS_TTL:
            counted.stats, counted.at = await in_thread(store.stats), now
        else:
            await in_thread(store.ping)
        return Health(status="ok", store=store.kind, version=__version__, counts=counted.stats)
    except StoreUnavailableError:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Health(status="degraded", store=settings.store, version=__version__, counts=None)


@router.get("/v1/vocabulary", summary="Entity kinds and predicates", responses=UNAVAILABLE)
async def vocabulary(store: StoreDep) -> Vocabulary:
    """Every entity kind and predicate (with polarity, allowed kinds and definition)."""
    return store.vocabulary
