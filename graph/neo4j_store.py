"""The Neo4j store: each primitive is one parameterised read query from graph/queries.py (a
claim listing in a time window is two in one transaction: it counts what the window's index
admits first, see queries.WINDOW_ADMITS).

Answers equal MemoryStore's: the queries find the records, and the few orders Cypher cannot
promise (inside collect()) are fixed here with the same sort keys the memory store uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Record,
    Session,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from stancegraph.graph import queries
from stancegraph.graph.corroboration import Corroboration
from stancegraph.graph.cypher import to_result
from stancegraph.graph.cypher_check import check_plan, check_query_type, check_request, explained, unexplained
from stancegraph.graph.results import (
    ClaimFilter,
    ClaimView,
    CypherResult,
    EntityCounts,
    EntityDetail,
    EntityHit,
    EntityRef,
    GraphLink,
    GraphNode,
    NodeLink,
    PathView,
    SourceView,
    Stance,
    Stats,
)
from stancegraph.graph.search import Candidate, fuzzy_edits, pieces, rank
from stancegraph.graph.store import GraphStore, Missing, StanceSign, missing
from stancegraph.graph.window import TimeWindow
from stancegraph.schema.errors import (
    QueryRejectedError,
    QueryTimeoutError,
    QueryTooLargeError,
    StoreError,
    StoreUnavailableError,
)
from stancegraph.schema.models import (
    ClaimDate,
    Entity,
    EvidenceRecord,
    SeedSet,
    Source,
    Speaker,
    ValidatedClaim,
)
from stancegraph.schema.vocabulary import Vocabulary

Row = dict[str, Any]
CYPHER_MAX_BYTES = 4 * 1024 * 1024


class Neo4jStore(GraphStore):
    """A stance graph loaded into Neo4j by graph/loader.py."""

    kind = "neo4j"
    cypher_max_bytes: int = CYPHER_MAX_BYTES  # JSON bytes run_cypher returns at most

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        vocabulary: Vocabulary | None = None,
        timeout: float = 10.0,
        *,
        owns_driver: bool = False,
        cypher_max_bytes: int = CYPHER_MAX_BYTES,
    ) -> None:
        super().__init__(vocabulary)
        self.driver = driver
        self.database = database
        self.timeout = timeout
        self.cypher_max_bytes = cypher_max_bytes
        self._owns_driver = owns_driver
        # Called before every query; raises StoreUnavailableError to refuse at once (see
        # stancegraph/open.py's Availability: no waiting out timeouts on a server known to be down).
        self.guard: Callable[[], None] | None = None
        self.symmetric = sorted(p.id for p in self.vocabulary.predicates.values() if p.symmetric)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    # --- running queries --------------------------------------------------------------------

    @contextmanager
    def _session(self, timeout: float) -> Iterator[Session]:
        if self.guard is not None:
            self.guard()
        try:
            with open_session(self.driver, self.database, read_only=True) as session:
                yield session
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailableError(f"Neo4j is unavailable: {_brief(exc)}") from exc
        except Neo4jError as exc:
            typed = _typed(exc, timeout)
            if typed is exc:
                raise
            raise typed from exc

    def read(self, text: str, **params: Any) -> list[Record]:
        """The records of one named query (graph/queries.py) in a managed read transaction, with
        the store's session options and timeout. Not for user Cypher: that is run_cypher."""

        @unit_of_work(timeout=self.timeout)
        def work(tx: ManagedTransaction) -> list[Record]:
            return list(tx.run(text, params))

        with self._session(self.timeout) as session:
            return session.execute_read(work)

    def run_cypher(
        self, query: str, params: dict[str, Any], *, timeout: float, row_limit: int
    ) -> CypherResult:
        """Run a user's read-only Cypher query; refuse anything that could write or escape."""
        check_request(query, params)
        try:
            with self._session(timeout) as session:
                try:
                    with session.begin_transaction(timeout=timeout) as tx:
                        summary = tx.run(explained(query), params).consume()
                except ClientError as exc:
                    raise QueryRejectedError(unexplained(exc.message or str(exc))) from exc
                check_query_type(summary.query_type)
                check_plan(summary.plan)
                with session.begin_transaction(timeout=timeout) as tx:
                    result = tx.run(query, params)
                    return to_result(list(result.keys()), result, row_limit, self.cypher_max_bytes)
        except ClientError as exc:
            raise QueryRejectedError(exc.message or str(exc)) from exc
        except DriverError as exc:
            raise QueryRejectedError(str(exc)) from exc

    def ping(self) -> None:
        # A round trip to the server (~1 ms), not a query (~4 ms): health calls it every time.
        try:
            self.driver.verify_connectivity()
        except (DriverError, Neo4jError) as exc:
            raise StoreUnavailableError(f"Neo4j is unavailable: {_brief(exc)}") from exc

    # --- primitives ---------------------------------------------------------------------------

    def _stats(self) -> Stats:
        row = self.read(queries.STATS)[0]
        return Stats(
            store=self.kind,
            entities=row["entities"],
            claims=row["claims"],
            evidence=row["evidence"],
            sources=row["sources"],
            entities_by_kind=dict(sorted(row["kinds"])),
            claims_by_predicate=dict(sorted(row["predicates"])),
        )

    def _has_entity(self, entity_id: str) -> bool:
        return bool(self.read(queries.HAS_ENTITY, id=entity_id)[0]["found"])

    def _entity(self, entity_id: str) -> EntityDetail | None:
        rows = self.read(queries.ENTITY, id=entity_id, symmetric=self.symmetric)
        if not rows:
            return None
        row = rows[0]
        counts = EntityCounts(claims=row["claims"], supporters=row["supporters"], opponents=row["opponents"])
        return EntityDetail(entity=_entity(row["entity"]), counts=counts)

    def _search(
        self, key: str, words: tuple[str, ...], kind: str | None, limit: int, offset: int
    ) -> list[EntityHit]:
        enough = offset + limit

        @unit_of_work(timeout=self.timeout)
        def work(tx: ManagedTransaction) -> tuple[list[Candidate], bool]:
            rows = iter(
                tx.run(queries.SEARCH, key=key, words=list(words), kind=kind, fuzzy=_fuzzy_query(key))
            )
            fuzzy_keys = next(rows)["length"]
            found: list[Candidate] = []
            entities: set[str] = set()
            group: tuple[int, int] | None = None
            for row in rows:
                # Prefix and substring names come a length at a time, word and fuzzy ones all at once:
                # once a group completes the page, later ones rank after it (as in NameIndex).
                now = (row["tier"], row["length"] if row["tier"] < 2 else 0)
                if now != group and len(entities) >= enough:
                    return found, False
                group = now
                found.append(_candidate(row))
                entities.add(found[-1].entity.id)
            return found, fuzzy_keys >= queries.FUZZY_EXPANSIONS  # Lucene may have left some out

        with self._session(self.timeout) as session:
            candidates, incomplete = session.execute_read(work)
        if incomplete:
            edits = fuzzy_edits(key)
            bounds = {"lo": len(key) - edits, "hi": len(key) + edits, "pieces": pieces(key, edits)}
            rows = self.read(queries.SEARCH_FUZZY_PIECES, kind=kind, **bounds)
            candidates += map(_candidate, rows)
        return rank(key, candidates, limit, offset, words)

    def _list_entities(self, kind: str | None, limit: int, after: str | None) -> list[EntityRef]:
        rows = self.read(queries.LIST_ENTITIES, kind=kind, limit=limit, after=after)
        return [EntityRef(**r["entity"]) for r in rows]

    def _stance(self, entity_id: str, sign: StanceSign) -> list[Stance] | Missing:
        rows = self.read(queries.STANCE, id=entity_id, sign=sign, symmetric=self.symmetric)
        if not rows:
            return missing(entity_id)
        stances = [
            Stance(entity=EntityRef(**r["entity"]), claims=_sorted_views(r["claims"]))
            for r in rows
            if r["entity"] is not None
        ]
        return sorted(stances, key=lambda s: s.entity.id)

    def _claims_by_id(self, claim_ids: list[str]) -> list[ClaimView]:
        rows = self.read(queries.CLAIMS_BY_ID, ids=sorted(set(claim_ids)))
        return _sorted_views([r["claim"] for r in rows])

    def _claims(self, flt: ClaimFilter, limit: int, after: str | None) -> list[ClaimView] | Missing:
        query = queries.CLAIMS if flt.conflicted is None else queries.CONFLICTED_CLAIMS
        params = {**flt.model_dump(), "limit": limit, "after": after}
        index = "valid_from" if flt.as_of is not None else "known_from" if flt.known_by is not None else None
        rows = self.read(query, **params) if index is None else self._claims_in_window(index, params)
        found = rows[0]  # always one row at least: whether the filter's entities and source exist
        ends = (
            (flt.subject, found["subject_found"]),
            (flt.object, found["object_found"]),
            (flt.entity, found["entity_found"]),
        )
        entities = [entity_id for entity_id, exists in ends if entity_id is not None and not exists]
        sources = [flt.source] if flt.source is not None and not found["source_found"] else []
        if entities or sources:
            return Missing(entities=frozenset(entities), sources=frozenset(sources))
        return _sorted_views([r["claim"] for r in rows if r["claim"] is not None])

    def _claims_in_window(self, index: str, params: dict[str, Any]) -> list[Record]:
        """A windowed listing's rows: from the window's range index when it admits few claims
        (queries.WINDOW_FEW), else as CLAIMS reads them; both queries in one read transaction."""

        @unit_of_work(timeout=self.timeout)
        def work(tx: ManagedTransaction) -> list[Record]:
            conflicted = params["conflicted"] is not None
            query = queries.CONFLICTED_CLAIMS if conflicted else queries.CLAIMS
            count = tx.run(queries.WINDOW_ADMITS[index], **params, few=queries.WINDOW_FEW)
            if count.single(strict=True)["admitted"] < queries.WINDOW_FEW:
                query = queries.CLAIMS_FROM_WINDOW[(index, conflicted)]
            return list(tx.run(query, params))

        with self._session(self.timeout) as session:
            return session.execute_read(work)

    def _between(self, a: str, b: str) -> list[ClaimView] | Missing:
        rows = self.read(queries.BETWEEN, a=a, b=b)
        if absent := _absent_ends(rows, a, b):
            return absent
        return _sorted_views([r["claim"] for r in rows if r["claim"] is not None])

    def _paths(
        self, a: str, b: str, max_hops: int, limit: int, window: TimeWindow
    ) -> list[PathView] | Missing:
        rows = self.read(queries.PATHS[max_hops], a=a, b=b, limit=limit, **window.model_dump())
        if absent := _absent_ends(rows, a, b):
            return absent
        paths = [
            PathView(
                nodes=[EntityRef(**n) for n in r["nodes"]],
                hops=[_sorted_views(h["claims"]) for h in sorted(r["hops"], key=lambda h: h["i"])],
            )
            for r in rows
            if r["nodes"] is not None
        ]
        return sorted(paths, key=lambda p: [n.id for n in p.nodes])

    def _neighborhood(self, entity_id: str, depth: int, limit: int, window: TimeWindow) -> NodeLink | Missing:
        when = window.model_dump()

        @unit_of_work(timeout=self.timeout)
        def work(tx: ManagedTransaction) -> tuple[list[tuple[str, int]], Record] | None:
            if not tx.run(queries.HAS_ENTITY, id=entity_id).single(strict=True)["found"]:
                return None
            layers, seen = [[entity_id]], {entity_id}
            while len(layers) <= depth and len(seen) <= limit:
                layer = tx.run(
                    queries.NEIGHBOUR_LAYER, frontier=layers[-1], seen=sorted(seen), cap=limit + 1, **when
                )
                ids: list[str] = layer.single(strict=True)["ids"]
                if not ids:
                    break
                layers.append(ids)
                seen.update(ids)
            ordered = [(node, distance) for distance, layer in enumerate(layers) for node in layer]
            kept = ordered[:limit]
            row = tx.run(
                queries.NEIGHBORHOOD,
                kept=[{"id": node, "distance": distance} for node, distance in kept],
                ids=[node for node, _ in kept],
                **when,
            ).single(strict=True)
            return ordered, row

        with self._session(self.timeout) as session:
            answer = session.execute_read(work)
        if answer is None:
            return missing(entity_id)
        ordered, row = answer
        nodes = [
            GraphNode(**{**n, "aliases_by_language": json.loads(n["aliases_by_language"] or "{}")})
            for n in row["nodes"]
        ]
        links = sorted((_link(c) for c in row["links"]), key=lambda link: link.id)
        return NodeLink(
            nodes=sorted(nodes, key=lambda n: (n.distance, n.id)),
            links=links,
            truncated=len(ordered) > limit,
        )

    def _timeline(self, entity_id: str | None, limit: int, window: TimeWindow) -> list[ClaimView] | Missing:
        if entity_id is None:
            rows = self.read(queries.TIMELINE_ALL, limit=limit, **window.model_dump())
        else:
            rows = self.read(queries.TIMELINE_ENTITY, id=entity_id, limit=limit, **window.model_dump())
            if not rows:
                return missing(entity_id)
        return [_view(r["claim"]) for r in rows if r["claim"] is not None]

    def _turning_claims(self, entity_id: str | None) -> list[ClaimView] | Missing:
        if entity_id is None:
            return _sorted_views([r["claim"] for r in self.read(queries.TURNING_ALL)])
        rows = self.read(queries.TURNING_ENTITY, id=entity_id)
        if not rows:
            return missing(entity_id)
        return _sorted_views([r["claim"] for r in rows if r["claim"] is not None])

    def _sources(self, source_id: str | None) -> list[SourceView]:
        rows = self.read(queries.SOURCES, id=source_id)
        return [
            SourceView(source=_source(r["source"]), claims=r["claims"], evidence=r["evidence"]) for r in rows
        ]

    def _sources_by_id(self, source_ids: list[str]) -> dict[str, Source]:
        rows = self.read(queries.SOURCES_BY_ID, ids=source_ids) if source_ids else []
        return {r["source"]["id"]: _source(r["source"]) for r in rows}

    def _source_text(self, source_id: str) -> str | Missing | None:
        row = self.read(queries.SOURCE_TEXT, id=source_id)[0]
        if not row["found"]:
            return Missing(sources=frozenset({source_id}))
        text: str | None = row["text"]
        return text

    def _snapshot(self) -> SeedSet:
        parts: dict[str, list[Row]] = {"source": [], "entity": [], "claim": []}
        for record in self.read(queries.SNAPSHOT):
            parts[record["what"]].append(record["data"])
        texts = {s["id"]: s["text"] for s in parts["source"] if s.get("text") is not None}
        return SeedSet(
            sources=sorted((_source(s) for s in parts["source"]), key=lambda s: s.id),
            entities=sorted((_entity(e) for e in parts["entity"]), key=lambda e: e.id),
            claims=sorted((_claim(c) for c in parts["claim"]), key=lambda c: c.id),
            texts=dict(sorted(texts.items())),
        )


