"""Coalitions for a store: the signed actor graph of its claims (graph.signed) split into two
camps (graph.coalitions), with the claims behind every frustrated or contradictory tie.

Both stores answer through their public claims API, so neither needs a primitive for this:
signed claims are read in keyset pages of MAX_LIMIT (`claims(polarity=±1, as_of, known_by,
min_sources)`), and only a tally per pair of actors is kept while reading (graph.signed), so
memory grows with the pairs (and the sources, read once for their origins), not with the
evidence. A snapshot would hold every claim and
quote at once and bypass the windows the stores already apply. The claims of the ties reported
are fetched again by id at the end (one query), as the window sees them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Literal

import networkx as nx

from stancegraph.graph.corroboration import origin
from stancegraph.graph.results import (
    CampChange,
    ClaimFilter,
    ClaimView,
    CoalitionMethod,
    Coalitions,
    CoalitionShift,
    CoalitionTie,
    EntityRef,
    SourceCounts,
)
from stancegraph.graph.signed import Tie, signed_actor_graph
from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.graph.window import TimeWindow, restrict
from stancegraph.schema.errors import InvalidParameterError
from stancegraph.schema.models import Source

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

    from stancegraph.graph.coalitions import Partition


def frustration_camps(
    graph: nx.Graph, *, method: CoalitionMethod, time_limit: float, seed: int = 0
) -> Partition:
    """graph.coalitions.frustration_camps, imported when first asked for (HiGHS loads then).
    The one place this module calls the solver, so a test may stand another in for it."""
    from stancegraph.graph.coalitions import frustration_camps as solve

    return solve(graph, method=method, time_limit=time_limit, seed=seed)


def coalitions(
    store: GraphStore,
    window: TimeWindow | None = None,
    counts: SourceCounts | None = None,
    kinds: Iterable[str] | None = None,
    method: CoalitionMethod = "exact",
    time_limit: float = 10.0,
) -> Coalitions:
    """The two camps of the store's actors in the window, from the claims that rest on as many
    sources as `counts` asks (counted as the window sees them)."""
    if time_limit <= 0:
        raise InvalidParameterError("time_limit", "must be more than 0 seconds")
    window = window or TimeWindow()
    counts = counts or SourceCounts()
    if counts.outlet is not None:
        counts = counts.model_copy(update={"outlet": store.resolve(counts.outlet, "outlet")})
    sources = {view.source.id: view.source for view in store.sources()}
    origins = {ident: origin(ident, sources) for ident in sources}
    kind_list = None if kinds is None else sorted(set(kinds))
    graph, ties = signed_actor_graph(
        _signed_claims(store, window, counts),
        store.vocabulary,
        kinds=kind_list,
        origins=origins,
    )
    split = frustration_camps(graph, method=method, time_limit=time_limit)
    refs: Mapping[str, EntityRef] = nx.get_node_attributes(graph, "ref")
    by_pair = {(t.a, t.b): t for t in ties}
    frustrated = [by_pair[_pair(u, v)] for u, v in split.frustrated]
    contradictory = [t for t in ties if t.contradictory]
    views = _views(store, [c for t in (*frustrated, *contradictory) for c in t.claims], window, sources)

    def tie(found: Tie) -> CoalitionTie:
        return CoalitionTie(
            a=refs[found.a],
            b=refs[found.b],
            sign=found.sign,
            weight=found.weight,
            claims=[views[c] for c in found.claims if c in views],
        )

    return Coalitions(
        as_of=window.as_of,
        known_by=window.known_by,
        camps=[_members(camp, refs) for camp in split.camps],
        unaligned=_members(split.unaligned, refs),
        frustration=split.frustration,
        balance=split.balance,
        edges=split.edges,
        total_weight=split.total_weight,
        method=method,
        optimal=split.optimal,
        lower_bound=split.lower_bound,
        gap=0.0 if split.optimal else split.gap,
        seconds=split.seconds,
        frustrated=[tie(t) for t in sorted(frustrated, key=lambda t: (t.a, t.b))],
        contradictory=[tie(t) for t in contradictory],
    )


def shift(
    store: GraphStore,
    before: date,
    after: date,
    known_by: date | None = None,
    counts: SourceCounts | None = None,
    kinds: Iterable[str] | None = None,
    method: CoalitionMethod = "exact",
    time_limit: float = 10.0,
) -> CoalitionShift:
    """The camps as of `before` and as of `after`, and the actors whose camp changed."""
    if after <= before:
        raise InvalidParameterError("to", "must be after from")
    kind_list = None if kinds is None else sorted(set(kinds))

    def on(day: date) -> Coalitions:
        window = TimeWindow(as_of=day, known_by=known_by)
        return coalitions(store, window, counts, kind_list, method, time_limit)

    first, second = on(before), on(after)
    second = aligned(first, second)
    return CoalitionShift(before=first, after=second, changed=changes(first, second))


def aligned(reference: Coalitions, other: Coalitions) -> Coalitions:
    """`other` with its camps numbered as `reference`'s: swapped when more actors keep their camp
    that way (ties keep the order)."""
    ref = [{e.id for e in camp} for camp in reference.camps]
    own = [{e.id for e in camp} for camp in other.camps]
    kept = len(ref[0] & own[0]) + len(ref[1] & own[1])
    crossed = len(ref[0] & own[1]) + len(ref[1] & own[0])
    if crossed <= kept:
        return other
    return other.model_copy(update={"camps": [other.camps[1], other.camps[0]]})


def changes(before: Coalitions, after: Coalitions) -> list[CampChange]:
    """Actors whose camp differs between two answers numbered alike (null: in no camp)."""
    refs: dict[str, EntityRef] = {}
    places: list[dict[str, Literal[0, 1]]] = [{}, {}]
    for place, answer in zip(places, (before, after), strict=True):
        for index, camp in ((0, answer.camps[0]), (1, answer.camps[1])):
            for entity in camp:
                refs[entity.id] = entity
                place[entity.id] = 0 if index == 0 else 1
    return [
        CampChange(entity=refs[ident], before=places[0].get(ident), after=places[1].get(ident))
        for ident in sorted(refs)
        if places[0].get(ident) != places[1].get(ident)
    ]


def _signed_claims(store: GraphStore, window: TimeWindow, counts: SourceCounts) -> Iterator[ClaimView]:
    """Every claim of polarity ±1 in the window that `counts` admits, page by page. The store
    counts min_sources before the window and the window can only drop sources, so it narrows
    the pages safely; the exact test is on the claim as the window sees it."""
    for polarity in (1, -1):
        flt = ClaimFilter(
            polarity=polarity,
            as_of=window.as_of,
            known_by=window.known_by,
            min_sources=counts.min_sources,
            outlet=counts.outlet,
        )
        after: str | None = None
        while True:
            page = store.claims(flt, limit=MAX_LIMIT, after=after)
            yield from (view for view in page if counts.admits(view))
            if len(page) < MAX_LIMIT:
                break
            after = page[-1].id


def _views(
    store: GraphStore, claim_ids: list[str], window: TimeWindow, sources: Mapping[str, Source]
) -> dict[str, ClaimView]:
    """The claims, by id, as the window sees them (one query)."""
    found = store.claims_by_id(sorted(set(claim_ids)))
    kept = (restrict(view, window, sources) for view in found.values())
    return {view.id: view for view in kept if view is not None}


def _pair(u: Hashable, v: Hashable) -> tuple[str, str]:
    a, b = str(u), str(v)
    return (a, b) if a < b else (b, a)


def _members(nodes: Iterable[Hashable], refs: Mapping[str, EntityRef]) -> list[EntityRef]:
    return [refs[ident] for ident in sorted(str(n) for n in nodes)]


def camp_rows(answer: Coalitions) -> list[dict[str, object]]:
    """One row per actor in a camp: what write_camps stores on its :Entity node."""
    return [{"id": e.id, "camp": index} for index, camp in enumerate(answer.camps) for e in camp]


def write_camps(driver: Driver, database: str, answer: Coalitions) -> int:
    """Store the answer's camps on Neo4j's :Entity nodes as `camp` (0 or 1; none for the rest)
    and `camp_as_of` (the answer's as_of, null for every claim), replacing the last ones
    written; the number of actors written. The cookbook's `coalitions` query reads them."""
    from stancegraph.graph import queries
    from stancegraph.graph.neo4j_store import open_session

    as_of = answer.as_of.isoformat() if answer.as_of else None

    def work(tx: ManagedTransaction) -> int:
        record = tx.run(queries.WRITE_CAMPS, rows=camp_rows(answer), as_of=as_of).single()
        return int(record["written"]) if record is not None else 0

    with open_session(driver, database, read_only=False) as session:
        return session.execute_write(work)
