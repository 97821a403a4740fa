"""The embedded store: the whole graph in a networkx MultiDiGraph, no database needed."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import pairwise

import networkx as nx

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
from stancegraph.graph.store import GraphStore, StanceSign
from stancegraph.schema.models import EvidenceRecord, SeedSet, ValidatedClaim
from stancegraph.schema.vocabulary import Vocabulary

MAX_PATHS_ENUMERATED = 10_000


class MemoryStore(GraphStore):
    """Claims are edges keyed by claim id, from subject to object; entities are nodes."""

    kind = "memory"

    def __init__(self, seeds: SeedSet, vocabulary: Vocabulary | None = None) -> None:
        super().__init__(vocabulary)
        self._seeds = seeds
        self.graph = nx.MultiDiGraph()
        self._entity_by_id = {e.id: e for e in sorted(seeds.entities, key=lambda e: e.id)}
        self._refs = {e.id: EntityRef.of(e) for e in self._entity_by_id.values()}
        self._claim_by_id = {c.id: c for c in sorted(seeds.claims, key=lambda c: c.id)}
        self._source_by_id = {s.id: s for s in sorted(seeds.sources, key=lambda s: s.id)}
        self._symmetric = {p.id for p in self.vocabulary.predicates.values() if p.symmetric}
        for entity_id in self._entity_by_id:
            self.graph.add_node(entity_id)
        for claim in self._claim_by_id.values():
            self.graph.add_edge(claim.subject, claim.object, key=claim.id)
        self._names = NameIndex(self._entity_by_id.values())
        self._timeline_order = sorted(self._claim_by_id.values(), key=_timeline_key)
        self._source_counts: dict[str, tuple[int, int]] = {}
        for claim in self._claim_by_id.values():
            per_source = Counter(e.source for e in claim.evidence)
            for source_id, hits in per_source.items():
                claims, evidence = self._source_counts.get(source_id, (0, 0))
                self._source_counts[source_id] = (claims + 1, evidence + hits)

    # --- helpers ----------------------------------------------------------------------------

    def _view(self, claim: ValidatedClaim) -> ClaimView:
        return ClaimView(
            id=claim.id,
            subject=self._refs[claim.subject],
            predicate=claim.predicate,
            object=self._refs[claim.object],
            polarity=claim.polarity,
            relationship=claim.relationship,
            certainty=claim.certainty,
            qualifiers=claim.qualifiers,
            date=claim.date,
            properties=claim.properties,
            note=claim.note,
            evidence=_evidence_order(claim),
        )

    def _incident(self, entity_id: str) -> Iterator[ValidatedClaim]:
        for _, _, key in self.graph.in_edges(entity_id, keys=True):
            yield self._claim_by_id[key]
        for _, _, key in self.graph.out_edges(entity_id, keys=True):
            yield self._claim_by_id[key]

    def _neighbours(self, entity_id: str) -> set[str]:
        return set(self.graph.successors(entity_id)) | set(self.graph.predecessors(entity_id))

    # --- primitives ---------------------------------------------------------------------------

    def _stats(self) -> Stats:
        return Stats(
            store=self.kind,
            entities=len(self._entity_by_id),
            claims=len(self._claim_by_id),
            evidence=sum(len(c.evidence) for c in self._claim_by_id.values()),
            sources=len(self._source_by_id),
            entities_by_kind=dict(sorted(Counter(e.kind for e in self._entity_by_id.values()).items())),
            claims_by_predicate=dict(
                sorted(Counter(c.predicate for c in self._claim_by_id.values()).items())
            ),
        )

    def _has_entity(self, entity_id: str) -> bool:
        return entity_id in self._entity_by_id

    def _entity(self, entity_id: str) -> EntityDetail | None:
        entity = self._entity_by_id.get(entity_id)
        if entity is None:
            return None
        counts = EntityCounts(
            claims=self.graph.in_degree(entity_id) + self.graph.out_degree(entity_id),
            supporters=len(self._stance(entity_id, 1)),
            opponents=len(self._stance(entity_id, -1)),
        )
        return EntityDetail(entity=entity, counts=counts)

    def _search(self, key: str, kind: str | None, limit: int, offset: int) -> list[EntityHit]:
        candidates = [c for c in self._names.candidates(key) if kind is None or c.entity.kind == kind]
        return rank(key, candidates, limit, offset)

    def _list_entities(self, kind: str | None, limit: int, after: str | None) -> list[EntityRef]:
        out: list[EntityRef] = []
        for entity_id, ref in self._refs.items():
            if (after is None or entity_id > after) and (kind is None or ref.kind == kind):
                out.append(ref)
                if len(out) == limit:
                    break
        return out

    def _stance(self, entity_id: str, sign: StanceSign) -> list[Stance]:
        groups: dict[str, list[ClaimView]] = {}
        for claim in self._incident(entity_id):
            if claim.polarity != sign:
                continue
            if claim.object == entity_id:
                other = claim.subject
            elif claim.predicate in self._symmetric:
                other = claim.object
            else:
                continue
            groups.setdefault(other, []).append(self._view(claim))
        return [
            Stance(entity=self._refs[other], claims=sorted(views, key=lambda v: v.id))
            for other, views in sorted(groups.items())
        ]

    def _claims_by_id(self, claim_ids: list[str]) -> list[ClaimView]:
        return [self._view(self._claim_by_id[i]) for i in sorted(set(claim_ids)) if i in self._claim_by_id]

    def _claims(self, flt: ClaimFilter, limit: int, after: str | None) -> list[ClaimView]:
        if flt.subject is not None:
            pool: Iterable[ValidatedClaim] = sorted(
                (self._claim_by_id[k] for _, _, k in self.graph.out_edges(flt.subject, keys=True)),
                key=lambda c: c.id,
            )
        elif flt.object is not None:
            pool = sorted(
                (self._claim_by_id[k] for _, _, k in self.graph.in_edges(flt.object, keys=True)),
                key=lambda c: c.id,
            )
        else:
            pool = self._claim_by_id.values()
        out: list[ClaimView] = []
        for claim in pool:
            if (after is None or claim.id > after) and _matches(claim, flt):
                out.append(self._view(claim))
                if len(out) == limit:
                    break
        return out

    def _between(self, a: str, b: str) -> list[ClaimView]:
        keys = [*self.graph.get_edge_data(a, b, default={})]
        keys += [*self.graph.get_edge_data(b, a, default={})]
        return self._claims_by_id(keys)

    def _paths(self, a: str, b: str, max_hops: int, limit: int) -> list[PathView]:
        sequences = _all_shortest(self._neighbours, a, b, max_hops)
        out: list[PathView] = []
        for nodes in sorted(sequences)[:limit]:
            hops = [self._between(x, y) for x, y in pairwise(nodes)]
            out.append(PathView(nodes=[self._refs[n] for n in nodes], hops=hops))
        return out

    def _neighborhood(self, entity_id: str, depth: int, limit: int) -> NodeLink:
        distance = {entity_id: 0}
        frontier = [entity_id]
        for step in range(1, depth + 1):
            nxt: list[str] = []
            for node in frontier:
                for other in self._neighbours(node):
                    if other not in distance:
                        distance[other] = step
                        nxt.append(other)
            frontier = nxt
        ordered = sorted(distance, key=lambda n: (distance[n], n))
        kept = set(ordered[:limit])
        nodes = [self._graph_node(n, distance[n]) for n in ordered[:limit]]
        links = sorted(
            (
                _link(self._claim_by_id[k])
                for n in kept
                for _, target, k in self.graph.out_edges(n, keys=True)
                if target in kept
            ),
            key=lambda link: link.id,
        )
        return NodeLink(nodes=nodes, links=links, truncated=len(ordered) > limit)

    def _graph_node(self, entity_id: str, distance: int | None) -> GraphNode:
        e = self._entity_by_id[entity_id]
        return GraphNode(
            id=e.id,
            kind=e.kind,
            name_en=e.names.en,
            name_zh=e.names.zh,
            aliases=list(e.aliases),
            distance=distance,
        )

    def _timeline(self, entity_id: str | None, limit: int) -> list[ClaimView]:
        if entity_id is None:
            chosen: Iterable[ValidatedClaim] = self._timeline_order
        else:
            chosen = sorted({c.id: c for c in self._incident(entity_id)}.values(), key=_timeline_key)
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
            claims=[
                c.model_copy(update={"evidence": _evidence_order(c)}) for c in self._claim_by_id.values()
            ],
        )


def _evidence_order(claim: ValidatedClaim) -> list[EvidenceRecord]:
    return sorted(claim.evidence, key=lambda e: (e.source, e.start, e.id))


def _link(claim: ValidatedClaim) -> GraphLink:
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


def _timeline_key(claim: ValidatedClaim) -> tuple[int, str, str]:
    bounds = claim.date.bounds()
    return (1, "", claim.id) if bounds is None else (0, bounds[0].isoformat(), claim.id)


def _matches(claim: ValidatedClaim, flt: ClaimFilter) -> bool:
    if flt.subject is not None and claim.subject != flt.subject:
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
    if flt.dated():
        bounds = claim.date.bounds()
        if bounds is None:
            return False
        if flt.since is not None and bounds[1] < date.fromisoformat(flt.since):
            return False
        if flt.until is not None and bounds[0] > date.fromisoformat(flt.until):
            return False
    return True


def _all_shortest(
    neighbours: Callable[[str], set[str]], a: str, b: str, max_hops: int
) -> list[tuple[str, ...]]:
    """Every shortest node sequence from a to b within max_hops (undirected BFS, then backtrack)."""
    parents: dict[str, list[str]] = {a: []}
    frontier = [a]
    for _ in range(max_hops):
        layer: dict[str, list[str]] = {}
        for node in frontier:
            for other in neighbours(node):
                if other not in parents:
                    layer.setdefault(other, []).append(node)
        if not layer:
            return []
        parents.update(layer)
        if b in layer:
            break
        frontier = list(layer)
    if b not in parents:
        return []
    out: list[tuple[str, ...]] = []
    stack: deque[tuple[str, tuple[str, ...]]] = deque([(b, (b,))])
    while stack and len(out) < MAX_PATHS_ENUMERATED:
        node, tail = stack.pop()
        if node == a:
            out.append(tail)
            continue
        for parent in parents[node]:
            stack.append((parent, (parent, *tail)))
    return out
