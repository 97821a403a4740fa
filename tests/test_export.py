"""Exports parse back into the same graph: node-link JSON, GraphML, CSV files and their zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import networkx as nx
import pytest

from stancegraph.graph.export import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    snapshot_checksum,
    to_csv,
    to_csv_zip,
    to_graphml,
    to_node_link,
)
from stancegraph.graph.memory import MemoryStore
from stancegraph.schema.models import (
    ClaimDate,
    Entity,
    EvidenceRecord,
    Money,
    Names,
    SeedSet,
    Source,
    Speaker,
    ValidatedClaim,
)


def _evidence(ident: str, quote: str, start: int) -> EvidenceRecord:
    return EvidenceRecord(
        id=ident,
        source="paper",
        quote=quote,
        start=start,
        end=start + len(quote),
        translation=f"«{quote}», translated",
        speaker=Speaker(type="narration"),
        certainty="stated",
    )


def _claim(
    subject: str, predicate: str, obj: str, *evidence: EvidenceRecord, **extra: object
) -> ValidatedClaim:
    polarity = {"supports": 1, "bans": -1}.get(predicate, 0)
    return ValidatedClaim.model_validate(
        {
            "id": f"{subject}.{predicate}.{obj}",
            "subject": subject,
            "predicate": predicate,
            "object": obj,
            "polarity": polarity,
            "relationship": predicate.upper(),
            "certainty": "stated",
            "qualifiers": {},
            "date": ClaimDate(),
            "properties": {},
            "status": None,
            "note": None,
            "evidence": list(evidence),
            **extra,
        }
    )


@pytest.fixture()
def small() -> SeedSet:
    """Three entities, three claims (two parallel edges), Chinese text, a typed property."""
    entities = [
        Entity(id="alice", kind="person", names=Names(en="Alice", zh="爱丽丝"), aliases=["A", "阿丽"]),
        Entity(
            id="acme",
            kind="company",
            names=Names(en='Acme, "Inc."', zh="阿克米"),
            description="Makes things,\nsome of them new.",
            properties={"valuation": Money(type="money", amount=3.3e11, currency="USD", text="3300 亿美元")},
        ),
        Entity(id="paper", kind="outlet", names=Names(en="Paper", zh="报纸")),
    ]
    claims = [
        _claim(
            "alice",
            "supports",
            "acme",
            _evidence("ev-1", "她支持「阿克米」", 10),
            _evidence("ev-2", "second quote", 40),
            date=ClaimDate.model_validate("2026-02"),
            qualifiers={"topic": "ai"},
        ),
        _claim("alice", "works_for", "acme", _evidence("ev-3", "works there", 60)),
        _claim("paper", "bans", "alice", _evidence("ev-4", "banned", 80), note="a made-up claim"),
    ]
    source = Source(
        id="paper",
        title="标题",
        outlet="paper",
        published=datetime(2026, 2, 28, tzinfo=UTC),
        language="zh",
        path="sources/paper.txt",
        sha256="0" * 64,
    )
    return SeedSet(sources=[source], entities=entities, claims=sorted(claims, key=lambda c: c.id))


def test_node_link_round_trips_through_networkx(small: SeedSet) -> None:
    data = json.loads(json.dumps(to_node_link(small)))
    assert data["graph"]["checksum"] == snapshot_checksum(small)
    assert [s["id"] for s in data["sources"]] == ["paper"]
    graph = nx.node_link_graph(data, edges="links")
    assert isinstance(graph, nx.MultiDiGraph)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (3, 3)
    assert set(graph["alice"]["acme"]) == {"alice.supports.acme", "alice.works_for.acme"}
    supports = graph["alice"]["acme"]["alice.supports.acme"]
    assert [e["quote"] for e in supports["evidence"]] == ["她支持「阿克米」", "second quote"]
    assert (supports["date"], supports["date_precision"], supports["qualifiers"]) == (
        "2026-02",
        "month",
        {"topic": "ai"},
    )
    assert graph.nodes["acme"]["properties"]["valuation"]["currency"] == "USD"


def test_graphml_round_trips_with_scalar_attributes(small: SeedSet) -> None:
    graph = nx.read_graphml(io.BytesIO(to_graphml(small)), force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (3, 3)
    assert graph.graph["checksum"] == snapshot_checksum(small)
    assert json.loads(graph.nodes["alice"]["aliases"]) == ["A", "阿丽"]
    assert graph.nodes["acme"]["description"] == "Makes things,\nsome of them new."
    assert "description" not in graph.nodes["alice"]  # None is left out
    edge = graph["alice"]["acme"]["alice.supports.acme"]
    assert (edge["polarity"], edge["evidence_count"]) == (1, 2)
    assert json.loads(edge["evidence"])[0]["quote"] == "她支持「阿克米」"
    assert graph["paper"]["alice"]["paper.bans.alice"]["polarity"] == -1


def test_csv_has_one_row_per_node_and_edge(small: SeedSet) -> None:
    files = to_csv(small)
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"])))
    assert list(nodes[0]) == list(NODE_COLUMNS)
    assert list(edges[0]) == list(EDGE_COLUMNS)
    assert [n["id"] for n in nodes] == ["alice", "acme", "paper"]
    assert nodes[1]["name_en"] == 'Acme, "Inc."'
    assert nodes[1]["description"] == "Makes things,\nsome of them new."
    by_id = {e["id"]: e for e in edges}
    assert len(by_id) == 3
    supports = by_id["alice.supports.acme"]
    assert (supports["evidence_count"], supports["first_quote"], supports["first_source"]) == (
        "2",
        "她支持「阿克米」",
        "paper",
    )
    assert by_id["alice.works_for.acme"]["date"] == ""
    assert by_id["paper.bans.alice"]["note"] == "a made-up claim"


def test_csv_zip_is_reproducible(small: SeedSet) -> None:
    packed = to_csv_zip(small)
    assert packed == to_csv_zip(small)
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.testzip() is None
        unpacked = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert unpacked == to_csv(small)


def test_checksum_tracks_content(small: SeedSet) -> None:
    assert snapshot_checksum(small) == snapshot_checksum(SeedSet.model_validate(small.model_dump()))
    changed = small.model_copy(update={"claims": small.claims[:-1]})
    assert snapshot_checksum(changed) != snapshot_checksum(small)
    assert len(snapshot_checksum(small)) == 64


def test_exports_are_stable_through_a_store(small: SeedSet) -> None:
    """A store's snapshot exports the same as a store rebuilt from that snapshot."""
    first = MemoryStore(small).snapshot()
    second = MemoryStore(first).snapshot()
    assert snapshot_checksum(first) == snapshot_checksum(second)
    assert to_graphml(first) == to_graphml(second)
    assert to_node_link(first) == to_node_link(second)


def test_shipped_seeds_export(seeds: SeedSet) -> None:
    snapshot = MemoryStore(seeds).snapshot()
    graph = nx.node_link_graph(to_node_link(snapshot), edges="links")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (len(seeds.entities), len(seeds.claims))
    back = nx.read_graphml(io.BytesIO(to_graphml(snapshot)), force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (len(seeds.entities), len(seeds.claims))
    edges = list(csv.DictReader(io.StringIO(to_csv(snapshot)["edges.csv"])))
    assert len(edges) == len(seeds.claims)
    assert sum(int(e["evidence_count"]) for e in edges) == sum(len(c.evidence) for c in seeds.claims)
