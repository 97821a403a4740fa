"""Every cookbook query runs on the loaded seed graph and gives the expected answer; the docs
page is generated from the same file; POST /v1/cypher is read-only over real HTTP semantics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from stancegraph.api.app import create_app
from stancegraph.graph import camps
from stancegraph.graph.cookbook import DOC_PATH, recipe, recipes, render_markdown
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter, Coalitions
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import valid_from, valid_until
from stancegraph.schema.errors import InvalidParameterError
from stancegraph.schema.models import SeedSet
from stancegraph.settings import Settings
from tests.conftest import SEEDS


def run(store: GraphStore, name: str, **overrides: str) -> list[dict[str, Any]]:
    item = recipe(name)
    result = store.run_cypher(item.cypher, item.bind(overrides, store), timeout=10, row_limit=1000)
    assert not result.truncated
    return result.rows


def test_docs_page_is_current(memory_store: GraphStore) -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render_markdown(memory_store), (
        "docs/cypher.md is stale: run python -m stancegraph.graph.cookbook"
    )


def test_unknown_recipe_and_parameter() -> None:
    with pytest.raises(InvalidParameterError):
        recipe("nope")
    with pytest.raises(InvalidParameterError) as caught:
        recipe("supporters").bind({"who": "x"}, MemoryStore(SeedSet(sources=[], entities=[], claims=[])))
    assert caught.value.parameter == "who"


def test_every_recipe_is_covered_below() -> None:
    covered = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert set(recipes()) <= covered


pytestmark_neo4j = pytest.mark.neo4j


@pytest.fixture(scope="module")
def texts(seeds: SeedSet) -> dict[str, str]:
    """Each source's text, by source id."""
    return {s.id: (SEEDS / s.path).read_text(encoding="utf-8") for s in seeds.sources}


@pytestmark_neo4j
def test_supporters(neo4j_store: GraphStore, texts: dict[str, str]) -> None:
    rows = run(neo4j_store, "supporters")
    assert rows and all(r["quote"] in texts[r["source"]] for r in rows)
    entity = recipe("supporters").bind({}, neo4j_store)["entity"]
    assert {r["supporter"] for r in rows} == {s.entity.name_en for s in neo4j_store.supporters(entity)}


@pytestmark_neo4j
def test_opponents(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "opponents")
    entity = recipe("opponents").bind({}, neo4j_store)["entity"]
    assert {r["opponent"] for r in rows} == {s.entity.name_en for s in neo4j_store.opponents(entity)}
    assert {"Donald Trump", "Pete Hegseth"} <= {r["opponent"] for r in rows}


@pytest.fixture()
def written_camps(neo4j_store: GraphStore, neo4j_driver: Driver) -> Iterator[Coalitions]:
    """The camps on the seeds, written by `coalitions --write`'s function; removed afterwards."""
    answer = camps.coalitions(neo4j_store)
    camps.write_camps(neo4j_driver, "neo4j", answer)
    try:
        yield answer
    finally:
        camps.write_camps(neo4j_driver, "neo4j", answer.model_copy(update={"camps": [[], []]}))


@pytestmark_neo4j
def test_coalitions(neo4j_store: GraphStore, written_camps: Coalitions) -> None:
    rows = run(neo4j_store, "coalitions")
    expected = [(i, [e.name_en for e in camp], len(camp)) for i, camp in enumerate(written_camps.camps)]
    assert [(r["camp"], r["members"], r["size"]) for r in rows] == expected
    assert {r["as_of"] for r in rows} == {None}


@pytestmark_neo4j
def test_camp_crossings(neo4j_store: GraphStore, written_camps: Coalitions) -> None:
    rows = run(neo4j_store, "camp_crossings")
    hostile = {c.id for c in neo4j_store.claims(ClaimFilter(polarity=-1), limit=1000)}
    for row in rows:
        assert (row["actor_camp"] == row["toward_camp"]) == (row["claim"] in hostile), row
    # A frustrated tie's winning side crosses the camps claim by claim.
    winning = {c.id for t in written_camps.frustrated for c in t.claims if c.polarity == t.sign}
    assert winning and winning <= {r["claim"] for r in rows}


