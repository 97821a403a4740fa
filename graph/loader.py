"""Load a validated SeedSet into Neo4j, so the database's stancegraph nodes equal the seeds.

Idempotent and restartable: every record is MERGEd by id and carries a content hash, only rows
whose hash differs are written, and a final pass deletes what the seeds no longer hold. A load
stopped half-way and run again ends with exactly the graph of a clean load. Nodes without our
labels are never touched (docs/neo4j.md describes the shape).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Session

from stancegraph.graph import queries
from stancegraph.graph.conflicts import conflict_kinds
from stancegraph.graph.corroboration import corroboration
from stancegraph.graph.neo4j_store import open_session
from stancegraph.graph.search import normalize
from stancegraph.graph.window import (
    held_span,
    known_from,
    timeline_key,
    valid_from,
    valid_until,
    was_reversed,
)
from stancegraph.schema.canonical import canonical_json, content_hash
from stancegraph.schema.models import ClaimDate, Entity, SeedSet, Source, ValidatedClaim
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary

T = TypeVar("T")
Progress = Callable[[str, int, int], None]
Row = dict[str, Any]
RECORD_TYPES = ("source", "entity", "claim")
NAME_FORMAT = 4  # bump when name rows or keys change (4: traditional Chinese keyed as simplified)
_LABELS = {"source": "Source", "entity": "Entity", "claim": "Claim"}
_DELETES = {
    "source": queries.DELETE_SOURCES,
    "entity": queries.DELETE_ENTITIES,
    "claim": queries.DELETE_CLAIMS,
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class LoadReport:
    """What a load did, per record type (source, entity, claim), and how long it took."""

    counts: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in RECORD_TYPES})
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())


@dataclass
class _Plan:
    """Rows to create (ids not in the database), to update (changed) and ids to delete."""

    creates: list[Row]
    updates: list[Row]
    deletes: list[str]


def load(
    driver: Driver,
    seeds: SeedSet,
    *,
    database: str = "neo4j",
    batch_size: int = 1000,
    vocabulary: Vocabulary | None = None,
    on_progress: Progress | None = None,
) -> LoadReport:
    """Make the database's stancegraph graph equal `seeds` (already validated)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    vocab = vocabulary or load_vocabulary()
    started = time.perf_counter()
    report = LoadReport()
    loader = _Loader(driver, database, batch_size, on_progress or _quiet)
    loader.ensure_schema()
    source_by_id = {s.id: s for s in seeds.sources}
    rows = {
        "source": [source_row(s, seeds.texts.get(s.id)) for s in seeds.sources],
        "entity": [entity_row(e, vocab) for e in seeds.entities],
        "claim": [claim_row(c, vocab, source_by_id) for c in seeds.claims],
    }
    # The claim writes read the direct relationship's type from the row: only the vocabulary's.
    rel_types = {queries.check_rel_type(p.neo4j) for p in vocab.predicates.values()}
    for row in rows["claim"]:
        if row["rel_type"] not in rel_types:
            raise ValueError(f"{row['rel_type']!r} is not a relationship type of the vocabulary")
    plans = {kind: loader.plan(kind, rows[kind], report.counts[kind]) for kind in RECORD_TYPES}
    sources = plans["source"]
    loader.write("sources", sources.creates + sources.updates, lambda _: queries.WRITE_SOURCES)
    kind_labels = [k.neo4j for k in vocab.kinds.values()]
    # New records get plain CREATE queries (nothing to clean up, no upsert work per row);
    # changed ones the full upsert. The plan read the database first, so a rerun of a load that
    # stopped half-way creates only what is still missing.
    entities = plans["entity"]
    loader.write("entities", entities.creates, lambda row: queries.entity_create_query(row["label"]))
    loader.write(
        "entities", entities.updates, lambda row: queries.entity_write_query(row["label"], kind_labels)
    )
    # Claims: one query for every predicate (the row carries its relationship type, one of the
    # vocabulary's), so one plan and full batches.
    claims = plans["claim"]
    loader.write("claims", claims.creates, lambda _: queries.CREATE_CLAIMS)
    loader.write("claims", claims.updates, lambda _: queries.WRITE_CLAIMS)
    for kind in reversed(RECORD_TYPES):  # claims first, then what they pointed at
        loader.delete(kind, plans[kind].deletes)
    loader.run_write(queries.DELETE_ORPHANS, {})
    report.seconds = time.perf_counter() - started
    return report


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


