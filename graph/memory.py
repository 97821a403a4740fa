"""The embedded store: the whole graph in compact in-memory tables, no database needed.

Claims and their evidence are kept as plain tuples of shared (interned) strings and shared frozen
values (speakers, dates); pydantic views are built only for what a query returns. Each entity has
its outgoing and incoming claims as lists, so every query costs what its answer and the degrees it
walks cost, not the size of the graph (see docs/benchmarks.md).
"""

from __future__ import annotations

import bisect
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import pairwise
from typing import Any, Final

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
from stancegraph.schema.models import (
    ClaimDate,
    EvidenceRecord,
    SeedSet,
    Source,
    Speaker,
    ValidatedClaim,
    evidence_id,
)
from stancegraph.schema.vocabulary import Vocabulary

# A claim: (id, subject, predicate, object, polarity, relationship, certainty, qualifiers, date,
#           properties, note, evidence, status), evidence already in the served order (source,
#           start, id).
# An evidence record: (id or None when it is the derived one, source, quote as UTF-8, start,
# translation as UTF-8 or None, speaker, certainty, what the source asserts: (date, values,
# status) or None when it asserts none); `end` is start + len(quote), as validation checked.
Asserted = tuple[ClaimDate | None, dict[str, Any], str | None]
Ev = tuple[str | None, str, bytes, int, bytes | None, Speaker, str, Asserted | None]
Cl = tuple[
    str,
    str,
    str,
    str,
    int,
    str,
    str,
    dict[str, str],
    ClaimDate,
    dict[str, Any],
    str | None,
    tuple[Ev, ...],
    str | None,
]
_ID: Final = 0
_SUBJECT: Final = 1
_PREDICATE: Final = 2
_OBJECT: Final = 3
_POLARITY: Final = 4
_EMPTY: dict[str, Any] = {}