@pytestmark_neo4j
def test_contracts(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "contracts")
    by_claim = {r["claim"]: r for r in rows}
    claims = neo4j_store.claims(ClaimFilter(predicate="contracts_with"), limit=1000)
    assert len(rows) == len(claims) == len(by_claim)
    for claim in claims:
        row = by_claim[claim.id]
        assert (row["supplier"], row["customer"]) == (claim.subject.name_en, claim.object.name_en)
        assert (row["status"], row["sources"]) == (claim.status, claim.sources)
        assert json.loads(row["figures"]) == {
            k: v.model_dump(mode="json") for k, v in claim.properties.items()
        }
        assert sorted(s for _, s in row["said"] if s) == sorted(e.status for e in claim.evidence if e.status)


@pytestmark_neo4j
def test_speakers(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "speakers")
    speakers = {r["speaker"] for r in rows}
    assert "the outlet (narration)" in speakers and "sam-altman" in speakers
    total = sum(r["evidence"] for r in rows)
    assert total == neo4j_store.stats().evidence


@pytestmark_neo4j
def test_why(neo4j_store: GraphStore, texts: dict[str, str]) -> None:
    rows = run(neo4j_store, "why")
    assert rows and all(texts[r["source"]][r["start"] : r["end"]] == r["quote"] for r in rows)
    assert {r["speaker_type"] for r in rows} >= {"narration"}
    claim = neo4j_store.claim(rows[0]["claim"])
    assert sorted(r["source"] for r in rows) == sorted(e.source for e in claim.evidence)


@pytestmark_neo4j
def test_as_of(neo4j_store: GraphStore) -> None:
    """The claims whose valid time's bounds hold the day: every claim the store finds held then
    (exactly), and the others only where a gap between intervals or a partial date may hold it."""
    day = date.fromisoformat(recipe("as_of").bind({}, neo4j_store)["as_of"])
    rows = run(neo4j_store, "as_of")
    every = neo4j_store.claims(limit=1000)
    assert len(every) < 1000
    bounded = {
        c.id
        for c in every
        if (first := valid_from(c.valid)) is not None
        and first <= day
        and ((until := valid_until(c.valid)) is None or day < until)
    }
    held = {c.id for c in neo4j_store.claims(ClaimFilter(as_of=day), limit=1000)}
    assert [r["claim"] for r in rows] == [c.id for c in neo4j_store.timeline(limit=1000) if c.id in bounded]
    assert held and held <= bounded
    # The default day is the latest switch's: the new stance holds and the old one does not.
    latest = neo4j_store.switches()[-1]
    assert {c.id for c in latest.after.claims} <= held
    assert not {c.id for c in latest.before.claims} & bounded
    earlier = run(neo4j_store, "as_of", as_of=(valid_from(latest.before.claims[0].valid) or day).isoformat())
    assert {c.id for c in latest.before.claims} <= {r["claim"] for r in earlier}


@pytestmark_neo4j
def test_switched(neo4j_store: GraphStore) -> None:
    """One row per reversed claim, with the later claims of the other sign: the store's switches."""
    rows = run(neo4j_store, "switched")
    reversed_ = {
        c.id
        for c in neo4j_store.claims(limit=1000)
        if any(i.ended_by is not None and i.ended_by.reason == "reversed" for i in c.valid.held)
    }
    assert reversed_ and {r["before"] for r in rows} == reversed_
    switches = neo4j_store.switches()
    assert {(r["actor"], r["toward"]) for r in rows} == {
        (s.entity.name_en, s.toward.name_en) for s in switches
    }
    for switch in switches:
        for before in switch.before.claims:
            row = next(r for r in rows if r["before"] == before.id)
            assert {c.id for c in switch.after.claims} <= set(row["after"])
            assert row["was"] == switch.before.polarity
            later = neo4j_store.claims_by_id(row["after"])
            assert all(c.polarity == -before.polarity for c in later.values())


