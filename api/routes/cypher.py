"""POST /v1/cypher: read-only Cypher against the Neo4j store, with a time and a row limit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from stancegraph.api.deps import SettingsDep, StoreDep, in_thread
from stancegraph.graph.cypher import CypherResult

router = APIRouter(prefix="/v1", tags=["cypher"])

MAX_QUERY_CHARS = 20_000


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="One read-only statement.")
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name).")


EXAMPLE = {
    "query": "MATCH (a:Entity)-[r:SUPPORTS]->(b:Entity {id: $id}) "
    "RETURN a.name_en AS supporter, r.date AS date",
    "params": {"id": "anthropic"},
}


@router.post(
    "/cypher",
    summary="Run a read-only Cypher query (Neo4j store only)",
    responses={
        400: {"description": "The query writes, changes the schema, or is not valid Cypher."},
        501: {"description": "The embedded store has no Cypher."},
        504: {"description": "The query ran past the time limit and was cancelled."},
    },
)
async def cypher(
    store: StoreDep,
    settings: SettingsDep,
    request: Annotated[CypherRequest, Body(examples=[EXAMPLE])],
) -> CypherResult:
    """Runs in a READ transaction after EXPLAIN confirms the query only reads; writes, schema and
    admin commands, `LOAD CSV` and `CALL {} IN TRANSACTIONS` are refused with a 400. Results are
    capped at `STANCEGRAPH_CYPHER_ROW_LIMIT` rows (`truncated` says so) and cancelled after
    `STANCEGRAPH_QUERY_TIMEOUT` seconds."""
    return await in_thread(
        store.run_cypher,
        request.query,
        request.params,
        timeout=settings.query_timeout,
        row_limit=settings.cypher_row_limit,
    )
