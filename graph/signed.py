"""The signed actor graph: who is for and who is against whom, built from the claims between
actors by one rule (docs/coalitions.md), for graph.coalitions to split into camps.

- Only actors (kinds with `actor: true` in the vocabulary, or those of `kinds`) at both ends;
  claims about documents, laws, products or issues add no edge.
- Each claim between two actors, in either direction, takes a side: its polarity. Neutral
  claims (contracts, talks: polarity 0) carry no sign and are left out.
- A side counts the distinct independent origins of its claims' evidence, pooled over all the
  pair's claims on that side (`origins`: a source's origin after following `based_on`,
  graph.corroboration.origin). Ten quotes from one report, or ten rewrites of one wire story,
  count once; a report that gives two claims of one side counts once for that side.
- The pair's net is the positive side's count minus the negative side's. The edge's sign is the
  sign of the net and its weight its size: three independent reports of support against one of
  opposition make a positive tie of weight 2.
- Claims that cancel exactly (the net is 0 with claims on both sides) make no edge: the pair is
  listed as contradictory, with its claims.
- With `third_party`, two actors who take a stance toward the same third entity (an actor or
  not: an issue, a law) lean together when their stances agree and apart when they differ, by
  0.5 per shared third entity, added to the pair's net. An actor's stance toward the third is
  the sign of its own net toward it (as subject, or at either end of a symmetric predicate).
  Off by default: sharing an enemy is weaker evidence than a stated alliance, and an issue
  everyone opposes would glue every actor into one camp.

Every actor at an end of a signed claim is a node, tied or not (graph.coalitions reports those
without edges as unaligned); nodes keep their EntityRef (`ref`), edges their `sign`, `weight`
and the ids of the claims behind them (`claims`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import networkx as nx

from stancegraph.graph.results import ClaimView, EntityRef
from stancegraph.schema.errors import InvalidParameterError
from stancegraph.schema.vocabulary import Vocabulary

# How much a shared third entity counts, against 1 for an independent origin of a direct claim.
THIRD_PARTY_WEIGHT = 0.5

Sign = Literal[-1, 0, 1]


@dataclass(frozen=True, slots=True)
class Tie:
    """The tally of one pair of actors (a < b): the edge it makes, or none when sign is 0."""

    a: str
    b: str
    sign: Sign
    weight: float
    positive: tuple[str, ...]
    """Ids of the pair's claims of polarity +1 (sorted); with third_party, also the claims
    toward a shared third entity that agree."""
    negative: tuple[str, ...]
    """Ids of the pair's claims of polarity -1, likewise."""
    via: tuple[str, ...] = ()
    """The third entities the pair took a stance toward (third_party only), sorted."""

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(sorted({*self.positive, *self.negative}))

    @property
    def contradictory(self) -> bool:
        return self.sign == 0


@dataclass(slots=True)
class _Side:
    claims: set[str] = field(default_factory=set)
    origins: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Pair:
    positive: _Side = field(default_factory=_Side)
    negative: _Side = field(default_factory=_Side)
    lean: float = 0.0
    lean_positive: set[str] = field(default_factory=set)
    lean_negative: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)


def actor_kinds(vocabulary: Vocabulary, kinds: Iterable[str] | None = None) -> frozenset[str]:
    """The actor kinds to keep: `kinds` (each must be an actor kind), or every actor kind."""
    actors = [k.id for k in vocabulary.kinds.values() if k.actor]
    if kinds is None:
        return frozenset(actors)
    chosen = frozenset(kinds)
    for kind in sorted(chosen):
        if kind not in actors:
            raise InvalidParameterError(
                "kind", f"{kind!r} is not an actor kind; choose among {', '.join(actors)}"
            )
    return chosen


