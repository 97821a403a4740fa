"""docs/neo4j.md is the one description of the graph's shape in Neo4j: its tables are checked
against a graph the loader wrote, so the page cannot drift from the loader."""

from __future__ import annotations

import re
from typing import Any

import pytest
from neo4j import Driver

from stancegraph.graph.loader import claim_row, entity_row, source_row
from stancegraph.graph.queries import OUR_LABELS
from stancegraph.graph.store import GraphStore
from stancegraph.schema.models import SeedSet
from stancegraph.schema.vocabulary import load_vocabulary
from stancegraph.settings import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "neo4j.md"
_PARENS = re.compile(r"\([^()]*\)")
_NAME = re.compile(r"`([a-z][a-z0-9_]*)`")
_LABEL = re.compile(r"`:([A-Z][A-Za-z]*)`")
DIRECT = "direct relationship"


def _without_asides(text: str) -> str:
    """The text with every parenthesised aside removed (they hold examples, not properties)."""
    while True:
        shorter = _PARENS.sub("", text)
        if shorter == text:
            return text
        text = shorter


def documented() -> tuple[dict[str, set[str]], set[str]]:
    """Properties per label from the node table (plus the direct relationships' paragraph), and
    the kind labels the Entity row names."""
    text = DOC.read_text(encoding="utf-8")
    props: dict[str, set[str]] = {}
    kinds: set[str] = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`:"):
            continue
        label, *others = _LABEL.findall(cells[0])
        if label == "Entity":
            kinds = set(others)
        props[label] = set(_NAME.findall(_without_asides(cells[1])))
    paragraph = text.split("Direct relationships carry", 1)[1].split("\n\n", 1)[0]
    props[DIRECT] = set(_NAME.findall(_without_asides(paragraph)))
    return props, kinds


def loader_rows(seeds: SeedSet) -> dict[str, list[dict[str, Any]]]:
    """The properties the loader writes, per label, for every seed record (nulls included)."""
    vocab = load_vocabulary()
    sources = {s.id: s for s in seeds.sources}
    claims = [claim_row(c, vocab, sources) for c in seeds.claims]
    rows = {
        "Source": [source_row(s, seeds.texts.get(s.id))["props"] for s in seeds.sources],
        "Entity": [entity_row(e, vocab)["props"] for e in seeds.entities],
        "Claim": [row["props"] for row in claims],
        "Evidence": [ev for row in claims for ev in row["evidence"]],
        DIRECT: [row["rel"] for row in claims],
    }
    return rows


def null_everywhere(rows: list[dict[str, Any]]) -> set[str]:
    """Properties written as null for every record: Neo4j keeps no nulls, so the loaded graph
    cannot show them."""
    return {k for k in rows[0] if all(r[k] is None for r in rows)}


def test_every_property_the_loader_writes_is_documented(seeds: SeedSet) -> None:
    props, _ = documented()
    for label, rows in loader_rows(seeds).items():
        keys = {k for row in rows for k in row}
        assert keys <= props[label], (label, "undocumented", keys - props[label])


def test_the_entity_row_names_every_kind_label() -> None:
    _, kinds = documented()
    assert kinds == {k.neo4j for k in load_vocabulary().kinds.values()}


@pytest.mark.neo4j
def test_the_documented_properties_are_what_the_loader_writes(
    neo4j_driver: Driver, neo4j_store: GraphStore, seeds: SeedSet
) -> None:
    props, _ = documented()
    assert set(props) == {*OUR_LABELS, DIRECT}
    written: dict[str, set[str]] = {}
    for label in OUR_LABELS:
        records, _, _ = neo4j_driver.execute_query(
            f"MATCH (n:{label}) UNWIND keys(n) AS key RETURN collect(DISTINCT key) AS keys",
            database_="neo4j",
        )
        written[label] = set(records[0]["keys"])
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:Entity)-[r]->(:Entity) WHERE r.claim_id IS NOT NULL "
        "UNWIND keys(r) AS key RETURN collect(DISTINCT key) AS keys",
        database_="neo4j",
    )
    written[DIRECT] = set(records[0]["keys"])
    rows = loader_rows(seeds)
    for label, documented_props in props.items():
        assert written[label] <= documented_props, (label, "undocumented", written[label] - documented_props)
        unseen = documented_props - written[label]
        nulls = null_everywhere(rows[label]) if label in rows else set()
        assert unseen <= nulls, (label, "documented but never written", unseen)


@pytest.mark.neo4j
def test_the_documented_schema_is_what_the_loader_creates(
    neo4j_driver: Driver, neo4j_store: GraphStore
) -> None:
    """Every uniqueness constraint and every index on our labels is named in the page's Schema
    paragraph (`Label.property`, and full-text indexes by name)."""
    schema = DOC.read_text(encoding="utf-8").split("Schema, created before any write:", 1)[1].split("\n\n")[0]
    schema = " ".join(schema.split())
    records, _, _ = neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint "
        "WHERE labelsOrTypes IS NOT NULL RETURN name, type, labelsOrTypes, properties, owningConstraint",
        database_="neo4j",
    )
    ours = [r for r in records if set(r["labelsOrTypes"]) <= set(OUR_LABELS)]
    assert ours
    for index in ours:
        if index["type"] == "FULLTEXT":
            assert f"`{index['name']}`" in schema, index
        else:
            for label in index["labelsOrTypes"]:
                for prop in index["properties"]:
                    assert f"`{label}.{prop}`" in schema, index
