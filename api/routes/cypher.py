"""POST /v1/cypher: read-only Cypher against the Neo4j store, with a time and a row limit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from stancegraph.api.deps import CypherSlotsDep, SettingsDep, StoreDep, in_thread
from stancegraph.api.problems import STORE_CALL, responses
from stancegraph.graph.cypher_check import check_request
from stancegraph.graph.results import CypherResult

router = APIRouter(prefix="/v1", tags=["cypher"])

MAX_QUERY_CHARS = 20_000


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="One read-only statement.")
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name).")


EXAMPLE = {
    "query": "MATCH (a:Entity)-[r:SUPPORTS]->(b:Entity) WHERE r.sources >= $sources "
    "RETURN b.name_en AS supported, count(a) AS supporters ORDER BY supporters DESC LIMIT 5",
    "params": {"sources": 1},
}


@router.post(
    "/cypher",
    summary="Run a read-only Cypher query (Neo4j store only)",
    responses=responses(
        400,
        413,
        429,
        501,
        *STORE_CALL,
        meanings={
            400: "The query writes, changes the schema, reads files, calls a procedure outside the "
            "read-only list, nests too deep, needs more memory than allowed, or is not valid Cypher "
            "(the detail points into the query); or the request's Host is not served here.",
            422: "The body is not a query object, or a parameter the database cannot take "
            "(`parameter` names it).",
            429: "Every Cypher slot is taken; see Retry-After.",
            501: "The embedded store has no Cypher: serve the API with STANCEGRAPH_STORE=neo4j.",
            504: "The query ran past STANCEGRAPH_QUERY_TIMEOUT and was cancelled.",
        },
    ),
)
async def cypher(
    store: StoreDep,
    settings: SettingsDep,
    slots: CypherSlotsDep,
    request: Annotated[CypherRequest, Body(examples=[EXAMPLE])],
) -> CypherResult:
    """Runs in a READ transaction after the text check and EXPLAIN's plan confirm the query only
    reads: writes, schema and admin commands, `LOAD CSV`, `CALL {} IN TRANSACTIONS`, procedures
    outside a read-only list and queries nested too deep are refused with a 400. Results are
    capped at `STANCEGRAPH_CYPHER_ROW_LIMIT` rows and `STANCEGRAPH_CYPHER_MAX_BYTES` bytes
    (`truncated` says so); the answer comes within `STANCEGRAPH_QUERY_TIMEOUT` seconds (504
    otherwise). At most `STANCEGRAPH_CYPHER_CONCURRENCY` queries run at once (429 beyond)."""
    if store.kind == "neo4j":
        # Refused queries never take a slot (the store checks again: it is used without the API too).
        await in_thread(check_request, request.query, request.params)
    return await slots.run(
        settings.query_timeout,
        store.run_cypher,
        request.query,
        request.params,
        timeout=settings.query_timeout,
        row_limit=settings.cypher_row_limit,
    )
