"""The Neo4j loader: schema, idempotent reloads, in-place updates, deletes, restarts, foreign nodes."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from stancegraph.cli import app
from stancegraph.graph import queries
from stancegraph.graph.loader import LoadReport, load
from stancegraph.graph.neo4j_store import Neo4jStore
from stancegraph.graph.synthetic import generate
from stancegraph.schema.errors import NotFoundError
from stancegraph.schema.models import SeedSet
from tests.conftest import Neo4jServer, full_export

pytestmark = pytest.mark.neo4j


def _count(driver: Driver, query: str, **params: Any) -> int:
    records, _, _ = driver.execute_query(query, params, database_="neo4j")
    return int(records[0][0])


def _changes(report: LoadReport) -> dict[str, tuple[int, int, int]]:
    return {k: (c.created, c.updated, c.deleted) for k, c in report.counts.items()}


def test_constraints_and_indexes_exist(neo4j_driver: Driver, neo4j_store: Neo4jStore) -> None:
    records, _, _ = neo4j_driver.execute_query(queries.SHOW_CONSTRAINTS, database_="neo4j")
    unique = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in records}
    assert {(label, ("id",)) for label in queries.OUR_LABELS} <= unique
    indexes, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD name, type", database_="neo4j")
    types = {r["name"]: r["type"] for r in indexes}
    assert types[queries.ENTITY_FULLTEXT] == types[queries.NAME_FULLTEXT] == "FULLTEXT"
    assert types["name_key_text"] == "TEXT"


def test_reload_changes_nothing(neo4j_scratch: Driver, seeds: SeedSet) -> None:
    before = full_export(neo4j_scratch)
    report = load(neo4j_scratch, seeds)
    assert report.changed == 0
    assert report.counts["claim"].unchanged == len(seeds.claims)
    assert full_export(neo4j_scratch) == before


def test_a_reload_adds_the_texts_a_database_lacks(neo4j_scratch: Driver, seeds: SeedSet) -> None:
    """A graph loaded without the source texts (as loads before the texts were kept) gets them on
    the next load, although the source records are the same: the texts need no seed files."""
    without = load(neo4j_scratch, seeds.model_copy(update={"texts": {}}))
    assert _changes(without)["source"] == (0, len(seeds.sources), 0)
    assert _count(neo4j_scratch, "MATCH (s:Source) WHERE s.text IS NOT NULL RETURN count(s)") == 0
    with pytest.raises(NotFoundError):
        Neo4jStore(neo4j_scratch).source_text(seeds.sources[0].id)
    again = load(neo4j_scratch, seeds)
    assert _changes(again)["source"] == (0, len(seeds.sources), 0)
    store = Neo4jStore(neo4j_scratch)
    assert {s.id: store.source_text(s.id) for s in seeds.sources} == seeds.texts


def test_direct_relationships_are_what_browser_users_see(neo4j_scratch: Driver, seeds: SeedSet) -> None:
    records, _, _ = neo4j_scratch.execute_query(
        "MATCH (a)-[r:SUPPORTS]->(b:Entity {id: 'anthropic'}) RETURN collect(a.id) AS ids", database_="neo4j"
    )
    expected = {c.subject for c in seeds.claims if c.predicate == "supports" and c.object == "anthropic"}
    assert set(records[0]["ids"]) == expected and expected


def test_edits_update_in_place(neo4j_scratch: Driver, seeds: SeedSet) -> None:
    entity = next(e for e in seeds.entities if e.id == "sam-altman")
    claim = seeds.claims[0]
    element_id = "MATCH (n {id: $id}) WHERE n:Entity OR n:Claim RETURN elementId(n)"
    entity_node = _count_or_id(neo4j_scratch, element_id, entity.id)
    claim_node = _count_or_id(neo4j_scratch, element_id, claim.id)
    edited = seeds.model_copy(
        update={
            "entities": [
                e.model_copy(update={"description": "Edited.", "aliases": [*e.aliases, "Sama"]})
                if e.id == entity.id
                else e
                for e in seeds.entities
            ],
            "claims": [
                c.model_copy(update={"note": "Edited note."}) if c is claim else c for c in seeds.claims
            ],
        }
    )
    report = load(neo4j_scratch, edited)
    assert _changes(report) == {"source": (0, 0, 0), "entity": (0, 1, 0), "claim": (0, 1, 0)}
    assert _count_or_id(neo4j_scratch, element_id, entity.id) == entity_node
    assert _count_or_id(neo4j_scratch, element_id, claim.id) == claim_node
    store = Neo4jStore(neo4j_scratch)
    assert store.entity(entity.id).entity.description == "Edited."
    assert store.search("sama")[0].entity.id == entity.id
    assert store.claim(claim.id).note == "Edited note."


def _count_or_id(driver: Driver, query: str, ident: str) -> str:
    records, _, _ = driver.execute_query(query, {"id": ident}, database_="neo4j")
    return str(records[0][0])


def test_removed_claims_disappear(neo4j_scratch: Driver, seeds: SeedSet) -> None:
    gone = seeds.claims[0]
    report = load(neo4j_scratch, seeds.model_copy(update={"claims": seeds.claims[1:]}))
    assert _changes(report)["claim"] == (0, 0, 1)
    assert _count(neo4j_scratch, "MATCH (c:Claim {id: $id}) RETURN count(c)", id=gone.id) == 0
    assert _count(neo4j_scratch, "MATCH ()-[r {claim_id: $id}]->() RETURN count(r)", id=gone.id) == 0
    evidence = [e.id for e in gone.evidence]
    assert _count(neo4j_scratch, "MATCH (e:Evidence) WHERE e.id IN $ids RETURN count(e)", ids=evidence) == 0
    assert _count(neo4j_scratch, "MATCH (c:Claim) RETURN count(c)") == len(seeds.claims) - 1


def test_killed_load_then_rerun_equals_clean_load(neo4j_scratch: Driver) -> None:
    graph = generate(entities=300, claims=1200, seed=2).seeds
    calls = 0

    def die_mid_claims(stage: str, done: int, total: int) -> None:
        nonlocal calls
        if stage == "claims" and done > 0:
            calls += 1
            if calls == 3:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load(neo4j_scratch, graph, batch_size=100, on_progress=die_mid_claims)
    assert 0 < _count(neo4j_scratch, "MATCH (c:Claim) RETURN count(c)") < len(graph.claims)
    resumed = load(neo4j_scratch, graph, batch_size=100)
    written = resumed.counts["claim"]
    assert written.unchanged > 0 and written.unchanged + written.created == len(graph.claims)
    after_restart = full_export(neo4j_scratch)

    load(neo4j_scratch, SeedSet(sources=[], entities=[], claims=[]))
    assert full_export(neo4j_scratch) == ([], [])
    load(neo4j_scratch, graph, batch_size=1000)
    assert full_export(neo4j_scratch) == after_restart


def test_foreign_nodes_are_untouched(neo4j_scratch: Driver, seeds: SeedSet) -> None:
    neo4j_scratch.execute_query(
        "CREATE (:Foreign {id: 'anthropic', note: 'not ours'})-[:LIKES]->(:Foreign:Other {id: 'x'})",
        database_="neo4j",
    )
    try:
        load(neo4j_scratch, generate(entities=50, claims=100, seed=4).seeds)
        load(neo4j_scratch, seeds)
        assert _count(neo4j_scratch, "MATCH (:Foreign)-[r:LIKES]->(:Foreign:Other) RETURN count(r)") == 1
        assert _count(neo4j_scratch, "MATCH (n:Foreign {id: 'anthropic'}) RETURN count(n)") == 1
    finally:
        neo4j_scratch.execute_query("MATCH (n:Foreign) DETACH DELETE n", database_="neo4j")


def test_cli_load_prints_a_summary(neo4j_scratch: Driver, neo4j_server: Neo4jServer) -> None:
    result = CliRunner().invoke(app, ["load"], env=neo4j_server.env())
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output and "0 change(s)" in result.output


def test_claim_writes_take_only_relationship_types_of_the_vocabulary(
    neo4j_scratch: Driver, seeds: SeedSet
) -> None:
    """The claim queries read the relationship type from the row; a type outside the vocabulary
    is refused before anything is written."""
    from stancegraph.schema.vocabulary import load_vocabulary

    for bad in ("SUPPORTS]->(x) DETACH DELETE x //", "supports", ""):
        with pytest.raises(ValueError):
            queries.check_rel_type(bad)
    vocab = load_vocabulary()
    predicate = next(iter(vocab.predicates.values()))
    spaced = predicate.model_copy(update={"neo4j": "X Y"})
    broken = vocab.model_copy(update={"predicates": {**vocab.predicates, predicate.id: spaced}})
    before = full_export(neo4j_scratch)
    with pytest.raises(ValueError):
        load(neo4j_scratch, seeds, vocabulary=broken)
    assert full_export(neo4j_scratch) == before
