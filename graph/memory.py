"""The embedded store: the whole graph in compact in-memory tables, no database needed.

Claims and their evidence are kept as slotted records (PackedClaim, PackedEvidence: no per-record
dict, fields read by name) of shared (interned) strings and shared frozen values (speakers,
dates); pydantic views are built only for what a query returns. Each entity has
its outgoing and incoming claims as lists, so every query costs what its answer and the degrees it
walks cost, not the size of the graph (see docs/benchmarks.md).
"""

from __future__ import annotations

import bisect
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from stancegraph.graph.conflicts import conflict_kinds
from stancegraph.graph.corroboration import corroboration
from stancegraph.graph.results import (
    ClaimFilter,
    ClaimView,
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
from stancegraph.graph.search import NameIndex, rank
from stancegraph.graph.store import GraphStore, Missing, StanceSign, missing
from stancegraph.graph.window import (
    TimeWindow,
    admits,
    known_from,
    timeline_key,
    valid_from,
    valid_until,
    was_reversed,
)
from stancegraph.schema.models import (
    ClaimDate,
    EvidenceRecord,
    SeedSet,
    Source,
    Speaker,
    ValidatedClaim,
    Validity,
    evidence_id,
)
from stancegraph.schema.vocabulary import Vocabulary

Day = date  # PackedClaim has a field named `date`


@dataclass(slots=True, eq=False)
class Asserted:
    """What one source asserts about a claim (kept only when it asserts something)."""

    date: ClaimDate | None
    values: dict[str, Any]
    status: str | None


@dataclass(slots=True, eq=False)
class PackedEvidence:
    """An evidence record; `end` is start + len(quote), as validation checked, so it is not kept.

    The packed records are slotted dataclasses rather than NamedTuples: a slotted instance is
    8 bytes smaller than a tuple of its fields and 16 smaller than a NamedTuple (a tuple subclass
    is allocated with a spare slot), and a slot is read as fast as a tuple index, twice as fast
    as a NamedTuple field. eq=False: nothing compares them by value.
    """

    id: str | None  # None when it is the derived one (evidence_id of claim, source, quote)
    source: str
    quote: bytes  # UTF-8: a third to half the bytes of a str of CJK text
    start: int
    translation: bytes | None  # UTF-8
    speaker: Speaker
    certainty: str
    asserted: Asserted | None


@dataclass(slots=True, eq=False)
class PackedClaim:
    """A claim, its strings interned and its values shared; evidence already in the served order
    (source, start, id)."""

    id: str
    subject: str
    predicate: str
    object: str
    polarity: int
    relationship: str
    certainty: str
    qualifiers: dict[str, str]
    date: ClaimDate
    properties: dict[str, Any]
    note: str | None
    evidence: tuple[PackedEvidence, ...]
    status: str | None
    valid: Validity
    # What the time windows' prefilter reads (graph.window.admits): the first day it may have
    # held, the last it may have stopped on (None: holds), its first publication.
    first: Day | None
    until: Day | None
    known_from: Day | None


_EMPTY: dict[str, Any] = {}
_NOTHING_ASSERTED = Asserted(None, _EMPTY, None)


class MemoryStore(GraphStore):
    """Claims are kept by id and in each end's adjacency lists; entities by id."""

    kind = "memory"

    def __init__(self, seeds: SeedSet, vocabulary: Vocabulary | None = None) -> None:
        super().__init__(vocabulary)
        self._entity_by_id = {e.id: e for e in sorted(seeds.entities, key=lambda e: e.id)}
        self._refs = {e.id: EntityRef.of(e) for e in self._entity_by_id.values()}
        self._entity_ids = list(self._entity_by_id)
        self._source_by_id = {s.id: s for s in sorted(seeds.sources, key=lambda s: s.id)}
        self._texts = {ident: text for ident, text in seeds.texts.items() if ident in self._source_by_id}
        self._out: dict[str, list[PackedClaim]] = {e: [] for e in self._entity_by_id}
        self._in: dict[str, list[PackedClaim]] = {e: [] for e in self._entity_by_id}
        packer = _Packer(self._entity_by_id, self._source_by_id)
        claims = sorted((packer.claim(c) for c in seeds.claims), key=lambda c: c.id)
        self._claim_by_id: dict[str, PackedClaim] = {c.id: c for c in claims}
        self._claim_ids = [c.id for c in claims]
        for claim in claims:
            self._out[claim.subject].append(claim)
            self._in[claim.object].append(claim)
        # The kinds of disagreement among each claim's sources, for the claims that have any (a
        # disagreement needs two records that assert something, or one date's wording).
        self._conflicts: dict[str, list[str]] = {}
        for claim in claims:
            asserted = [e.asserted for e in claim.evidence if e.asserted is not None]
            worded = any(a.date is not None and a.date.wording for a in asserted)
            lasting = self._lasting(claim.predicate)
            if (len(asserted) > 1 or worded) and (
                kinds := conflict_kinds(_evidence(claim), self._source_by_id, lasting=lasting)
            ):
                self._conflicts[claim.id] = list(kinds)
        self._conflicted_ids = sorted(self._conflicts)
        # The pairs of entities on which a stance was reversed (schema.validtime), with every
        # claim between them: what `switches` reads, so it costs the pairs, not the graph.
        turned = {frozenset((c.subject, c.object)) for c in claims if was_reversed(c.valid)}
        self._turning: dict[str, list[PackedClaim]] = {}
        for claim in claims:
            if frozenset((claim.subject, claim.object)) in turned:
                self._turning.setdefault(claim.subject, []).append(claim)
                self._turning.setdefault(claim.object, []).append(claim)
        self._names = NameIndex(self._entity_by_id.values(), self._refs)
        self._timeline_order = sorted(claims, key=_timeline_key)
        # The time windows' indexes (graph.window.admits): claims by the first day they may have
        # held and by their first publication, so a listing in a window few claims are in reads
        # those, not every id.
        self._by_first = sorted((c for c in claims if c.first is not None), key=_first)
        self._by_known = sorted((c for c in claims if c.known_from is not None), key=_known_from)
        self._source_counts: dict[str, tuple[int, int]] = {}
        for claim in claims:
            per_source = Counter(e.source for e in claim.evidence)
            for source_id, hits in per_source.items():
                count, evidence = self._source_counts.get(source_id, (0, 0))
                self._source_counts[source_id] = (count + 1, evidence + hits)
        self._stats_cached = Stats(
            store=self.kind,
            entities=len(self._entity_by_id),
            claims=len(claims),
            evidence=sum(len(c.evidence) for c in claims),
            sources=len(self._source_by_id),
            entities_by_kind=dict(sorted(Counter(e.kind for e in self._entity_by_id.values()).items())),
            claims_by_predicate=dict(sorted(Counter(c.predicate for c in claims).items())),
        )

    # --- helpers ----------------------------------------------------------------------------

    def _view(self, claim: PackedClaim) -> ClaimView:
        return ClaimView(
            id=claim.id,
            subject=self._refs[claim.subject],
            object=self._refs[claim.object],
            **_fields(claim),
            # Derived when a claim is viewed (a few evidence records), not kept per claim.
            **corroboration((e.source for e in claim.evidence), self._source_by_id)._asdict(),
        )

    def _incident(self, entity_id: str) -> Iterator[PackedClaim]:
        yield from self._in[entity_id]
        yield from self._out[entity_id]

    def _neighbours(self, entity_id: str) -> set[str]:
        return {c.subject for c in self._in[entity_id]} | {c.object for c in self._out[entity_id]}

    def _neighbours_in(self, window: TimeWindow) -> Callable[[str], set[str]]:
        """`_neighbours` over the claims the window admits (graph.window.admits)."""
        if window.empty():
            return self._neighbours

        def neighbours(entity_id: str) -> set[str]:
            found = {c.subject for c in self._in[entity_id] if _admitted(c, window)}
            return found | {c.object for c in self._out[entity_id] if _admitted(c, window)}

        return neighbours

    # --- primitives ---------------------------------------------------------------------------

    def _stats(self) -> Stats:
        return self._stats_cached.model_copy(deep=True)

    def _has_entity(self, entity_id: str) -> bool:
        return entity_id in self._entity_by_id

    def _absent(self, *entity_ids: str) -> Missing | None:
        gone = [e for e in entity_ids if e not in self._entity_by_id]
        return missing(*gone) if gone else None

    def _entity(self, entity_id: str) -> EntityDetail | None:
        entity = self._entity_by_id.get(entity_id)
        if entity is None:
            return None
        counts = EntityCounts(
            claims=len(self._in[entity_id]) + len(self._out[entity_id]),
            supporters=len(self._stance_groups(entity_id, 1)),
            opponents=len(self._stance_groups(entity_id, -1)),
        )
        return EntityDetail(entity=entity, counts=counts)

    def _search(
        self, key: str, words: tuple[str, ...], kind: str | None, limit: int, offset: int
    ) -> list[EntityHit]:
        wanted = None if kind is None else (lambda ref: ref.kind == kind)
        found = self._names.candidates(key, words=words, enough=offset + limit, wanted=wanted)
        return rank(key, found, limit, offset, words)

    def _list_entities(self, kind: str | None, limit: int, after: str | None) -> list[EntityRef]:
        start = 0 if after is None else bisect.bisect_right(self._entity_ids, after)
        out: list[EntityRef] = []
        for entity_id in self._entity_ids[start:]:
            ref = self._refs[entity_id]
            if kind is None or ref.kind == kind:
                out.append(ref)
                if len(out) == limit:
                    break
        return out

    def _stance_groups(self, entity_id: str, sign: StanceSign) -> dict[str, list[PackedClaim]]:
        groups: dict[str, list[PackedClaim]] = {}
        for claim in self._in[entity_id]:
            if claim.polarity == sign:
                groups.setdefault(claim.subject, []).append(claim)
        for claim in self._out[entity_id]:
            if claim.polarity == sign and claim.predicate in self._symmetric:
                groups.setdefault(claim.object, []).append(claim)
        return groups

    def _stance(self, entity_id: str, sign: StanceSign) -> list[Stance] | Missing:
        if absent := self._absent(entity_id):
            return absent
        groups = self._stance_groups(entity_id, sign)
        return [
            Stance(entity=self._refs[other], claims=[self._view(c) for c in sorted(claims, key=_claim_id)])
            for other, claims in sorted(groups.items())
        ]

    def _claims_by_id(self, claim_ids: list[str]) -> list[ClaimView]:
        return [self._view(self._claim_by_id[i]) for i in sorted(set(claim_ids)) if i in self._claim_by_id]

    def _claims(self, flt: ClaimFilter, limit: int, after: str | None) -> list[ClaimView] | Missing:
        ends = (flt.subject, flt.object, flt.entity)
        entities = [e for e in ends if e is not None and e not in self._entity_by_id]
        sources = [s for s in (flt.source,) if s is not None and s not in self._source_by_id]
        if entities or sources:
            return Missing(entities=frozenset(entities), sources=frozenset(sources))
        if flt.subject is not None:
            pool: Iterable[PackedClaim] = sorted(self._out[flt.subject], key=_claim_id)
        elif flt.object is not None:
            pool = sorted(self._in[flt.object], key=_claim_id)
        elif flt.entity is not None:
            pool = sorted(self._incident(flt.entity), key=_claim_id)  # never both ends
        else:
            ids = self._conflicted_ids if flt.conflicted is not None else self._claim_ids
            few = self._few_in_window(flt, limit, len(ids))
            if few is not None:
                pool = few
            else:
                start = 0 if after is None else bisect.bisect_right(ids, after)
                pool = (self._claim_by_id[i] for i in ids[start:])
        window = TimeWindow(as_of=flt.as_of, known_by=flt.known_by)
        out: list[ClaimView] = []
        for claim in pool:
            if (
                (after is None or claim.id > after)
                and _matches(claim, flt, window)
                and self._sourced(claim, flt)
            ):
                out.append(self._view(claim))
                if len(out) == limit:
                    break
        return out

    def _few_in_window(self, flt: ClaimFilter, limit: int, scanned: int) -> list[PackedClaim] | None:
        """The claims the filter's window admits by the time indexes, by id, when they are few:
        k of them cost about k to sort, and a scan of the `scanned` ids finds a page's `limit` in
        about limit * scanned / k; so below k = sqrt(limit * scanned) they are read. Else None."""
        found: list[tuple[list[PackedClaim], int]] = []
        if flt.as_of is not None:
            found.append((self._by_first, bisect.bisect_right(self._by_first, flt.as_of, key=_first)))
        if flt.known_by is not None:
            found.append((self._by_known, bisect.bisect_right(self._by_known, flt.known_by, key=_known_from)))
        if not found:
            return None
        index, count = min(found, key=lambda item: item[1])
        if count * count > limit * scanned:
            return None
        return sorted(index[:count], key=_claim_id)

    def _sourced(self, claim: PackedClaim, flt: ClaimFilter) -> bool:
        """The filters that need the store: an outlet among the sources', a disagreement."""
        if flt.outlet is not None and all(
            self._source_by_id[e.source].outlet != flt.outlet for e in claim.evidence
        ):
            return False
        if flt.conflicted is not None:
            kinds = self._conflicts.get(claim.id, [])
            return bool(kinds) if flt.conflicted == "any" else flt.conflicted in kinds
        return True

    def _sources_by_id(self, source_ids: list[str]) -> dict[str, Source]:
        return {s: self._source_by_id[s] for s in source_ids if s in self._source_by_id}

    def _between_claims(self, a: str, b: str, window: TimeWindow | None = None) -> list[PackedClaim]:
        """Claims between a and b (that the window admits), found from the end with fewer claims."""
        if len(self._in[a]) + len(self._out[a]) > len(self._in[b]) + len(self._out[b]):
            a, b = b, a
        found = [c for c in self._out[a] if c.object == b]
        found += [c for c in self._in[a] if c.subject == b]
        return sorted((c for c in found if _admitted(c, window)), key=_claim_id)

    def _between(self, a: str, b: str) -> list[ClaimView] | Missing:
        if absent := self._absent(a, b):
            return absent
        return [self._view(c) for c in self._between_claims(a, b)]

    def _paths(
        self, a: str, b: str, max_hops: int, limit: int, window: TimeWindow
    ) -> list[PathView] | Missing:
        if absent := self._absent(a, b):
            return absent
        out: list[PathView] = []
        for nodes in _first_shortest(self._neighbours_in(window), a, b, max_hops, limit):
            hops = [[self._view(c) for c in self._between_claims(x, y, window)] for x, y in pairwise(nodes)]
            out.append(PathView(nodes=[self._refs[n] for n in nodes], hops=hops))
        return out

    def _neighborhood(self, entity_id: str, depth: int, limit: int, window: TimeWindow) -> NodeLink | Missing:
        if absent := self._absent(entity_id):
            return absent
        ball = _Ball(entity_id)
        neighbours = self._neighbours_in(window)
        for _ in range(depth):
            ball.expand(neighbours)
        distance = ball.distance
        ordered = sorted(distance, key=lambda n: (distance[n], n))
        kept = set(ordered[:limit])
        nodes = [GraphNode.of(self._entity_by_id[n], distance[n]) for n in ordered[:limit]]
        links = sorted(
            (
                _link(claim)
                for n in kept
                for claim in self._out[n]
                if claim.object in kept and _admitted(claim, window)
            ),
            key=lambda link: link.id,
        )
        return NodeLink(nodes=nodes, links=links, truncated=len(ordered) > limit)

    def _timeline(self, entity_id: str | None, limit: int, window: TimeWindow) -> list[ClaimView] | Missing:
        if entity_id is None:
            chosen: Iterable[PackedClaim] = self._timeline_order
        elif absent := self._absent(entity_id):
            return absent
        else:
            chosen = sorted({c.id: c for c in self._incident(entity_id)}.values(), key=_timeline_key)
        out: list[ClaimView] = []
        for claim in chosen:
            if _admitted(claim, window):
                out.append(self._view(claim))
                if len(out) == limit:
                    break
        return out

    def _turning_claims(self, entity_id: str | None) -> list[ClaimView] | Missing:
        if entity_id is None:
            chosen: Iterable[PackedClaim] = {c.id: c for cs in self._turning.values() for c in cs}.values()
        elif absent := self._absent(entity_id):
            return absent
        else:
            chosen = self._turning.get(entity_id, [])
        return [self._view(c) for c in sorted(set(chosen), key=_claim_id)]

    def _sources(self, source_id: str | None) -> list[SourceView]:
        chosen = (
            list(self._source_by_id.values())
            if source_id is None
            else [self._source_by_id[source_id]]
            if source_id in self._source_by_id
            else []
        )
        out: list[SourceView] = []
        for source in chosen:
            claims, evidence = self._source_counts.get(source.id, (0, 0))
            out.append(SourceView(source=source, claims=claims, evidence=evidence))
        return out

    def _source_text(self, source_id: str) -> str | Missing | None:
        if source_id not in self._source_by_id:
            return Missing(sources=frozenset({source_id}))
        return self._texts.get(source_id)

    def _snapshot(self) -> SeedSet:
        return SeedSet(
            sources=list(self._source_by_id.values()),
            entities=list(self._entity_by_id.values()),
            claims=[_validated(c) for c in self._claim_by_id.values()],
            texts=dict(sorted(self._texts.items())),
        )


class _Packer:
    """Turns validated claims into tuples that share every repeated string and value."""

    def __init__(self, entities: dict[str, Any], sources: dict[str, Source]) -> None:
        self.ids = {i: i for i in entities}
        self.values: dict[Any, Any] = {}
        self.sources = sources

    def share(self, value: Any) -> Any:
        return self.values.setdefault(value, value)

    def claim(self, c: ValidatedClaim) -> PackedClaim:
        if any(e.end != e.start + len(e.quote) for e in c.evidence):
            raise ValueError(f"claim {c.id}: evidence whose end is not start + len(quote)")
        evidence = tuple(
            PackedEvidence(
                id=None if e.id == evidence_id(c.id, e.source, e.quote) else e.id,
                source=sys.intern(e.source),
                quote=e.quote.encode(),
                start=e.start,
                translation=None if e.translation is None else e.translation.encode(),
                speaker=self.share(e.speaker),
                certainty=sys.intern(e.certainty),
                asserted=self.asserted(e),
            )
            for e in sorted(c.evidence, key=lambda e: (e.source, e.start, e.id))
        )
        return PackedClaim(
            id=c.id,
            subject=self.ids[c.subject],
            predicate=sys.intern(c.predicate),
            object=self.ids[c.object],
            polarity=c.polarity,
            relationship=sys.intern(c.relationship),
            certainty=sys.intern(c.certainty),
            qualifiers=c.qualifiers or _EMPTY,
            date=self.share(c.date),
            properties=c.properties or _EMPTY,
            note=c.note,
            evidence=evidence,
            status=c.status,
            valid=c.valid,
            first=self.share(valid_from(c.valid)),
            until=self.share(valid_until(c.valid)),
            known_from=self.share(known_from((e.source for e in evidence), self.sources)),
        )

    def asserted(self, e: EvidenceRecord) -> Asserted | None:
        if e.date is None and not e.values and e.status is None:
            return None
        return Asserted(None if e.date is None else self.share(e.date), e.values or _EMPTY, e.status)


def _evidence(claim: PackedClaim) -> list[EvidenceRecord]:
    out: list[EvidenceRecord] = []
    for ev in claim.evidence:
        quote = ev.quote.decode()
        asserted = ev.asserted or _NOTHING_ASSERTED
        out.append(
            EvidenceRecord(
                id=evidence_id(claim.id, ev.source, quote) if ev.id is None else ev.id,
                source=ev.source,
                quote=quote,
                start=ev.start,
                end=ev.start + len(quote),
                translation=None if ev.translation is None else ev.translation.decode(),
                speaker=ev.speaker,
                certainty=ev.certainty,
                date=asserted.date,
                values=asserted.values,
                status=asserted.status,
            )
        )
    return out


def _validated(claim: PackedClaim) -> ValidatedClaim:
    return ValidatedClaim(id=claim.id, subject=claim.subject, object=claim.object, **_fields(claim))


def _fields(claim: PackedClaim) -> dict[str, Any]:
    """What a claim view and a claim record share: everything but the id and the two ends."""
    return {
        "predicate": claim.predicate,
        "polarity": claim.polarity,
        "relationship": claim.relationship,
        "certainty": claim.certainty,
        "qualifiers": claim.qualifiers,
        "date": claim.date,
        "properties": claim.properties,
        "status": claim.status,
        "note": claim.note,
        "evidence": _evidence(claim),
        "valid": claim.valid,
    }


def _link(claim: PackedClaim) -> GraphLink:
    return GraphLink(
        id=claim.id,
        source=claim.subject,
        target=claim.object,
        predicate=claim.predicate,
        relationship=claim.relationship,
        polarity=claim.polarity,
        certainty=claim.certainty,
        date=claim.date.value,
        evidence_count=len(claim.evidence),
    )


def _claim_id(claim: PackedClaim) -> str:
    return claim.id


def _first(claim: PackedClaim) -> Day:
    assert claim.first is not None, "only dated claims are in the index"
    return claim.first


def _known_from(claim: PackedClaim) -> Day:
    assert claim.known_from is not None, "only claims with a known publication are in the index"
    return claim.known_from


def _timeline_key(claim: PackedClaim) -> tuple[date, date, str]:
    """By when it started to hold (graph.window.timeline_key)."""
    return (*timeline_key(claim.valid), claim.id)


def _admitted(claim: PackedClaim, window: TimeWindow | None) -> bool:
    return window is None or window.empty() or admits(window, claim.first, claim.until, claim.known_from)


def _matches(claim: PackedClaim, flt: ClaimFilter, window: TimeWindow) -> bool:
    if flt.subject is not None and claim.subject != flt.subject:
        return False
    if flt.entity is not None and flt.entity not in (claim.subject, claim.object):
        return False
    counted = flt.min_sources is not None or flt.max_sources is not None
    if counted and not flt.admits_count(len({e.source for e in claim.evidence})):
        return False
    if flt.object is not None and claim.object != flt.object:
        return False
    if flt.predicate is not None and claim.predicate != flt.predicate:
        return False
    if flt.polarity is not None and claim.polarity != flt.polarity:
        return False
    if flt.certainty is not None and claim.certainty != flt.certainty:
        return False
    if flt.source is not None and all(e.source != flt.source for e in claim.evidence):
        return False
    if not _admitted(claim, window):
        return False
    return flt.admits_date(claim.date)


def _first_shortest(
    neighbours: Callable[[str], set[str]], a: str, b: str, max_hops: int, limit: int
) -> list[tuple[str, ...]]:
    """The `limit` smallest (by node ids) shortest node sequences from a to b within max_hops.

    Breadth-first balls grow from both ends, always the smaller frontier, until they touch, so
    the work is about the two balls of half the distance, not one ball of the whole distance
    (which through a hub is most of the graph). The nodes where they touch, and their BFS
    ancestors on each side, form the DAG of shortest paths; a depth-first walk from a over it in
    id order yields sequences already sorted, so it stops after `limit`.
    """
    sides = (_Ball(a), _Ball(b))
    meet: list[str] = []
    while not meet:
        if sides[0].depth + sides[1].depth >= max_hops:
            return []
        grow, other = sorted(sides, key=lambda ball: len(ball.frontier))
        if not grow.frontier:
            return []
        meet = [node for node in grow.expand(neighbours) if node in other.parents]
    near, far = sides
    total = min(near.distance[m] + far.distance[m] for m in meet)
    junctions = [m for m in meet if near.distance[m] + far.distance[m] == total]
    children: dict[str, set[str]] = {}
    for node, parent in near.edges_back_from(junctions):
        children.setdefault(parent, set()).add(node)
    for node, parent in far.edges_back_from(junctions):
        children.setdefault(node, set()).add(parent)
    ordered = {node: sorted(kids, reverse=True) for node, kids in children.items()}
    out: list[tuple[str, ...]] = []
    walk: list[tuple[str, tuple[str, ...]]] = [(a, (a,))]
    while walk and len(out) < limit:
        node, head = walk.pop()
        if node == b:
            out.append(head)
            continue
        for child in ordered.get(node, ()):
            walk.append((child, (*head, child)))
    return out


class _Ball:
    """A breadth-first ball around one end: every node's distance and its parents one layer in."""

    def __init__(self, centre: str) -> None:
        self.parents: dict[str, list[str]] = {centre: []}
        self.distance = {centre: 0}
        self.frontier = [centre]
        self.depth = 0

    def expand(self, neighbours: Callable[[str], set[str]]) -> list[str]:
        """Add the next layer; return its nodes."""
        layer: dict[str, list[str]] = {}
        for node in self.frontier:
            for other in neighbours(node):
                if other not in self.parents:
                    layer.setdefault(other, []).append(node)
        self.depth += 1
        for node in layer:
            self.distance[node] = self.depth
        self.parents.update(layer)
        self.frontier = list(layer)
        return self.frontier

    def edges_back_from(self, starts: list[str]) -> Iterator[tuple[str, str]]:
        """(node, parent) for every BFS edge on a walk from `starts` back to the centre."""
        seen = set(starts)
        stack = list(starts)
        while stack:
            node = stack.pop()
            for parent in self.parents[node]:
                yield node, parent
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
