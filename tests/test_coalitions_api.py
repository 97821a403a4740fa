"""Coalitions on the seeds, on both stores: graph.camps, GET /v1/coalitions and /compare, the
CLI, and the camps written to Neo4j for the cookbook."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from typer.testing import CliRunner

from stancegraph import cli
from stancegraph.api.app import create_app
from stancegraph.graph import camps
from stancegraph.graph.results import ClaimFilter, Coalitions, SourceCounts
from stancegraph.graph.signed import signed_actor_graph
from stancegraph.graph.store import GraphStore
from stancegraph.graph.window import TimeWindow
from stancegraph.settings import Settings
from tests.conftest import SEEDS, Neo4jServer

ANTHROPIC, WAR, GOOGLE = "anthropic", "us-department-of-war", "google"
BEFORE, AFTER = date(2026, 2, 28), date(2026, 5, 1)  # around Google's deal of 2026-04-28
GOOGLE_DEAL = "google.agrees_to_terms_of.us-department-of-war"


def camp_of(answer: Coalitions, entity: str) -> int | None:
    return next((i for i, camp in enumerate(answer.camps) if entity in {e.id for e in camp}), None)


def without_time(answer: Coalitions) -> dict[str, object]:
    return answer.model_dump(mode="json", exclude={"seconds"})


def test_anthropic_and_the_department_of_war_are_in_opposite_camps(store: GraphStore) -> None:
    answer = camps.coalitions(store)
    assert answer.optimal and answer.gap == 0 and answer.lower_bound == answer.frustration
    assert {camp_of(answer, ANTHROPIC), camp_of(answer, WAR)} == {0, 1}
    assert answer.balance == pytest.approx(1 - answer.frustration / answer.total_weight)
    members = [e.id for camp in answer.camps for e in camp]
    assert len(set(members)) == len(members) and not set(members) & {e.id for e in answer.unaligned}
    assert all(camp == sorted(camp, key=lambda e: e.id) for camp in answer.camps)
    assert answer.camps[0][0].id == min(members)


def test_every_frustrated_tie_does_not_fit_and_comes_with_its_claims(store: GraphStore) -> None:
    answer = camps.coalitions(store)
    assert answer.frustrated, "the seeds have ties across the camps (Google, OpenAI backing Anthropic)"
    assert answer.frustration == sum(t.weight for t in answer.frustrated)
    for tie in answer.frustrated:
        same = camp_of(answer, tie.a.id) == camp_of(answer, tie.b.id)
        assert same != (tie.sign > 0), tie
        assert tie.claims and all({c.subject.id, c.object.id} == {tie.a.id, tie.b.id} for c in tie.claims)
        assert all(c.polarity != 0 and c.evidence for c in tie.claims)
        between = {c.id for c in store.between(tie.a.id, tie.b.id) if c.polarity != 0}
        assert {c.id for c in tie.claims} == between


def test_both_stores_answer_alike(store: GraphStore, memory_store: GraphStore) -> None:
    for window in (None, TimeWindow(as_of=BEFORE), TimeWindow(as_of=AFTER, known_by=AFTER)):
        counts = SourceCounts(min_sources=2)
        assert without_time(camps.coalitions(store, window)) == without_time(
            camps.coalitions(memory_store, window)
        )
        mine, theirs = camps.coalitions(store, window, counts), camps.coalitions(memory_store, window, counts)
        assert without_time(mine) == without_time(theirs)


def test_google_deal_with_the_department_of_war_moves_it(store: GraphStore) -> None:
    """Google backed Anthropic in February; on 2026-04-28 it agreed to the Department of War's
    terms: the tie appears between the two dates, and after it Google sits with the Department."""

    def tie_claims(day: date) -> dict[tuple[str, str], tuple[str, ...]]:
        claims = [c for p in (1, -1) for c in store.claims(ClaimFilter(polarity=p, as_of=day), limit=1000)]
        graph, _ = signed_actor_graph(claims, store.vocabulary)
        return {(u, v): graph.edges[u, v]["claims"] for u, v in graph.edges(GOOGLE)}

    before, after = tie_claims(BEFORE), tie_claims(AFTER)
    assert (GOOGLE, WAR) not in before and after[GOOGLE, WAR] == (GOOGLE_DEAL,)
    shift = camps.shift(store, BEFORE, AFTER)
    assert camp_of(shift.after, GOOGLE) == camp_of(shift.after, WAR) != camp_of(shift.after, ANTHROPIC)
    crossing = {(t.a.id, t.b.id) for t in shift.after.frustrated}
    assert (ANTHROPIC, GOOGLE) in crossing
    # Between the camps numbered alike, a change is a move: every actor listed and only those.
    moved = {c.entity.id: (c.before, c.after) for c in shift.changed}
    for entity in {e.id for a in (shift.before, shift.after) for camp in a.camps for e in camp}:
        places = (camp_of(shift.before, entity), camp_of(shift.after, entity))
        assert moved.get(entity, places) == places and (entity in moved) == (places[0] != places[1])
    assert camp_of(shift.before, ANTHROPIC) == camp_of(shift.after, ANTHROPIC)


def test_min_sources_and_known_by_narrow_the_ties(store: GraphStore) -> None:
    answer = camps.coalitions(store, TimeWindow(known_by=BEFORE), SourceCounts(min_sources=2))
    for tie in (*answer.frustrated, *answer.contradictory):
        for claim in tie.claims:
            assert claim.sources >= 2 and claim.time is not None and claim.time.known_by is not None
    assert answer.edges < camps.coalitions(store).edges


# --- the API ------------------------------------------------------------------------------------------


@pytest.fixture()
def client(store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(seeds=SEEDS, store=store.kind), store=store)) as test_client:
        yield test_client


def test_get_coalitions(client: TestClient, store: GraphStore) -> None:
    response = client.get("/v1/coalitions", params={"as_of": AFTER.isoformat(), "min_sources": 1})
    assert response.status_code == 200, response.text
    answer = Coalitions.model_validate(response.json())
    assert without_time(answer) == without_time(
        camps.coalitions(store, TimeWindow(as_of=AFTER), SourceCounts())
    )
    assert {camp_of(answer, ANTHROPIC), camp_of(answer, WAR)} == {0, 1}


def test_get_coalitions_by_kind(client: TestClient) -> None:
    companies = client.get("/v1/coalitions", params={"kind": ["company", "agency"]}).json()
    assert {e["kind"] for camp in companies["camps"] for e in camp} <= {"company", "agency"}
    refused = client.get("/v1/coalitions", params={"kind": "topic"})
    assert refused.status_code == 422 and refused.json()["parameter"] == "kind"
    assert "'topic' is not an actor kind" in refused.json()["detail"]


def test_compare(client: TestClient) -> None:
    response = client.get(
        "/v1/coalitions/compare", params={"from": BEFORE.isoformat(), "to": AFTER.isoformat()}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["before"]["as_of"] == BEFORE.isoformat() and body["after"]["as_of"] == AFTER.isoformat()
    refused = client.get(
        "/v1/coalitions/compare", params={"from": AFTER.isoformat(), "to": BEFORE.isoformat()}
    )
    assert refused.status_code == 422 and refused.json()["parameter"] == "to"


def test_the_document_lists_actor_kinds_for_coalitions(client: TestClient, store: GraphStore) -> None:
    document = client.get("/openapi.json").json()
    (kind,) = [p for p in document["paths"]["/v1/coalitions"]["get"]["parameters"] if p["name"] == "kind"]
    array = next(b for b in kind["schema"]["anyOf"] if b.get("type") == "array")
    assert array["items"]["enum"] == sorted(k for k, v in store.vocabulary.kinds.items() if v.actor)
    compare = document["paths"]["/v1/coalitions/compare"]["get"]["parameters"]
    assert all("example" not in p for p in compare if p["name"] in {"from", "to"})


# --- the CLI ------------------------------------------------------------------------------------------


def test_query_coalitions_prints_the_camps_and_the_frustrated_ties(
    memory_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.out, "width", 400)
    result = CliRunner().invoke(
        cli.app,
        ["query", "coalitions", "--as-of", AFTER.isoformat(), "--store", "memory", "--seeds", str(SEEDS)],
    )
    assert result.exit_code == 0, result.output
    answer = camps.coalitions(memory_store, TimeWindow(as_of=AFTER))
    assert "camp A" in result.output and "frustrated ties" in result.output
    assert f"balance {answer.balance:.3f}" in result.output
    for tie in answer.frustrated:
        assert f"{tie.a.name_en} – {tie.b.name_en}" in result.output
        assert all(c.id in result.output for c in tie.claims)
    as_json = CliRunner().invoke(
        cli.app,
        ["query", "coalitions", "--json", "--min-sources", "2", "--store", "memory", "--seeds", str(SEEDS)],
    )
    assert as_json.exit_code == 0, as_json.output
    parsed = Coalitions.model_validate_json(as_json.output)
    assert without_time(parsed) == without_time(
        camps.coalitions(memory_store, counts=SourceCounts(min_sources=2))
    )


def test_query_coalitions_refuses_a_kind_that_is_no_actor() -> None:
    result = CliRunner().invoke(
        cli.app, ["query", "coalitions", "--kind", "law", "--store", "memory", "--seeds", str(SEEDS)]
    )
    assert result.exit_code == cli.EXIT_USAGE and "not an actor kind" in result.output


@pytest.mark.neo4j
def test_coalitions_write_replaces_the_last_camps(
    neo4j_store: GraphStore, neo4j_driver: Driver, neo4j_server: Neo4jServer
) -> None:
    before, everything = (
        camps.coalitions(neo4j_store, TimeWindow(as_of=BEFORE)),
        camps.coalitions(neo4j_store),
    )

    def stored() -> dict[str, tuple[int, object]]:
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (e:Entity) WHERE e.camp IS NOT NULL RETURN e.id AS id, e.camp AS camp, "
            "toString(e.camp_as_of) AS as_of",
            database_="neo4j",
        )
        return {r["id"]: (r["camp"], r["as_of"]) for r in records}

    def write(*args: str) -> str:
        result = CliRunner().invoke(cli.app, ["coalitions", "--write", *args], env=neo4j_server.env())
        assert result.exit_code == 0, result.output
        return result.output

    try:
        output = write("--as-of", BEFORE.isoformat())
        assert f"wrote camp and camp_as_of on {sum(len(c) for c in before.camps)} actor(s)" in output
        assert stored() == {
            e.id: (i, BEFORE.isoformat()) for i, camp in enumerate(before.camps) for e in camp
        }
        write()
        assert stored() == {e.id: (i, None) for i, camp in enumerate(everything.camps) for e in camp}
    finally:
        camps.write_camps(neo4j_driver, "neo4j", before.model_copy(update={"camps": [[], []]}))
    assert stored() == {}
