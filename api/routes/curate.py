"""The curation page of a source: its text with mentions, cited spans and uncited sentences."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from stancegraph.api.deps import StoreDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.curation.coverage import coverage_of
from stancegraph.curation.mentions import MentionIndex
from stancegraph.curation.page import render_page
from stancegraph.curation.suggest import RuleSuggester
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import NotFoundError

router = APIRouter(tags=["curation"])


@router.get(
    "/curate/{source}",
    summary="A source's text marked for curation: mentions, cited spans, sentences no claim cites",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **WITH_404},
)
async def curate(store: StoreDep, source: Annotated[str, Path(description="Source id.")]) -> HTMLResponse:
    """A self-contained page (no script, nothing fetched): what `stancegraph coverage` lists,
    in place in the text, with what `stancegraph suggest` would propose. It shows the graph the
    server serves: restart it (or `load`) after an `accept` to see the new claims."""
    page = await in_thread(_page, store, source)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


def _page(store: GraphStore, source: str) -> str:
    try:
        store.source(source)  # a cheap 404 before the snapshot
    except NotFoundError as exc:
        raise NotFoundError("source", source, "source", exc.candidates) from None
    seeds = store.snapshot()
    index = MentionIndex(seeds.entities)
    found = coverage_of(seeds, source, index)
    return render_page(found, _suggester().suggest(found.source, found.text, seeds, index))


@cache
def _suggester() -> RuleSuggester:
    """One per process: its rules and vocabulary are read once."""
    return RuleSuggester()