def open_session(driver: Driver, database: str, *, read_only: bool) -> Session:
    """A session with the options every stancegraph session takes (the store's reads, the
    loader's writes): the database named, and no notifications, which the server would otherwise
    compute and send with every answer and the driver log as warnings."""
    return driver.session(
        database=database,
        default_access_mode=READ_ACCESS if read_only else WRITE_ACCESS,
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    )


def open_driver(
    uri: str,
    auth: tuple[str, str] | None,
    *,
    connection_timeout: float,
    acquisition_timeout: float,
    retry_time: float,
) -> Driver:
    """A driver for the server at `uri`. The caller passes the values in (stancegraph/open.py reads them
    from the settings), so the graph layer does not read application settings.

    The timeouts bound how long a request waits on a Neo4j that is down: connecting fails after
    `connection_timeout`, a busy pool after `acquisition_timeout`, and managed reads stop
    retrying after `retry_time`; the API then answers 503 with Retry-After.
    """
    return GraphDatabase.driver(
        uri,
        auth=auth,
        connection_timeout=connection_timeout,
        connection_acquisition_timeout=acquisition_timeout,
        max_transaction_retry_time=retry_time,
    )


# --- helpers ------------------------------------------------------------------------------------


def _timed_out(exc: Neo4jError) -> bool:
    code = exc.code or ""
    return "TransactionTimedOut" in code or code.endswith("Transaction.Terminated")


