"""Whole-graph exports built from a store snapshot: node-link JSON, GraphML, CSV (zipped).

Every export is a pure function of the snapshot, so the same graph gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import Any

import networkx as nx

from stancegraph.schema.models import SeedSet, ValidatedClaim

GRAPH_NAME = "stancegraph"
NODE_COLUMNS = ("id", "kind", "name_en", "name_zh", "aliases", "description", "properties")
EDGE_COLUMNS = (
    "id",
    "source",
    "target",
    "predicate",
    "relationship",
    "polarity",
    "certainty",
    "date",
    "date_precision",
    "qualifiers",
    "properties",
    "note",
    "evidence_count",
    "first_quote",
    "first_translation",
    "first_source",
)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the zip is reproducible


# The node properties Neo4j cannot hold as they are (maps, or maps in lists), by label: the loader
# stores them as canonical JSON strings, and what reads nodes back (user Cypher's results) parses
# exactly these.
JSON_PROPERTIES: dict[str, frozenset[str]] = {
    "Entity": frozenset({"properties", "aliases_by_language"}),
    "Claim": frozenset({"qualifiers", "properties"}),
    "Evidence": frozenset({"values"}),
}


def canonical(data: Any) -> str:
    """JSON with sorted keys and no spaces: equal data, equal text."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data: Any) -> str:
    """sha256 of the canonical JSON of `data`."""
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def snapshot_checksum(seeds: SeedSet) -> str:
    """sha256 of the snapshot's canonical JSON: equal graphs have equal checksums."""
    return content_hash(seeds.model_dump(mode="json"))


def _link(claim: ValidatedClaim) -> dict[str, Any]:
    return {
        "source": claim.subject,
        "target": claim.object,
        "key": claim.id,
        "predicate": claim.predicate,
        "relationship": claim.relationship,
        "polarity": claim.polarity,
        "certainty": claim.certainty,
        "date": claim.date.value,
        "date_precision": claim.date.precision,
        "qualifiers": dict(claim.qualifiers),
        "properties": {k: v.model_dump(mode="json") for k, v in claim.properties.items()},
        "note": claim.note,
        "evidence": [e.model_dump(mode="json") for e in claim.evidence],
    }


def to_node_link(seeds: SeedSet) -> dict[str, Any]:
    """networkx node-link data (edges under "links", claim id as edge key) plus the sources."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"name": GRAPH_NAME, "checksum": snapshot_checksum(seeds)},
        "nodes": [e.flat() for e in seeds.entities],
        "links": [_link(c) for c in seeds.claims],
        "sources": [s.model_dump(mode="json") for s in seeds.sources],
    }


def _scalar_attrs(record: dict[str, Any], skip: tuple[str, ...]) -> dict[str, str | int]:
    """GraphML holds scalars only: lists and dicts become JSON text, None is left out."""
    out: dict[str, str | int] = {}
    for key, value in record.items():
        if key in skip or value is None:
            continue
        out[key] = canonical(value) if isinstance(value, list | dict) else value
    return out


def to_graph(seeds: SeedSet) -> nx.MultiDiGraph:
    """The snapshot as a MultiDiGraph with scalar attributes only, keyed by claim id."""
    graph = nx.MultiDiGraph(
        name=GRAPH_NAME,
        checksum=snapshot_checksum(seeds),
        sources=canonical([s.model_dump(mode="json") for s in seeds.sources]),
    )
    for entity in seeds.entities:
        graph.add_node(entity.id, **_scalar_attrs(entity.flat(), skip=("id",)))
    for claim in seeds.claims:
        attrs = _scalar_attrs(_link(claim), skip=("source", "target", "key"))
        graph.add_edge(claim.subject, claim.object, key=claim.id, evidence_count=len(claim.evidence), **attrs)
    return graph


def to_graphml(seeds: SeedSet) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_graph(seeds), buffer, encoding="utf-8")
    return buffer.getvalue()


def _write_csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return canonical(value) if isinstance(value, list | dict) else value


def to_csv(seeds: SeedSet) -> dict[str, str]:
    """nodes.csv and edges.csv (lists and dicts as JSON); each edge shows its first evidence."""
    nodes = [[_cell(e.flat()[column]) for column in NODE_COLUMNS] for e in seeds.entities]
    edges: list[list[Any]] = []
    for claim in seeds.claims:
        link = _link(claim)
        first = claim.evidence[0]
        extra = {
            "id": claim.id,
            "evidence_count": len(claim.evidence),
            "first_quote": first.quote,
            "first_translation": first.translation,
            "first_source": first.source,
        }
        edges.append([_cell(extra[c] if c in extra else link[c]) for c in EDGE_COLUMNS])
    return {"nodes.csv": _write_csv(NODE_COLUMNS, nodes), "edges.csv": _write_csv(EDGE_COLUMNS, edges)}


def to_csv_zip(seeds: SeedSet) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in to_csv(seeds).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
