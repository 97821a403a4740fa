"""Read-only user Cypher: the checks made before a query runs, and its results as JSON data."""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable
from typing import Any

from neo4j import Record
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time
from pydantic import BaseModel, ConfigDict, Field

from stancegraph.schema.errors import QueryRejectedError

# A string literal, a quoted identifier, or a comment: removed before looking for keywords.
_LITERALS = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/",
    re.DOTALL,
)
# Cypher reads \uXXXX escapes before it finds where strings end (`'\u0027'` is three quotes), so
# they are decoded first, as Java does: a backslash preceded by an even number of backslashes.
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})")
_FORBIDDEN = (
    (re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE), "LOAD CSV is not allowed"),
    (
        re.compile(r"\bIN\s+(?:\S+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE),
        "CALL { ... } IN TRANSACTIONS is not allowed",
    ),
)


# Procedures a read-only query may call: they read the graph or its schema and change nothing.
# Others that Neo4j plans as reads still act on the server (db.stats.collect, db.resampleIndex,
# db.prepareForReplanning, ...), so anything not listed is refused.
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.info",
        "db.ping",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.fulltext.listAvailableAnalyzers",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
    }
)
# Administration commands Neo4j plans as reads: only these SHOW commands are allowed (not SHOW
# TRANSACTIONS or SHOW SETTINGS, which show other clients' queries and the server's config).
READ_COMMANDS = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
_COMMAND = re.compile(r"^(?:Show|Terminate)[A-Z]")
# Operators refused wherever they appear in a plan, however the query spelled them.
_FORBIDDEN_OPERATORS = {
    "LoadCSV": "LOAD CSV is not allowed",
    "TransactionApply": "CALL { ... } IN TRANSACTIONS is not allowed",
    "TransactionForeach": "CALL { ... } IN TRANSACTIONS is not allowed",
}


class CypherResult(BaseModel):
    """Rows of a read-only query; nodes, relationships, paths and temporal values as JSON data."""

    model_config = ConfigDict(frozen=True)

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="True when the query had more rows than the row limit.")


def check_statement(query: str) -> None:
    """Refuse what EXPLAIN cannot tell apart: several statements, LOAD CSV, batched writes."""
    decoded = _UNICODE_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), query)
    code = _LITERALS.sub(" ", decoded)
    if not code.strip():
        raise QueryRejectedError("the query is empty")
    head, _, tail = code.partition(";")
    if tail.strip() or not head.strip():
        raise QueryRejectedError("only one statement is allowed (remove the ';')")
    for pattern, message in _FORBIDDEN:
        if pattern.search(code):
            raise QueryRejectedError(message)


def check_query_type(query_type: str | None) -> None:
    """Refuse any query that EXPLAIN does not plan as read-only ('r')."""
    if query_type != "r":
        kind = {"rw": "reads and writes", "w": "writes", "s": "changes the schema"}.get(
            query_type or "", "is not read-only"
        )
        raise QueryRejectedError(f"only read-only queries are allowed; this query {kind}")


def check_plan(plan: dict[str, Any] | None) -> None:
    """Refuse a read-only plan that loads CSV, batches transactions, or calls a procedure or runs a
    command outside the allow-lists: the plan is what Neo4j will run, whatever the text looked like."""
    pending = [plan] if plan else []
    while pending:
        step = pending.pop()
        operator = str(step.get("operatorType", "")).split("@", 1)[0]
        if operator in _FORBIDDEN_OPERATORS:
            raise QueryRejectedError(_FORBIDDEN_OPERATORS[operator])
        if operator == "ProcedureCall":
            details = str(step.get("args", {}).get("Details", ""))
            name = details.split("(", 1)[0].strip().strip("`")
            if name not in READ_PROCEDURES:
                raise QueryRejectedError(f"procedure {name or details!r} is not allowed in read-only queries")
        elif _COMMAND.match(operator) and operator not in READ_COMMANDS:
            raise QueryRejectedError(f"the command {operator} is not allowed in read-only queries")
        pending.extend(step.get("children", []))


def to_result(keys: list[str], records: Iterable[Record], row_limit: int) -> CypherResult:
    rows: list[dict[str, Any]] = []
    truncated = False
    for record in records:
        if len(rows) == row_limit:
            truncated = True
            break
        rows.append({key: to_json(record[key]) for key in keys})
    return CypherResult(columns=keys, rows=rows, truncated=truncated)


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
    return {
        "element_id": node.element_id,
        "labels": sorted(node.labels),
        "properties": {k: to_json(v) for k, v in sorted(node.items())},
    }


def _relationship(rel: Relationship) -> dict[str, Any]:
    start, end = rel.start_node, rel.end_node
    return {
        "element_id": rel.element_id,
        "type": rel.type,
        "start": start.element_id if start is not None else None,
        "end": end.element_id if end is not None else None,
        "properties": {k: to_json(v) for k, v in sorted(rel.items())},
    }