# Neo4j's codes for a transaction that needed more memory than it may have: the per-transaction
# cap (db.memory.transaction.max), the global pool, and the heap itself.
_MEMORY_CODES = ("MemoryLimit", "MemoryPool", "OutOfMemory")


# Driver 5.x reports a pool that stayed full past the acquisition timeout as a ClientError with no
# server code and this message (6.x raises ConnectionPoolError instead): the store is busy, not
# the query wrong.
_POOL_FULL = "failed to obtain a connection from the pool"


def _typed(exc: Neo4jError, timeout: float) -> Exception:
    """A Neo4j error as the package's typed error; a client error the query caused stays itself."""
    code = exc.code or ""
    if exc.code is None and str(exc).startswith(_POOL_FULL):
        return StoreUnavailableError(f"Neo4j is unavailable: {_brief(exc)}")
    if _timed_out(exc):
        return QueryTimeoutError(f"the query ran longer than {timeout:g} s")
    if any(marker in code for marker in _MEMORY_CODES):
        return QueryTooLargeError(
            "the query needs more memory than the database allows one query; ask for fewer "
            "rows or a smaller neighbourhood"
        )
    if isinstance(exc, AuthError):
        return StoreUnavailableError("Neo4j refused the configured credentials")
    if isinstance(exc, TransientError):  # e.g. the database is still starting
        return StoreUnavailableError(f"Neo4j is unavailable: {_brief(exc)}")
    if isinstance(exc, DatabaseError):
        return StoreError(f"Neo4j failed while answering ({code}); its debug log says why")
    return exc


