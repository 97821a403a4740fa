"""Read-only user Cypher: the driver's values as JSON data (the checks made before it runs are in
cypher_check). The only graph module besides the Neo4j store and loader that imports the driver;
the result model itself is in results.py, so the store interface does not need the driver."""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable
from typing import Any

import orjson
from neo4j import Record
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from stancegraph.graph.queries import JSON_PROPERTIES
from stancegraph.graph.results import CypherResult


def to_result(keys: list[str], records: Iterable[Record], row_limit: int, max_bytes: int) -> CypherResult:
    """At most `row_limit` rows and `max_bytes` bytes of JSON; `truncated` says when rows were left."""
    rows: list[dict[str, Any]] = []
    size = 0
    for record in records:
        if len(rows) == row_limit:
            return CypherResult(columns=keys, rows=rows, truncated=True)
        row = {key: to_json(record[key]) for key in keys}
        size += len(orjson.dumps(row, default=str))
        if size > max_bytes:
            return CypherResult(columns=keys, rows=rows, truncated=True)
        rows.append(row)
    return CypherResult(columns=keys, rows=rows, truncated=False)


def to_json(value: Any) -> Any:
    """A driver value as plain JSON data."""
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, Relationship):
        return _relationship(value)
    if isinstance(value, Path):
        return {
            "nodes": [_node(n) for n in value.nodes],
            "relationships": [_relationship(r) for r in value.relationships],
        }
    if isinstance(value, Date | DateTime | Time | Duration):
        return value.iso_format()
    if isinstance(value, Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def _node(node: Node) -> dict[str, Any]:
    encoded = set().union(*(JSON_PROPERTIES.get(label, ()) for label in node.labels))
    return {
        "element_id": node.element_id,
        "labels": sorted(node.labels),
        "properties": {k: _property(v, k in encoded) for k, v in sorted(node.items())},
    }


def _property(value: Any, encoded: bool) -> Any:
    """A node property as JSON data; one the loader stored as a JSON string, parsed back."""
    if encoded and isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:  # written by someone else: as it is
            return value
    return to_json(value)


def _relationship(rel: Relationship) -> dict[str, Any]:
    start, end = rel.start_node, rel.end_node
    return {
        "element_id": rel.element_id,
        "type": rel.type,
        "start": start.element_id if start is not None else None,
        "end": end.element_id if end is not None else None,
        "properties": {k: to_json(v) for k, v in sorted(rel.items())},
    }