class _Loader:
    def __init__(self, driver: Driver, database: str, batch_size: int, on_progress: Progress) -> None:
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.on_progress = on_progress

    def _session(self) -> Session:
        return open_session(self.driver, self.database, read_only=False)

    def run_write(self, text: str, params: dict[str, Any]) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(text, params).consume()

        with self._session() as session:
            session.execute_write(work)

    def ensure_schema(self) -> None:
        self.on_progress("schema", 0, len(queries.SCHEMA))
        with self._session() as session:
            for done, statement in enumerate(queries.SCHEMA, start=1):
                session.run(statement).consume()
                self.on_progress("schema", done, len(queries.SCHEMA))
            session.run(queries.AWAIT_INDEXES).consume()

    def existing(self, kind: str) -> dict[str, str | None]:
        def work(tx: ManagedTransaction) -> dict[str, str | None]:
            result = tx.run(queries.EXISTING_HASHES[_LABELS[kind]])
            return {record["id"]: record["hash"] for record in result}

        with self._session() as session:
            return session.execute_read(work)

    def plan(self, kind: str, rows: list[Row], counts: Counts) -> _Plan:
        current = self.existing(kind)
        creates: list[Row] = []
        updates: list[Row] = []
        for row in rows:
            ident, digest = row["props"]["id"], row["props"]["hash"]
            if ident not in current:
                counts.created += 1
                creates.append(row)
            elif current[ident] != digest:
                counts.updated += 1
                updates.append(row)
            else:
                counts.unchanged += 1
        wanted = {row["props"]["id"] for row in rows}
        deletes = sorted(i for i in current if i not in wanted)
        counts.deleted = len(deletes)
        return _Plan(creates, updates, deletes)

    def write(self, stage: str, rows: list[Row], query_for: Callable[[Row], str]) -> None:
        groups: dict[str, list[Row]] = {}
        for row in rows:
            groups.setdefault(query_for(row), []).append(row)
        done = 0
        self.on_progress(stage, done, len(rows))
        for text, group in groups.items():
            for batch in _batches(group, self.batch_size):
                self.run_write(text, {"rows": [_payload(row) for row in batch]})
                done += len(batch)
                self.on_progress(stage, done, len(rows))

    def delete(self, kind: str, ids: list[str]) -> None:
        stage = f"delete {kind}s"
        self.on_progress(stage, 0, len(ids))
        for done, batch in enumerate(_batches(ids, self.batch_size), start=1):
            self.run_write(_DELETES[kind], {"ids": batch})
            self.on_progress(stage, min(done * self.batch_size, len(ids)), len(ids))


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _payload(row: Row) -> Row:
    """What a write query receives: the row without the loader's routing key (an entity's label
    picks its query; a claim's relationship type is read by the query itself)."""
    return {k: v for k, v in row.items() if k != "label"}


# --- rows -------------------------------------------------------------------------------------------


def _as_json(label: str, props: Row) -> Row:
    """`props` with the queries.JSON_PROPERTIES of `label` encoded (None stays None: no property). Neo4j
    holds no maps, so these are stored as canonical JSON strings."""
    names = queries.JSON_PROPERTIES[label]
    return {k: canonical_json(v) if k in names and v is not None else v for k, v in props.items()}


def source_row(source: Source, text: str | None) -> Row:
    """A source with its captured text (so the store serves texts without the seed files). The
    record's sha256 pins the text, so the hash says only whether the text is there."""
    data = source.model_dump(mode="json")
    digest = content_hash({"record": data, "text": text is not None})
    return {"props": {**data, "text": text, "hash": digest}}


def entity_row(entity: Entity, vocabulary: Vocabulary) -> Row:
    data = entity.model_dump(mode="json")
    label = vocabulary.kinds[entity.kind].neo4j
    flat = entity.flat()
    props = _as_json(
        "Entity", {**flat, "hash": content_hash({"record": data, "label": label, "names": NAME_FORMAT})}
    )
    names = [name_row(n) for n in entity.all_names()]
    return {"label": label, "props": props, "names": [n for n in names if n["key"]]}


