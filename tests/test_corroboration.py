"""Corroboration: distinct sources, independent origins through `based_on`, first and last
reported; the same on both stores, and the source-count filters of /v1/claims."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stancegraph.api.app import create_app
from stancegraph.graph.corroboration import Corroboration, corroboration, origin
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter, SourceCounts
from stancegraph.graph.store import GraphStore
from stancegraph.schema.models import SeedSet
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import Settings
from tests.conftest import SOURCE_ID, SOURCE_YAML, make_source, only_the_seed_article
from tests.test_validation import OTHER_QUOTE, claim_block

SOURCES = {
    s.id: s
    for s in (
        make_source("wire", "2026-02-28T10:00:00+00:00"),
        make_source("rewrite", "2026-03", based_on="wire"),
        make_source("rewrite-of-rewrite", "2026-03-01", based_on="rewrite"),
        make_source("cites-cbs", "unknown", based_on="cbs-news"),
        make_source("also-cites-cbs", "2026-03-02", based_on="cbs-news"),
        make_source("own-report", "2026-02-27"),
    )
}


def test_origins_follow_based_on() -> None:
    assert origin("rewrite-of-rewrite", SOURCES) == "wire"
    assert origin("wire", SOURCES) == "wire"
    assert origin("cites-cbs", SOURCES) == "outlet:cbs-news"


def test_rewrites_count_once_and_reports_are_dated_by_interval() -> None:
    assert corroboration(["wire", "rewrite", "rewrite-of-rewrite", "wire"], SOURCES) == Corroboration(
        sources=3,
        independent=1,
        first_reported="2026-02-28T10:00:00+00:00",
        last_reported="2026-03",
        outlets=["some-outlet"],
    )
    assert corroboration(SOURCES, SOURCES) == Corroboration(
        sources=6,
        independent=3,
        first_reported="2026-02-27",
        last_reported="2026-03",
        outlets=["some-outlet"],
    )
    assert corroboration(["cites-cbs"], SOURCES) == Corroboration(1, 1, None, None, ["some-outlet"])


SECOND_SOURCE = "second-capture"


@pytest.fixture
def two_sources(seeds_copy: Path, source_text: str) -> SeedSet:
    """The shipped seeds, a second source that rewrites the first, and a claim written beside
    each of them (one claim with evidence from both)."""
    only_the_seed_article(seeds_copy)
    sources = (seeds_copy / SOURCE_YAML).read_text(encoding="utf-8")
    block = sources.split("sources:\n", 1)[1].split("    chrome:", 1)[0]
    second = block.replace(f"id: {SOURCE_ID}", f"id: {SECOND_SOURCE}").replace(
        "published: 2026-02-28T15:30:00+08:00", f"published: 2026-03-01\n    based_on: {SOURCE_ID}"
    )
    claims = claim_block(source_text, quote=OTHER_QUOTE)
    claims = claims.replace(f"source: {SOURCE_ID}", f"source: {SECOND_SOURCE}")
    (seeds_copy / "second.yaml").write_text("sources:\n" + second + claims, encoding="utf-8")
    (seeds_copy / "first.yaml").write_text(claim_block(source_text), encoding="utf-8")
    return validate_seeds(seeds_copy)


CLAIM = "openai.opposes.anthropic"


def _both(two_sources: SeedSet, neo4j_scratch: Any) -> list[GraphStore]:
    from stancegraph.graph.loader import load
    from stancegraph.graph.neo4j_store import Neo4jStore

    load(neo4j_scratch, two_sources)
    return [MemoryStore(two_sources), Neo4jStore(neo4j_scratch)]


@pytest.mark.neo4j
def test_two_sources_on_both_stores(two_sources: SeedSet, neo4j_scratch: Any) -> None:
    answers = []
    for store in _both(two_sources, neo4j_scratch):
        claim = store.claim(CLAIM)
        assert (claim.sources, claim.independent) == (2, 1), store.kind  # the second rewrites the first
        assert (claim.first_reported, claim.last_reported) == ("2026-02-28T15:30:00+08:00", "2026-03-01")
        several = store.claims(ClaimFilter(min_sources=2), limit=100)
        single = store.claims(ClaimFilter(max_sources=1), limit=1000)
        assert [c.id for c in several] == [CLAIM]
        assert CLAIM not in {c.id for c in single} and all(c.sources == 1 for c in single)
        answers.append((claim, several, single))
    assert answers[0] == answers[1]


def test_source_count_filters_over_http(two_sources: SeedSet) -> None:
    with TestClient(create_app(Settings(), store=MemoryStore(two_sources))) as client:
        several = client.get("/v1/claims", params={"min_sources": 2}).json()["items"]
        assert [c["id"] for c in several] == [CLAIM]
        assert several[0]["sources"] == 2 and several[0]["independent"] == 1
        single = client.get("/v1/claims", params={"max_sources": 1, "limit": 500}).json()["items"]
        assert single and all(c["sources"] == 1 for c in single)
        refused = client.get("/v1/claims", params={"min_sources": 0})
        assert refused.status_code == 422 and refused.json()["parameter"] == "min_sources"


@pytest.mark.neo4j
def test_stances_and_between_take_the_source_counts(two_sources: SeedSet, neo4j_scratch: Any) -> None:
    several = SourceCounts(min_sources=2)
    answers = []
    for store in _both(two_sources, neo4j_scratch):
        opponents = store.opponents("anthropic", several)
        assert [(s.entity.id, [c.id for c in s.claims]) for s in opponents] == [("openai", [CLAIM])]
        assert [c.id for c in store.between("openai", "anthropic", several)] == [CLAIM]
        single = store.between("openai", "anthropic", SourceCounts(max_sources=1))
        assert CLAIM not in {c.id for c in single}
        everyone = store.opponents("anthropic")
        assert {s.entity.id for s in store.opponents("anthropic", SourceCounts(max_sources=1))} <= {
            s.entity.id for s in everyone
        }
        answers.append((opponents, single, everyone))
    assert answers[0] == answers[1]


def test_stance_and_between_filters_over_http(two_sources: SeedSet) -> None:
    with TestClient(create_app(Settings(), store=MemoryStore(two_sources))) as client:
        opponents = client.get("/v1/entities/anthropic/opponents", params={"min_sources": 2}).json()
        assert [(o["entity"]["id"], [c["id"] for c in o["claims"]]) for o in opponents] == [
            ("openai", [CLAIM])
        ]
        between = client.get("/v1/between", params={"a": "openai", "b": "anthropic", "min_sources": 2}).json()
        assert [c["id"] for c in between] == [CLAIM]
        supporters = client.get("/v1/entities/anthropic/supporters", params={"min_sources": 2}).json()
        assert supporters == []
        refused = client.get("/v1/between", params={"a": "openai", "b": "anthropic", "max_sources": 0})
        assert refused.status_code == 422 and refused.json()["parameter"] == "max_sources"