def _brief(exc: Exception) -> str:
    """The first line of a driver error, without its chained causes."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _absent_ends(rows: list[Record], a: str, b: str) -> Missing | None:
    """From the `a_found` and `b_found` of a query about two entities: which of them do not exist."""
    row = rows[0]  # such queries always answer at least one row
    gone = [entity_id for entity_id, found in ((a, row["a_found"]), (b, row["b_found"])) if not found]
    return missing(*gone) if gone else None


# Characters Lucene's query parser treats as syntax, escaped in a fuzzy query's term.
_LUCENE_SPECIAL = re.compile(r'([+\-!():^\[\]"{}~*?|&/\\\s])')


def _candidate(row: Record) -> Candidate:
    return Candidate(EntityRef(**row["entity"]), row["name"], row["key"])


def _fuzzy_query(key: str) -> str | None:
    """Lucene's fuzzy query for the key with search.fuzzy_edits(key) edits, or None for none."""
    edits = fuzzy_edits(key)
    if not edits:
        return None
    escaped = _LUCENE_SPECIAL.sub(r"\\\1", key)
    return f"{escaped}~{edits}"


def _entity(m: Row) -> Entity:
    return Entity.from_flat(
        {
            **m,
            "properties": json.loads(m.get("properties") or "{}"),
            "aliases_by_language": json.loads(m.get("aliases_by_language") or "{}"),
        }
    )