class MemoryStore(GraphStore):
    """Claims are kept by id and in each end's adjacency lists; entities by id."""

    kind = "memory"

    def __init__(self, seeds: SeedSet, vocabulary: Vocabulary | None = None) -> None:
        super().__init__(vocabulary)
        self._entity_by_id = {e.id: e for e in sorted(seeds.entities, key=lambda e: e.id)}
        self._refs = {e.id: EntityRef.of(e) for e in self._entity_by_id.values()}
        self._entity_ids = list(self._entity_by_id)
        self._source_by_id = {s.id: s for s in sorted(seeds.sources, key=lambda s: s.id)}
        self._symmetric = {p.id for p in self.vocabulary.predicates.values() if p.symmetric}
        self._out: dict[str, list[Cl]] = {e: [] for e in self._entity_by_id}
        self._in: dict[str, list[Cl]] = {e: [] for e in self._entity_by_id}
        packer = _Packer(self._entity_by_id)
        claims = sorted((packer.claim(c) for c in seeds.claims), key=lambda c: c[_ID])
        self._claim_by_id: dict[str, Cl] = {c[_ID]: c for c in claims}
        self._claim_ids = [c[_ID] for c in claims]
        for claim in claims:
            self._out[claim[_SUBJECT]].append(claim)
            self._in[claim[_OBJECT]].append(claim)
        # The kinds of disagreement among each claim's sources, for the claims that have any (a
        # disagreement needs two records that assert something, or one date's wording).
        self._conflicts: dict[str, list[str]] = {}
        for claim in claims:
            asserted = [e[7] for e in claim[11] if e[7] is not None]
            worded = any(a[0] is not None and a[0].wording for a in asserted)
            lasting = self._lasting(claim[_PREDICATE])
            if (len(asserted) > 1 or worded) and (
                kinds := conflict_kinds(_evidence(claim), self._source_by_id, lasting=lasting)
            ):
                self._conflicts[claim[_ID]] = list(kinds)
        self._conflicted_ids = sorted(self._conflicts)
        self._names = NameIndex(self._entity_by_id.values(), self._refs)
        self._timeline_order = sorted(claims, key=_timeline_key)
        self._source_counts: dict[str, tuple[int, int]] = {}
        for claim in claims:
            per_source = Counter(e[1] for e in claim[11])
            for source_id, hits in per_source.items():
                count, evidence = self._source_counts.get(source_id, (0, 0))
                self._source_counts[source_id] = (count + 1, evidence + hits)
        self._stats_cached = Stats(
            store=self.kind,
            entities=len(self._entity_by_id),
            claims=len(claims),
            evidence=sum(len(c[11]) for c in claims),
            sources=len(self._source_by_id),
            entities_by_kind=dict(sorted(Counter(e.kind for e in self._entity_by_id.values()).items())),
            claims_by_predicate=dict(sorted(Counter(c[_PREDICATE] for c in claims).items())),
        )

    # --- helpers ----------------------------------------------------------------------------

    def _view(self, claim: Cl) -> ClaimView:
        return ClaimView(
            id=claim[_ID],
            subject=self._refs[claim[_SUBJECT]],
            object=self._refs[claim[_OBJECT]],
            **_fields(claim),
            # Derived when a claim is viewed (a few evidence records), not kept per claim.
            **corroboration((e[1] for e in claim[11]), self._source_by_id)._asdict(),
        )

    def _incident(self, entity_id: str) -> Iterator[Cl]:
        yield from self._in[entity_id]
        yield from self._out[entity_id]

    def _neighbours(self, entity_id: str) -> set[str]:
        return {c[_SUBJECT] for c in self._in[entity_id]} | {c[_OBJECT] for c in self._out[entity_id]}

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

    def _stance_groups(self, entity_id: str, sign: StanceSign) -> dict[str, list[Cl]]:
        groups: dict[str, list[Cl]] = {}
        for claim in self._in[entity_id]:
            if claim[_POLARITY] == sign:
                groups.setdefault(claim[_SUBJECT], []).append(claim)
        for claim in self._out[entity_id]:
            if claim[_POLARITY] == sign and claim[_PREDICATE] in self._symmetric:
                groups.setdefault(claim[_OBJECT], []).append(claim)
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
            pool: Iterable[Cl] = sorted(self._out[flt.subject], key=_claim_id)
        elif flt.object is not None:
            pool = sorted(self._in[flt.object], key=_claim_id)
        elif flt.entity is not None:
            pool = sorted(self._incident(flt.entity), key=_claim_id)  # never both ends
        else:
            ids = self._conflicted_ids if flt.conflicted is not None else self._claim_ids
            start = 0 if after is None else bisect.bisect_right(ids, after)
            pool = (self._claim_by_id[i] for i in ids[start:])
        out: list[ClaimView] = []
        for claim in pool:
            if (after is None or claim[_ID] > after) and _matches(claim, flt) and self._sourced(claim, flt):
                out.append(self._view(claim))
                if len(out) == limit:
                    break
        return out

    def _sourced(self, claim: Cl, flt: ClaimFilter) -> bool:
        """The filters that need the store: an outlet among the sources', a disagreement."""
        if flt.outlet is not None and all(self._source_by_id[e[1]].outlet != flt.outlet for e in claim[11]):
            return False
        if flt.conflicted is not None:
            kinds = self._conflicts.get(claim[_ID], [])
            return bool(kinds) if flt.conflicted == "any" else flt.conflicted in kinds
        return True

    def _sources_by_id(self, source_ids: list[str]) -> dict[str, Source]:
        return {s: self._source_by_id[s] for s in source_ids if s in self._source_by_id}

    def _between_claims(self, a: str, b: str) -> list[Cl]:
        """Claims between a and b, found from the end with fewer claims."""
        if len(self._in[a]) + len(self._out[a]) > len(self._in[b]) + len(self._out[b]):
            a, b = b, a
        found = [c for c in self._out[a] if c[_OBJECT] == b]
        found += [c for c in self._in[a] if c[_SUBJECT] == b]
        return sorted(found, key=_claim_id)

    def _between(self, a: str, b: str) -> list[ClaimView] | Missing:
        if absent := self._absent(a, b):
            return absent
        return [self._view(c) for c in self._between_claims(a, b)]

    def _paths(self, a: str, b: str, max_hops: int, limit: int) -> list[PathView] | Missing:
        if absent := self._absent(a, b):
            return absent
        out: list[PathView] = []
        for nodes in _first_shortest(self._neighbours, a, b, max_hops, limit):
            hops = [[self._view(c) for c in self._between_claims(x, y)] for x, y in pairwise(nodes)]
            out.append(PathView(nodes=[self._refs[n] for n in nodes], hops=hops))
        return out

    def _neighborhood(self, entity_id: str, depth: int, limit: int) -> NodeLink | Missing:
        if absent := self._absent(entity_id):
            return absent
        ball = _Ball(entity_id)
        for _ in range(depth):
            ball.expand(self._neighbours)
        distance = ball.distance
        ordered = sorted(distance, key=lambda n: (distance[n], n))
        kept = set(ordered[:limit])
        nodes = [GraphNode.of(self._entity_by_id[n], distance[n]) for n in ordered[:limit]]
        links = sorted(
            (_link(claim) for n in kept for claim in self._out[n] if claim[_OBJECT] in kept),
            key=lambda link: link.id,
        )
        return NodeLink(nodes=nodes, links=links, truncated=len(ordered) > limit)

    def _timeline(self, entity_id: str | None, limit: int) -> list[ClaimView] | Missing:
        if entity_id is None:
            chosen: Iterable[Cl] = self._timeline_order
        elif absent := self._absent(entity_id):
            return absent
        else:
            chosen = sorted({c[_ID]: c for c in self._incident(entity_id)}.values(), key=_timeline_key)
        out: list[ClaimView] = []
        for claim in chosen:
            out.append(self._view(claim))
            if len(out) == limit:
                break
        return out

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

    def _snapshot(self) -> SeedSet:
        return SeedSet(
            sources=list(self._source_by_id.values()),
            entities=list(self._entity_by_id.values()),
            claims=[_validated(c) for c in self._claim_by_id.values()],
        )