def name_row(name: str) -> Row:
    key = normalize(name)
    return {"name": name, "key": key, "length": len(key)}


def date_props(when: ClaimDate | None) -> Row:
    """A date as node properties: as written, its precision and wording, and the first and last
    day it may denote (Neo4j dates, for Cypher range filters)."""
    if when is None:
        return dict.fromkeys(("date", "date_precision", "date_wording", "date_start", "date_end"))
    bounds = when.bounds()  # None for an unknown date, which may still have its wording
    return {
        "date": when.value,
        "date_precision": when.precision,
        "date_wording": when.wording,
        "date_start": bounds[0] if bounds else None,
        "date_end": bounds[1] if bounds else None,
    }


def time_props(claim: ValidatedClaim, sources: Mapping[str, Source]) -> Row:
    """What the time windows' indexes read (graph.window.admits, timeline_key), as Neo4j dates:
    the first day the claim may have held, the last it may have stopped on, its place in a
    timeline, its first publication, and whether a later claim reversed it (switches); and, for
    people, when it held as its dates are written (`held`, which Browser's captions show)."""
    return {
        "valid_from": valid_from(claim.valid),
        "valid_until": valid_until(claim.valid),
        "held": held_span(claim.valid),
        "valid_order": timeline_key(claim.valid)[0] if claim.valid.held else None,
        "known_from": known_from((ev.source for ev in claim.evidence), sources),
        "reversed": was_reversed(claim.valid),
    }


def claim_row(claim: ValidatedClaim, vocabulary: Vocabulary, sources: Mapping[str, Source]) -> Row:
    data = claim.model_dump(mode="json")
    predicate = vocabulary.predicates[claim.predicate]
    # Derived from the claim's sources, so a claim is rewritten when one of its sources changes.
    corroborated = corroboration((ev.source for ev in claim.evidence), sources)._asdict()
    conflicts = conflict_kinds(claim.evidence, sources, lasting=predicate.lasting)
    props = {
        "id": claim.id,
        "subject": claim.subject,
        "predicate": claim.predicate,
        "object": claim.object,
        "polarity": claim.polarity,
        "relationship": claim.relationship,
        "certainty": claim.certainty,
        "symmetric": predicate.symmetric,
        "qualifiers": data["qualifiers"],
        "properties": data["properties"],
        "note": claim.note,
        "status": claim.status,
        **date_props(claim.date),
        **time_props(claim, sources),
        "valid": data["valid"],
        "evidence_count": len(claim.evidence),
        **corroborated,
        "conflicts": conflicts,
        "hash": content_hash(
            {
                "record": data,
                "type": predicate.neo4j,
                "symmetric": predicate.symmetric,
                "corroboration": corroborated,
                "conflicts": conflicts,
                # Derived like the two above: a graph loaded before `held` existed gets it.
                "held": held_span(claim.valid),
            }
        ),
    }
    props = _as_json("Claim", props)
    rel = {
        key: props[key]
        for key in (
            "predicate",
            "polarity",
            "certainty",
            "status",
            "date",
            "date_precision",
            "evidence_count",
            "symmetric",
            "sources",
            "independent",
            "outlets",
            "conflicts",
            "valid_from",
            "valid_until",
            "held",
            "known_from",
        )
    }
    evidence = [
        {
            "id": ev.id,
            "claim": claim.id,
            "source": ev.source,
            "quote": ev.quote,
            "start": ev.start,
            "end": ev.end,
            "translation": ev.translation,
            "speaker_type": ev.speaker.type,
            "speaker_entity": ev.speaker.entity,
            "speaker_name": ev.speaker.name,
            "speaker_via": ev.speaker.via,
            "certainty": ev.certainty,
            "status": ev.status,
            **date_props(ev.date),
            "values": {k: v.model_dump(mode="json") for k, v in ev.values.items()} if ev.values else None,
        }
        for ev in claim.evidence
    ]
    evidence = [_as_json("Evidence", row) for row in evidence]
    return {
        "rel_type": predicate.neo4j,
        "props": props,
        "rel": {"claim_id": claim.id, **rel},
        "conflicted": bool(conflicts),
        "evidence": evidence,
    }