def _source(m: Row) -> Source:
    """The record of a :Source node's properties (the hash and the text are not the record's)."""
    return Source.model_validate({k: v for k, v in m.items() if k not in ("hash", "text")})


def _evidence(m: Row) -> EvidenceRecord:
    speaker = Speaker(
        type=m["speaker_type"],
        entity=m.get("speaker_entity"),
        name=m.get("speaker_name"),
        via=m.get("speaker_via"),
    )
    return EvidenceRecord(
        id=m["id"],
        source=m["source"],
        quote=m["quote"],
        start=m["start"],
        end=m["end"],
        translation=m.get("translation"),
        speaker=speaker,
        certainty=m["certainty"],
        date=_date(m) if m.get("date_precision") is not None else None,
        values=json.loads(m.get("values") or "{}"),
        status=m.get("status"),
    )


def _date(m: Row) -> ClaimDate:
    return ClaimDate(value=m.get("date"), precision=m["date_precision"], wording=m.get("date_wording"))


def _evidence_list(items: list[Row]) -> list[EvidenceRecord]:
    return sorted((_evidence(e) for e in items), key=lambda e: (e.source, e.start, e.id))


def _claim_fields(m: Row) -> dict[str, Any]:
    return {
        "id": m["id"],
        "predicate": m["predicate"],
        "polarity": m["polarity"],
        "relationship": m["relationship"],
        "certainty": m["certainty"],
        "qualifiers": json.loads(m.get("qualifiers") or "{}"),
        "date": _date(m),
        "properties": json.loads(m.get("properties") or "{}"),
        "status": m.get("status"),
        "note": m.get("note"),
        "evidence": _evidence_list(m["evidence"]),
        "valid": json.loads(m.get("valid") or "{}"),
    }


def _view(m: Row) -> ClaimView:
    return ClaimView(
        subject=EntityRef(**m["subject_ref"]),
        object=EntityRef(**m["object_ref"]),
        **_claim_fields(m),
        **{field: m.get(field) for field in Corroboration._fields},
    )


def _claim(m: Row) -> ValidatedClaim:
    return ValidatedClaim(subject=m["subject"], object=m["object"], **_claim_fields(m))


def _sorted_views(items: list[Row]) -> list[ClaimView]:
    return sorted((_view(m) for m in items), key=lambda v: v.id)


def _link(m: Row) -> GraphLink:
    return GraphLink(
        id=m["id"],
        source=m["subject"],
        target=m["object"],
        predicate=m["predicate"],
        relationship=m["relationship"],
        polarity=m["polarity"],
        certainty=m["certainty"],
        date=m.get("date"),
        evidence_count=m["evidence_count"],
    )