class _Packer:
    """Turns validated claims into tuples that share every repeated string and value."""

    def __init__(self, entities: dict[str, Any]) -> None:
        self.ids = {i: i for i in entities}
        self.values: dict[Any, Any] = {}

    def share(self, value: Any) -> Any:
        return self.values.setdefault(value, value)

    def claim(self, c: ValidatedClaim) -> Cl:
        if any(e.end != e.start + len(e.quote) for e in c.evidence):
            raise ValueError(f"claim {c.id}: evidence whose end is not start + len(quote)")
        evidence = tuple(
            (
                None if e.id == evidence_id(c.id, e.source, e.quote) else e.id,
                sys.intern(e.source),
                e.quote.encode(),
                e.start,
                None if e.translation is None else e.translation.encode(),
                self.share(e.speaker),
                sys.intern(e.certainty),
                self.asserted(e),
            )
            for e in sorted(c.evidence, key=lambda e: (e.source, e.start, e.id))
        )
        return (
            c.id,
            self.ids[c.subject],
            sys.intern(c.predicate),
            self.ids[c.object],
            c.polarity,
            sys.intern(c.relationship),
            sys.intern(c.certainty),
            c.qualifiers or _EMPTY,
            self.share(c.date),
            c.properties or _EMPTY,
            c.note,
            evidence,
            c.status,
        )

    def asserted(self, e: EvidenceRecord) -> Asserted | None:
        if e.date is None and not e.values and e.status is None:
            return None
        return (None if e.date is None else self.share(e.date), e.values or _EMPTY, e.status)


def _evidence(claim: Cl) -> list[EvidenceRecord]:
    out: list[EvidenceRecord] = []
    for ident, source, quote_bytes, start, translation, speaker, certainty, asserted in claim[11]:
        quote = quote_bytes.decode()
        when, values, status = asserted or (None, _EMPTY, None)
        out.append(
            EvidenceRecord(
                id=evidence_id(claim[0], source, quote) if ident is None else ident,
                source=source,
                quote=quote,
                start=start,
                end=start + len(quote),
                translation=None if translation is None else translation.decode(),
                speaker=speaker,
                certainty=certainty,
                date=when,
                values=values,
                status=status,
            )
        )
    return out


def _validated(claim: Cl) -> ValidatedClaim:
    return ValidatedClaim(id=claim[_ID], subject=claim[_SUBJECT], object=claim[_OBJECT], **_fields(claim))


def _fields(claim: Cl) -> dict[str, Any]:
    """What a claim view and a claim record share: everything but the id and the two ends."""
    return {
        "predicate": claim[2],
        "polarity": claim[4],
        "relationship": claim[5],
        "certainty": claim[6],
        "qualifiers": claim[7],
        "date": claim[8],
        "properties": claim[9],
        "status": claim[12],
        "note": claim[10],
        "evidence": _evidence(claim),
    }


def _link(claim: Cl) -> GraphLink:
    return GraphLink(
        id=claim[0],
        source=claim[1],
        target=claim[3],
        predicate=claim[2],
        relationship=claim[5],
        polarity=claim[4],
        certainty=claim[6],
        date=claim[8].value,
        evidence_count=len(claim[11]),
    )


def _claim_id(claim: Cl) -> str:
    return claim[0]


def _timeline_key(claim: Cl) -> tuple[int, str, str]:
    bounds = claim[8].bounds()
    return (1, "", claim[0]) if bounds is None else (0, bounds[0].isoformat(), claim[0])


def _matches(claim: Cl, flt: ClaimFilter) -> bool:
    if flt.subject is not None and claim[1] != flt.subject:
        return False
    if flt.entity is not None and flt.entity not in (claim[1], claim[3]):
        return False
    counted = flt.min_sources is not None or flt.max_sources is not None
    if counted and not flt.admits_count(len({e[1] for e in claim[11]})):
        return False
    if flt.object is not None and claim[3] != flt.object:
        return False
    if flt.predicate is not None and claim[2] != flt.predicate:
        return False
    if flt.polarity is not None and claim[4] != flt.polarity:
        return False
    if flt.certainty is not None and claim[6] != flt.certainty:
        return False
    if flt.source is not None and all(e[1] != flt.source for e in claim[11]):
        return False
    if flt.dated():
        bounds = claim[8].bounds()
        if bounds is None:
            return False
        if flt.since is not None and bounds[1] < date.fromisoformat(flt.since):
            return False
        if flt.until is not None and bounds[0] > date.fromisoformat(flt.until):
            return False
    return True


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
