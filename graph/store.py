"""The one store interface. Public methods check their arguments the same way for every store,
then call one backend primitive each (one Cypher query on Neo4j, dictionary work in memory).
A primitive given entity ids checks that they exist as part of that query and answers `Missing`
if not, so a request is one round trip to Neo4j, found or not.

Wherever an entity is named, its id, name or alias will do: what a primitive reports missing is
looked up as a name (`resolve`) and the primitive asked again with the id, so requests by id
cost nothing more. A name several entities share is an AmbiguousNameError with the candidates;
one nothing matches is a NotFoundError with the closest entities ("did you mean").

Orders are part of the contract, so every store gives identical answers:
claims by id; evidence by (source, start, id); stances by entity id; paths by their node ids;
search hits by (match type, score desc, matched length, entity id); timeline by the start of valid time
(its last possible day, its first, then id) with undated claims last.

Time windows (`as_of`, `known_by`) narrow every answer about claims: the primitives rule out
what their indexes can (graph.window.admits), and the exact answer is decided here by
graph.window.restrict, once for every store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Literal, Self, TypeVar

from stancegraph.graph import history as histories
from stancegraph.graph.conflicts import claim_conflicts, conflict_kinds
from stancegraph.graph.results import (
    ClaimDetail,
    ClaimFilter,
    ClaimView,
    Conflict,
    ConflictKind,
    CypherResult,
    EntityDetail,
    EntityHit,
    EntityRef,
    History,
    NodeLink,
    PathView,
    SourceCounts,
    SourceView,
    Stance,
    Stats,
    Switch,
)
from stancegraph.graph.window import TimeWindow, restrict
from stancegraph.schema.errors import (
    AmbiguousNameError,
    Candidate,
    InvalidParameterError,
    NotFoundError,
    UnsupportedError,
)
from stancegraph.schema.models import SeedSet, Source
from stancegraph.schema.validtime import span
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary

MAX_LIMIT = 1000
MAX_HOPS = 6
MAX_DEPTH = 4
StanceSign = Literal[1, -1]
T = TypeVar("T")
Counts = TypeVar("Counts", bound=SourceCounts)
# How many entities an unknown or ambiguous name lists.
CANDIDATES = 5
# An entity id and the parameter that named it, for the error when it names nothing.
End = tuple[str, str]


@dataclass(frozen=True)
class Missing:
    """What a primitive answers, instead of its result, when ids it was given name nothing.

    The primitive finds this out in the same query (or lookup) that answers, so a request costs
    the store one round trip; the public method turns it into NotFoundError.
    """

    entities: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()


def missing(*entity_ids: str) -> Missing:
    return Missing(entities=frozenset(entity_ids))


class GraphStore(ABC):
    """A stance graph that can be queried. Stores are read-only once built or loaded."""

    kind: str

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or load_vocabulary()

    def close(self) -> None:  # noqa: B027 - optional hook; stores without resources need nothing
        """Release connections; the store is unusable afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def ping(self) -> None:  # noqa: B027 - an embedded store always answers
        """Raise StoreUnavailableError if the store cannot answer right now; cheaper than stats()."""

    # --- public API: validate, then delegate ---------------------------------------------------

    def stats(self) -> Stats:
        return self._stats()

    def entity(self, entity_id: str) -> EntityDetail:
        detail = self._entity(entity_id)
        if detail is None:
            detail = self._entity(self._by_name(entity_id, "id"))
        assert detail is not None, f"{entity_id!r} resolved to an entity the store does not have"
        return detail

    def resolve(self, name: str, parameter: str = "id") -> str:
        """The id of the entity `name` names: an id, or else a name or alias (compared as search
        normalises them) that one entity has."""
        return name if self._has_entity(name) else self._by_name(name, parameter)

    def search(self, q: str, *, kind: str | None = None, limit: int = 20, offset: int = 0) -> list[EntityHit]:
        """Entities whose name or alias matches `q`: exact > prefix > substring > fuzzy."""
        from stancegraph.graph.search import normalize, words_of

        self._check_limit(limit)
        self._check_kind(kind)
        if offset < 0:
            raise InvalidParameterError("offset", "must not be negative")
        key = normalize(q)
        if not key:
            raise InvalidParameterError("q", "the query has no letters or digits")
        return self._search(key, words_of(q), kind, limit, offset)

    def list_entities(
        self, *, kind: str | None = None, limit: int = 20, after: str | None = None
    ) -> list[EntityRef]:
        """Entities ordered by id, starting after the id `after`."""
        self._check_limit(limit)
        self._check_kind(kind)
        return self._list_entities(kind, limit, after)

    def supporters(
        self, entity_id: str, counts: SourceCounts | None = None, window: TimeWindow | None = None
    ) -> list[Stance]:
        return self.stance(entity_id, 1, counts, window)

    def opponents(
        self, entity_id: str, counts: SourceCounts | None = None, window: TimeWindow | None = None
    ) -> list[Stance]:
        return self.stance(entity_id, -1, counts, window)

    def stance(
        self,
        entity_id: str,
        sign: StanceSign,
        counts: SourceCounts | None = None,
        window: TimeWindow | None = None,
    ) -> list[Stance]:
        """Who takes a positive (1) or negative (-1) stance toward the entity, with the claims
        (only those resting on as many sources as `counts` asks and in the time `window`; a stance
        left without claims goes). The entity's claims are its degree: the window is applied to
        them here, as to every answer (graph.window).

        A symmetric predicate (allied_with, ...) counts from both ends.
        """
        stances = self._answer(lambda e: self._stance(e, sign), (entity_id, "id"))
        kept = self._narrowed([c for s in stances for c in s.claims], counts, window)
        by_id = {c.id: c for c in kept}
        narrowed = [
            s.model_copy(update={"claims": [by_id[c.id] for c in s.claims if c.id in by_id]}) for s in stances
        ]
        return [s for s in narrowed if s.claims]

    def claim(self, claim_id: str) -> ClaimView:
        found = self._claims_by_id([claim_id])
        if not found:
            raise NotFoundError("claim", claim_id)
        return found[0]

    def claims_by_id(self, claim_ids: list[str]) -> dict[str, ClaimView]:
        """The claims with these ids, fetched in one query (unknown ids are left out)."""
        return {view.id: view for view in self._claims_by_id(claim_ids)} if claim_ids else {}

    def claim_detail(self, claim_id: str) -> ClaimDetail:
        """The claim and where its sources disagree."""
        view = self.claim(claim_id)
        sources = self._sources_by_id(sorted({ev.source for ev in view.evidence}))
        found = claim_conflicts(view.id, view.evidence, sources, lasting=self._lasting(view.predicate))
        return ClaimDetail(**dict(view), conflicts=found)

    def conflicts(
        self,
        *,
        entity: str | None = None,
        kind: ConflictKind | None = None,
        source: str | None = None,
        limit: int = 50,
        after: str | None = None,
    ) -> list[Conflict]:
        """Disagreements among sources, ordered by id (claim id, kind, key), after the id `after`:
        claims are read in id order among those the store marked as conflicted, so a page costs
        what it holds."""
        self._check_limit(limit)
        if entity is not None:
            entity = self.resolve(entity, "entity")
        flt = ClaimFilter(entity=entity, conflicted=kind or "any", source=source)
        out: list[Conflict] = []
        claim_after = None if after is None else after.split(":", 1)[0]
        # The rest of the claim the cursor stopped in, if it still passes the filter.
        pending = [
            view
            for view in ([] if claim_after is None else self._claims_by_id([claim_after]))
            if (entity is None or entity in (view.subject.id, view.object.id))
            and (source is None or any(ev.source == source for ev in view.evidence))
        ]
        while len(out) < limit:
            views = pending or self.claims(flt, limit=min(MAX_LIMIT, limit), after=claim_after)
            pending = []
            if not views:
                break
            cited = sorted({ev.source for view in views for ev in view.evidence})
            sources = self._sources_by_id(cited)
            for view in views:
                lasting = self._lasting(view.predicate)
                for found in claim_conflicts(view.id, view.evidence, sources, lasting=lasting):
                    mine = kind is None or found.kind == kind
                    cites = source is None or any(source in p.sources for p in found.positions)
                    if mine and cites and (after is None or found.id > after):
                        out.append(found)
            claim_after = views[-1].id
        return out[:limit]

    def claims(
        self, flt: ClaimFilter | None = None, *, limit: int = 50, after: str | None = None
    ) -> list[ClaimView]:
        flt = flt or ClaimFilter()
        self._check_limit(limit)
        self._check_filter(flt)
        named = [name for name in ("subject", "object", "entity") if getattr(flt, name) is not None]
        ends = [(getattr(flt, name), name) for name in named]
        with self._not_found_first(*ends):
            flt = self._with_outlet(flt)
        source = None if flt.source is None else (flt.source, "source")

        window = TimeWindow(as_of=flt.as_of, known_by=flt.known_by)

        def ask(*ids: str) -> list[ClaimView] | Missing:
            resolved = flt.model_copy(update=dict(zip(named, ids, strict=True)))
            if window.empty():
                return self._claims(resolved, limit, after)
            # The store rules out what its indexes can (graph.window.admits, and under known_by
            # only the filters the evidence cannot change the wrong way); the rest is decided
            # here, and a page short of what that left out is filled from the next rows.
            asked = resolved if window.known_by is None else resolved.told_by_evidence()
            found = self._claims(asked, limit, after)
            if isinstance(found, Missing):
                return found
            out = self._in_filter(found, resolved, window)
            while len(found) == limit and len(out) < limit:
                found = self._claims(asked, limit, found[-1].id)
                assert not isinstance(found, Missing), "the filter's entities existed a moment ago"
                out += self._in_filter(found, resolved, window)
            return out[:limit]

        return self._answer(ask, *ends, source=source)

    def between(
        self, a: str, b: str, counts: SourceCounts | None = None, window: TimeWindow | None = None
    ) -> list[ClaimView]:
        """Every claim between a and b, in both directions (with as many sources as `counts`
        asks, in the time `window`)."""
        ends = ((a, "a"), (b, "b"))
        with self._not_found_first(*ends):
            if a == b:
                raise InvalidParameterError("b", "a and b are the same entity")
        return self._narrowed(self._answer(self._between, *ends), counts, window)

    def paths(
        self, a: str, b: str, *, max_hops: int = 3, limit: int = 10, window: TimeWindow | None = None
    ) -> list[PathView]:
        """All shortest chains of claims between a and b (direction ignored), up to max_hops, over
        the claims the store's time indexes admit to the `window` (graph.window.admits); each hop
        then keeps the claims in the window, and a chain left with an empty hop is dropped."""
        ends = ((a, "from"), (b, "to"))
        with self._not_found_first(*ends):
            if a == b:
                raise InvalidParameterError("to", "from and to are the same entity")
            if not 1 <= max_hops <= MAX_HOPS:
                raise InvalidParameterError("max_hops", f"must be between 1 and {MAX_HOPS}")
            self._check_limit(limit)
        window = window or TimeWindow()
        paths = self._answer(lambda x, y: self._paths(x, y, max_hops, limit, window), *ends)
        if window.empty():
            return paths
        windowed = self._windowed([c for p in paths for hop in p.hops for c in hop], window)
        out: list[PathView] = []
        for path in paths:
            hops = [[windowed[c.id] for c in hop if c.id in windowed] for hop in path.hops]
            if all(hops):
                out.append(path.model_copy(update={"hops": hops}))
        return out

    def neighborhood(
        self, entity_id: str, *, depth: int = 1, limit: int = 200, window: TimeWindow | None = None
    ) -> NodeLink:
        """Entities within `depth` hops of the entity and every claim among them, walking the
        claims the store's time indexes admit to the `window`; the links are those in it."""
        end = (entity_id, "id")
        with self._not_found_first(end):
            if not 0 <= depth <= MAX_DEPTH:
                raise InvalidParameterError("depth", f"must be between 0 and {MAX_DEPTH}")
            self._check_limit(limit)
        window = window or TimeWindow()
        found = self._answer(lambda e: self._neighborhood(e, depth, limit, window), end)
        if window.empty():
            return found
        views = self.claims_by_id([link.id for link in found.links])
        windowed = self._windowed(list(views.values()), window)
        links = [
            link.model_copy(
                update={
                    "date": windowed[link.id].date.value,
                    "evidence_count": len(windowed[link.id].evidence),
                }
            )
            for link in found.links
            if link.id in windowed
        ]
        return found.model_copy(update={"links": links})

    def timeline(
        self, entity_id: str | None = None, *, limit: int = 200, window: TimeWindow | None = None
    ) -> list[ClaimView]:
        """Claims by when they started to hold (graph.window.timeline_key; undated last), for one
        entity or for the whole graph: "2026-02" comes after 2026-02-19."""
        ends = () if entity_id is None else ((entity_id, "entity"),)
        with self._not_found_first(*ends):
            self._check_limit(limit)
        window = window or TimeWindow()
        found = self._answer(lambda *e: self._timeline(e[0] if e else None, limit, window), *ends)
        return list(self._windowed(found, window).values())

    def history(
        self,
        entity_id: str,
        toward: str,
        counts: SourceCounts | None = None,
        window: TimeWindow | None = None,
    ) -> History:
        """The entity's stance toward `toward` over time (graph.history), from the claims between
        the two as between() gives them (after both names are resolved)."""
        actor, target = self.resolve(entity_id, "id"), self.resolve(toward, "toward")
        if actor == target:
            raise InvalidParameterError("toward", "the entity and toward are the same entity")
        found = self._found(self._between(actor, target), (actor, "id"), (target, "toward"))
        claims = self._narrowed(histories.toward(found, actor, target, self._symmetric), counts, window)
        refs = {ref.id: ref for c in found for ref in (c.subject, c.object)}
        for ident in (actor, target):
            if ident not in refs:
                refs[ident] = EntityRef.of(self.entity(ident).entity)
        return histories.history(refs[actor], refs[target], claims)

    def switches(
        self,
        *,
        entity: str | None = None,
        since: date | None = None,
        until: date | None = None,
        counts: SourceCounts | None = None,
        window: TimeWindow | None = None,
        limit: int = 100,
    ) -> list[Switch]:
        """Every actor whose stance toward a target changed sign (a later claim of the opposite
        sign ended it), with the claims on both sides; ordered by (date, actor, target). Read
        from the pairs on which a stance was reversed, so it costs those pairs, not the graph;
        with `entity`, those the entity is in (its degree)."""
        self._check_limit(limit)
        if since is not None and until is not None and since > until:
            raise InvalidParameterError("until", "until is before since")
        ends = () if entity is None else ((entity, "entity"),)
        claims = self._answer(lambda *e: self._turning_claims(e[0] if e else None), *ends)
        kept = self._narrowed(claims, counts, window)
        pairs: dict[tuple[str, str], tuple[EntityRef, EntityRef]] = {}
        # Each pair's claims, so a pair's history reads its own claims, not all of them.
        between: dict[frozenset[str], list[ClaimView]] = {}
        for claim in kept:
            pairs[(claim.subject.id, claim.object.id)] = (claim.subject, claim.object)
            if claim.predicate in self._symmetric:
                pairs[(claim.object.id, claim.subject.id)] = (claim.object, claim.subject)
            between.setdefault(frozenset((claim.subject.id, claim.object.id)), []).append(claim)
        out: list[Switch] = []
        for (actor, target), (actor_ref, target_ref) in pairs.items():
            mine = histories.toward(between[frozenset((actor, target))], actor, target, self._symmetric)
            for found in histories.switches(histories.history(actor_ref, target_ref, mine)):
                if histories.in_period(found, since, until):
                    out.append(found)
        out.sort(key=lambda s: (span(s.date), s.entity.id, s.toward.id))
        return out[:limit]

    def sources(self) -> list[SourceView]:
        return self._sources(None)

    def source(self, source_id: str) -> SourceView:
        found = self._sources(source_id)
        if not found:
            raise NotFoundError("source", source_id)
        return found[0]

    def source_text(self, source_id: str) -> str:
        """The source's captured text, which evidence offsets count code points of (kept in the
        store, so no seed files are needed to serve it)."""
        text = self._found(self._source_text(source_id), source=(source_id, "source_id"))
        if text is None:
            raise NotFoundError("source text", source_id, "source_id")
        return text

    def run_cypher(
        self, query: str, params: dict[str, Any], *, timeout: float, row_limit: int
    ) -> CypherResult:
        """Run a user's read-only Cypher query. Only stores backed by Neo4j can."""
        raise UnsupportedError(
            f"Cypher needs the Neo4j store; this is the {self.kind} store (set STANCEGRAPH_STORE=neo4j)"
        )

    def snapshot(self) -> SeedSet:
        """Everything in the store, in canonical order: the basis of exports and checksums."""
        return self._snapshot()

    # --- checks shared by every store ----------------------------------------------------------

    def _require(self, entity_id: str, parameter: str = "id") -> None:
        self.resolve(entity_id, parameter)

    def _by_name(self, name: str, parameter: str) -> str:
        """The one entity with `name` as its name or alias (no id matched it)."""
        from stancegraph.graph.search import normalize, words_of

        key = normalize(name)
        hits = self._search(key, words_of(name), None, CANDIDATES, 0) if key else []
        exact = [hit.entity for hit in hits if hit.match == "exact"]
        if len(exact) == 1:
            return exact[0].id
        if exact:
            raise AmbiguousNameError(parameter, name, tuple(Candidate(e.id, e.name_en) for e in exact))
        closest = tuple(Candidate(hit.entity.id, hit.entity.name_en) for hit in hits)
        raise NotFoundError("entity", name, parameter, closest)

    def _answer(self, ask: Callable[..., T | Missing], *ends: End, source: End | None = None) -> T:
        """The primitive's answer for the entities `ends` name. Those it reports missing are
        resolved as names and it is asked again with their ids (a request by id is one call)."""
        ids = [entity for entity, _ in ends]
        answer = ask(*ids)
        resolved: set[int] = set()
        while isinstance(answer, Missing) and answer.entities:
            todo = [i for i, entity in enumerate(ids) if entity in answer.entities and i not in resolved]
            if not todo:
                break
            for i in todo:
                ids[i] = self._by_name(ids[i], ends[i][1])
                resolved.add(i)
            answer = ask(*ids)
        named = zip(ids, (parameter for _, parameter in ends), strict=True)
        return self._found(answer, *named, source=source)

    def _found(self, answer: T | Missing, *ends: End, source: End | None = None) -> T:
        """The primitive's answer, or NotFoundError for the first of the entities `ends`, then the
        `source`, that it found missing."""
        if not isinstance(answer, Missing):
            return answer
        for entity_id, parameter in ends:
            if entity_id in answer.entities:
                raise NotFoundError("entity", entity_id, parameter)
        if source is not None and source[0] in answer.sources:
            raise NotFoundError("source", *source)
        raise AssertionError(f"the store reported {answer} missing, not {ends} or {source}")

    @contextmanager
    def _not_found_first(self, *ends: End) -> Iterator[None]:
        """Report a missing entity before a bad argument, as when existence was checked first.

        The primitive checks existence in its own query, after the checks in this block; so when
        one of them fails, the entities are looked up here (on that error path only).
        """
        try:
            yield
        except (InvalidParameterError, NotFoundError, AmbiguousNameError):
            for entity_id, parameter in ends:
                self._require(entity_id, parameter)
            raise

    def _in_filter(self, views: list[ClaimView], flt: ClaimFilter, window: TimeWindow) -> list[ClaimView]:
        """The claims in the window that the filter passes as the window sees them."""
        kept = list(self._windowed(views, window).values())
        if window.known_by is None:
            return kept  # the store applied every filter to what the window leaves unchanged
        kept = [view for view in kept if flt.admits_view(view)]
        if flt.conflicted is None or not kept:
            return kept
        sources = self._sources_by_id(sorted({ev.source for view in kept for ev in view.evidence}))

        def conflicted(view: ClaimView) -> bool:
            kinds = conflict_kinds(view.evidence, sources, lasting=self._lasting(view.predicate))
            return bool(kinds) if flt.conflicted == "any" else flt.conflicted in kinds

        return [view for view in kept if conflicted(view)]

    def _narrowed(
        self, views: list[ClaimView], counts: SourceCounts | None, window: TimeWindow | None
    ) -> list[ClaimView]:
        """The claims in the window that rest on as many sources as `counts` asks (counted as
        the window sees them: under known_by, the sources published by then)."""
        kept = list(self._windowed(views, window).values())
        if counts is None:
            return kept
        counts = self._with_outlet(counts)
        return [c for c in kept if counts.admits(c)]

    @cached_property
    def _symmetric(self) -> frozenset[str]:
        return frozenset(p.id for p in self.vocabulary.predicates.values() if p.symmetric)

    def _windowed(self, views: list[ClaimView], window: TimeWindow | None) -> dict[str, ClaimView]:
        """The claims in the window, by id, in their order (one lookup of their sources, for
        known_by only: their publication decides)."""
        if window is None or window.empty():
            return {view.id: view for view in views}
        cited = sorted({ev.source for view in views for ev in view.evidence}) if window.known_by else []
        sources = self._sources_by_id(cited) if cited else {}
        kept = (restrict(view, window, sources) for view in views)
        return {view.id: view for view in kept if view is not None}

    def _lasting(self, predicate: str) -> bool:
        known = self.vocabulary.predicates.get(predicate)
        return known is not None and known.lasting

    def _with_outlet(self, counts: Counts) -> Counts:
        """The filter with its outlet (an entity) as an id (one lookup, only when it is used)."""
        if counts.outlet is None:
            return counts
        return counts.model_copy(update={"outlet": self.resolve(counts.outlet, "outlet")})

    def _check_limit(self, limit: int) -> None:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidParameterError("limit", f"must be between 1 and {MAX_LIMIT}")

    def _check_kind(self, kind: str | None) -> None:
        if kind is not None and kind not in self.vocabulary.kinds:
            raise InvalidParameterError(
                "kind", f"unknown kind {kind!r}; known: {', '.join(self.vocabulary.kinds)}"
            )

    def _check_filter(self, flt: ClaimFilter) -> None:
        if flt.predicate is not None and flt.predicate not in self.vocabulary.predicates:
            raise InvalidParameterError("predicate", f"unknown predicate {flt.predicate!r}")
        for name in ("since", "until"):
            value = getattr(flt, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise InvalidParameterError(name, f"{value!r} is not a YYYY-MM-DD date") from None
        if flt.since and flt.until and flt.since > flt.until:
            raise InvalidParameterError("until", "until is before since")

    # --- backend primitives --------------------------------------------------------------------

    @abstractmethod
    def _stats(self) -> Stats: ...

    @abstractmethod
    def _has_entity(self, entity_id: str) -> bool: ...

    @abstractmethod
    def _entity(self, entity_id: str) -> EntityDetail | None: ...

    @abstractmethod
    def _search(
        self, key: str, words: tuple[str, ...], kind: str | None, limit: int, offset: int
    ) -> list[EntityHit]: ...

    @abstractmethod
    def _list_entities(self, kind: str | None, limit: int, after: str | None) -> list[EntityRef]: ...

    @abstractmethod
    def _stance(self, entity_id: str, sign: StanceSign) -> list[Stance] | Missing: ...

    @abstractmethod
    def _claims_by_id(self, claim_ids: list[str]) -> list[ClaimView]: ...

    @abstractmethod
    def _claims(self, flt: ClaimFilter, limit: int, after: str | None) -> list[ClaimView] | Missing: ...

    @abstractmethod
    def _between(self, a: str, b: str) -> list[ClaimView] | Missing: ...

    @abstractmethod
    def _paths(
        self, a: str, b: str, max_hops: int, limit: int, window: TimeWindow
    ) -> list[PathView] | Missing: ...

    @abstractmethod
    def _neighborhood(
        self, entity_id: str, depth: int, limit: int, window: TimeWindow
    ) -> NodeLink | Missing: ...

    @abstractmethod
    def _timeline(
        self, entity_id: str | None, limit: int, window: TimeWindow
    ) -> list[ClaimView] | Missing: ...

    @abstractmethod
    def _turning_claims(self, entity_id: str | None) -> list[ClaimView] | Missing:
        """Every claim between two entities on which a stance was reversed (schema.validtime),
        those with the entity at an end when one is given; by id."""

    @abstractmethod
    def _sources(self, source_id: str | None) -> list[SourceView]: ...

    @abstractmethod
    def _sources_by_id(self, source_ids: list[str]) -> dict[str, Source]: ...

    @abstractmethod
    def _source_text(self, source_id: str) -> str | Missing | None:
        """The text, None when the store holds the source without its text, Missing when it does
        not hold the source."""

    @abstractmethod
    def _snapshot(self) -> SeedSet: ...