def signed_actor_graph(
    claims: Iterable[ClaimView],
    vocabulary: Vocabulary,
    *,
    kinds: Iterable[str] | None = None,
    third_party: bool = False,
    origins: Mapping[str, str] | None = None,
) -> tuple[nx.Graph, list[Tie]]:
    """The signed actor graph of `claims` by the module's rule, and every pair's tally (edges and
    contradictory pairs) ordered by (a, b). `claims` is read once, so it may be a stream:
    what is kept is a tally per pair, not the claims. `origins` maps a source id to its origin;
    a source missing from it is its own origin."""
    keep = actor_kinds(vocabulary, kinds)
    symmetric = frozenset(p.id for p in vocabulary.predicates.values() if p.symmetric)
    origin_of = origins or {}
    refs: dict[str, EntityRef] = {}
    pairs: dict[tuple[str, str], _Pair] = defaultdict(_Pair)
    # actor -> third entity -> that actor's side (for third_party)
    toward: dict[str, dict[str, _Pair]] = defaultdict(lambda: defaultdict(_Pair))
    for claim in claims:
        if claim.polarity == 0:
            continue
        ends = [ref for ref in (claim.subject, claim.object) if ref.kind in keep]
        for ref in ends:
            refs[ref.id] = ref
        found = {origin_of.get(ev.source, ev.source) for ev in claim.evidence}
        if len(ends) == 2 and claim.subject.id != claim.object.id:
            a, b = sorted((claim.subject.id, claim.object.id))
            _count(pairs[(a, b)], claim, found)
        if third_party:
            _count(toward[claim.subject.id][claim.object.id], claim, found)
            if claim.predicate in symmetric:
                _count(toward[claim.object.id][claim.subject.id], claim, found)
    if third_party:
        _lean(pairs, toward, refs)
    graph = nx.Graph()
    for ident in sorted(refs):
        graph.add_node(ident, ref=refs[ident])
    ties = [_tie(a, b, pair) for (a, b), pair in sorted(pairs.items())]
    for tie in ties:
        if tie.sign != 0:
            graph.add_edge(tie.a, tie.b, sign=tie.sign, weight=tie.weight, claims=tie.claims)
    return graph, ties


def _count(pair: _Pair, claim: ClaimView, origins: set[str]) -> None:
    side = pair.positive if claim.polarity > 0 else pair.negative
    side.claims.add(claim.id)
    side.origins |= origins


def _net(pair: _Pair) -> float:
    return len(pair.positive.origins) - len(pair.negative.origins) + pair.lean


def _lean(
    pairs: dict[tuple[str, str], _Pair], toward: Mapping[str, Mapping[str, _Pair]], refs: Mapping[str, object]
) -> None:
    """Add each shared third entity's lean to the pairs of actors that took a stance toward it."""
    by_third: dict[str, list[tuple[str, int, set[str]]]] = defaultdict(list)
    for actor, targets in toward.items():
        if actor not in refs:
            continue
        for third, side in targets.items():
            net = _net(side)
            if net != 0:
                chosen = side.positive if net > 0 else side.negative
                by_third[third].append((actor, 1 if net > 0 else -1, chosen.claims))
    for third, stances in by_third.items():
        for (x, sx, cx), (y, sy, cy) in combinations(sorted(stances, key=lambda s: s[0]), 2):
            if third in (x, y):
                continue
            pair = pairs[(x, y)]
            pair.lean += THIRD_PARTY_WEIGHT * sx * sy
            (pair.lean_positive if sx == sy else pair.lean_negative).update(cx | cy)
            pair.via.add(third)


def _tie(a: str, b: str, pair: _Pair) -> Tie:
    net = _net(pair)
    sign: Sign = 1 if net > 0 else -1 if net < 0 else 0
    return Tie(
        a=a,
        b=b,
        sign=sign,
        weight=abs(net),
        positive=tuple(sorted(pair.positive.claims | pair.lean_positive)),
        negative=tuple(sorted(pair.negative.claims | pair.lean_negative)),
        via=tuple(sorted(pair.via)),
    )