@pytestmark_neo4j
def test_corroboration(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "corroboration")
    several = neo4j_store.claims(ClaimFilter(min_sources=2), limit=1000)
    assert {r["claim"] for r in rows} == {c.id for c in several}
    views = {c.id: c for c in several}
    for row in rows:
        view = views[row["claim"]]
        assert (row["sources"], row["independent"], row["outlets"]) == (
            view.sources,
            view.independent,
            view.outlets,
        )
    ranked = [(r["independent"], r["sources"]) for r in rows]
    assert ranked == sorted(ranked, reverse=True)


@pytestmark_neo4j
def test_single_source(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "single_source")
    single = neo4j_store.claims(ClaimFilter(max_sources=1), limit=1000)
    assert sorted(c for r in rows for c in r["claims"]) == sorted(c.id for c in single)


@pytestmark_neo4j
def test_conflicts(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "conflicts")
    listed = neo4j_store.conflicts(limit=1000)
    assert listed and {r["claim"] for r in rows} == {c.claim for c in listed}
    for row in rows:
        assert set(row["kinds"]) == {c.kind for c in listed if c.claim == row["claim"]}


@pytestmark_neo4j
def test_signatories(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "signatories")
    document = recipe("signatories").bind({}, neo4j_store)["document"]
    signed = neo4j_store.claims(ClaimFilter(predicate="signed", object=document), limit=1000)
    assert {r["signatory"] for r in rows} == {c.subject.name_en for c in signed}
    assert all(
        len(signed)
        >= len(neo4j_store.claims(ClaimFilter(predicate="signed", object=c.object.id), limit=1000))
        for c in neo4j_store.claims(ClaimFilter(predicate="signed"), limit=1000)
    )


@pytestmark_neo4j
def test_path(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "path")
    ends = recipe("path").bind({}, neo4j_store)
    chains = {tuple(r["chain"]) for r in rows}
    by_store = {
        tuple(n.name_en for n in p.nodes) for p in neo4j_store.paths(ends["from"], ends["to"], max_hops=4)
    }
    assert chains and chains == by_store


@pytestmark_neo4j
def test_timeline(neo4j_store: GraphStore) -> None:
    rows = run(neo4j_store, "timeline")
    dated = [c for c in neo4j_store.timeline(limit=1000) if c.valid.held]
    assert [(r["claim"], r["date"]) for r in rows] == [(c.id, c.date.value) for c in dated]
    ends = [valid_until(c.valid) for c in dated]
    assert [r["valid_until"] for r in rows] == [None if end is None else end.isoformat() for end in ends]
    xai = run(neo4j_store, "timeline", entity="xai")
    assert xai and len(xai) < len(rows)


@pytestmark_neo4j
def test_cypher_endpoint_reads_and_refuses_writes(neo4j_store: GraphStore) -> None:
    client = TestClient(create_app(Settings(store="neo4j"), store=neo4j_store))
    before = neo4j_store.stats()
    ok = client.post(
        "/v1/cypher", json={"query": recipe("supporters").cypher, "params": {"entity": "anthropic"}}
    )
    assert ok.status_code == 200 and ok.json()["rows"]
    nodes = client.post(
        "/v1/cypher", json={"query": "MATCH (n:Entity {id: $id}) RETURN n", "params": {"id": "xai"}}
    )
    assert nodes.json()["rows"][0]["n"]["labels"] == ["Company", "Entity"]
    for query in (
        "CREATE (n:Entity {id: 'x'})",
        "MATCH (n) DETACH DELETE n",
        "CREATE INDEX i FOR (n:X) ON (n.y)",
    ):
        refused = client.post("/v1/cypher", json={"query": query})
        assert refused.status_code == 400, query
        assert refused.headers["content-type"] == "application/problem+json"
    assert neo4j_store.stats() == before


def test_cypher_endpoint_on_the_embedded_store(memory_store: GraphStore) -> None:
    client = TestClient(create_app(Settings(), store=memory_store))
    response = client.post("/v1/cypher", json={"query": "RETURN 1"})
    assert response.status_code == 501
    assert "STANCEGRAPH_STORE=neo4j" in response.json()["detail"]
