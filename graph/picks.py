"""Entities and claims picked from the loaded graph, for what must open somewhere (the view, the
Browser guide, the cookbook's default parameters) without naming a dataset's ids: whatever
coverage is loaded, the picks are its own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from stancegraph.graph.results import ClaimFilter, ClaimView, Switch
from stancegraph.graph.store import MAX_LIMIT, GraphStore
from stancegraph.schema.validtime import span


def central_entity(store: GraphStore) -> str | None:
    """The entity at most ends of the first claims in date order (ties by id), else the first
    entity, else None for an empty graph."""
    ends: Counter[str] = Counter()
    for claim in store.timeline(limit=MAX_LIMIT):
        ends.update((claim.subject.id, claim.object.id))
    if ends:
        return min(ends, key=lambda entity: (-ends[entity], entity))
    first = store.list_entities(limit=1)
    return first[0].id if first else None


def most_common_object(store: GraphStore, predicate: str) -> str | None:
    """The object most claims of `predicate` have (the most-signed document, ...)."""
    if predicate not in store.vocabulary.predicates:
        return None
    ends = Counter(c.object.id for c in store.claims(ClaimFilter(predicate=predicate), limit=MAX_LIMIT))
    return min(ends, key=lambda e: (-ends[e], e)) if ends else None


def best_sourced(store: GraphStore, flt: ClaimFilter | None = None) -> ClaimView | None:
    """The claim with the most independent origins, then sources (ties by id)."""
    flt = flt or ClaimFilter()
    if flt.predicate is not None and flt.predicate not in store.vocabulary.predicates:
        return None
    claims = store.claims(flt, limit=MAX_LIMIT)
    return min(claims, key=lambda c: (-c.independent, -c.sources, c.id)) if claims else None


def rivalry(store: GraphStore) -> ClaimView | None:
    """The best-sourced rivalry (competes_with)."""
    return best_sourced(store, ClaimFilter(predicate="competes_with"))


def rivals(store: GraphStore) -> tuple[str, str] | None:
    """The two ends of the best-sourced rivalry."""
    found = rivalry(store)
    return None if found is None else (found.subject.id, found.object.id)


def latest_switch(store: GraphStore) -> Switch | None:
    """The latest switch of sides (by date, then actor and target), None when no stance ever
    changed sign."""
    found = store.switches(limit=MAX_LIMIT)
    return found[-1] if found else None


def switch_day(store: GraphStore) -> str | None:
    """The day by which the latest switch of sides had happened (the last day its date may be,
    YYYY-MM-DD): as of then, the new stance holds."""
    found = latest_switch(store)
    return None if found is None else span(found.date)[1].isoformat()


def _best_claim_id(store: GraphStore) -> str | None:
    found = best_sourced(store)
    return None if found is None else found.id


def _rival(index: int) -> Callable[[GraphStore], str | None]:
    def pick(store: GraphStore) -> str | None:
        pair = rivals(store)
        return None if pair is None else pair[index]

    return pick


PICKS: dict[str, Callable[[GraphStore], str | None]] = {
    "central_entity": central_entity,
    "best_sourced_claim": _best_claim_id,
    "most_signed_document": lambda store: most_common_object(store, "signed"),
    "rivalry_subject": _rival(0),
    "rivalry_object": _rival(1),
    "switch_day": switch_day,
}
"""The picks a cookbook parameter may name as its default (`{pick: central_entity}`)."""
