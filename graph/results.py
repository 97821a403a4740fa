"""What graph queries return. Every store returns exactly these, in the documented order."""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from stancegraph.schema.models import (
    Certainty,
    ClaimDate,
    Entity,
    EvidenceRecord,
    Source,
    Status,
    Validity,
    Value,
)
from stancegraph.schema.vocabulary import Polarity

T = TypeVar("T")


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class EntityRef(Result):
    """Enough of an entity to show it: id, kind and names."""

    id: str
    kind: str
    name_en: str
    name_zh: str | None

    @classmethod
    def of(cls, entity: Entity) -> EntityRef:
        return cls(id=entity.id, kind=entity.kind, name_en=entity.names.en, name_zh=entity.names.zh)


class EntityCounts(Result):
    claims: int = Field(description="Claims with this entity at either end.")
    supporters: int
    opponents: int


class EntityDetail(Result):
    entity: Entity
    counts: EntityCounts


MatchType = Literal["exact", "prefix", "substring", "words", "fuzzy"]


class EntityHit(Result):
    """A search result: the entity, the name or alias that matched, and how well."""

    entity: EntityRef
    matched: str
    match: MatchType
    score: float = Field(description="0-100; ranks hits within a match type.")


class TimeMatch(Result):
    """How a claim matched a time window: `within` for certain, `overlap` when a date of month or
    year precision (a start, an end, a publication) only may fall on the asked day."""

    as_of: Literal["within", "overlap"] | None = Field(
        description="The claim held on as_of; null: not asked."
    )
    known_by: Literal["within", "overlap"] | None = Field(
        description="Its evidence was published by known_by; null: not asked."
    )


class ClaimView(Result):
    """A claim with its endpoints resolved and all its evidence (ordered by source, start)."""

    id: str
    subject: EntityRef
    predicate: str
    object: EntityRef
    polarity: Polarity
    relationship: str
    certainty: Certainty
    qualifiers: dict[str, str]
    date: ClaimDate = Field(description="Summarised from the evidence's dates (see `status`).")
    properties: dict[str, Value] = Field(description="Each figure as most of the sources give it.")
    status: Status | None = Field(description="The latest report's: planned … happened, called off.")
    note: str | None
    evidence: list[EvidenceRecord]
    sources: int = Field(description="Distinct sources of the evidence.")
    independent: int = Field(
        description="Distinct origins of those sources after following `based_on` (rewrites of "
        "one report count once)."
    )
    first_reported: str | None = Field(description="The earliest publication among the sources.")
    last_reported: str | None = Field(description="The latest publication among the sources.")
    outlets: list[str] = Field(description="Entity ids of the outlets of those sources, sorted.")
    valid: Validity = Field(description="When it held in the world (valid time) and what ended it.")
    time: TimeMatch | None = Field(
        default=None, description="How the request's as_of and known_by matched; null without them."
    )


ConflictKind = Literal["figures", "dates", "status"]


class Position(Result):
    """One side of a disagreement: a value, and who gives it."""

    value: Any = Field(description="The figure, date or status this side gives.")
    text: list[str] = Field(description="The figure or date as the sources word it.")
    evidence: list[str]
    sources: list[str]
    outlets: list[str]
    speakers: list[str] = Field(description="Entity ids or descriptions; narration is the outlet's.")
    reported: list[str] = Field(description="When those sources were published (known dates only).")
    moment: str | None = Field(description="The day the figure held (as_of) or was first reported.")


class Conflict(Result):
    """Sources of one claim that cannot all be right: derived from the evidence, never written."""

    id: str = Field(description="claim:kind:key, stable while the evidence is.")
    claim: str
    kind: ConflictKind
    key: str = Field(description="The figure's name (and currency), `date`, `weekday …` or `status`.")
    reason: str
    over_time: bool = Field(
        description="The positions were reported at different moments: a series, perhaps a change."
    )
    positions: list[Position]


class ClaimDetail(ClaimView):
    """A claim with where its sources disagree."""

    conflicts: list[Conflict]


class Stance(Result):
    """One supporter (or opponent) of an entity, with the claims that say so."""

    entity: EntityRef
    claims: list[ClaimView]


class Page(Result, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


class PathView(Result):
    """A shortest chain of entities; `hops[i]` holds every claim between nodes i and i+1."""

    nodes: list[EntityRef]
    hops: list[list[ClaimView]]


class GraphNode(Result):
    id: str
    kind: str
    name_en: str
    name_zh: str | None
    aliases: list[str]
    aliases_by_language: dict[str, list[str]] = Field(
        default_factory=dict, description="The aliases whose language is known, by language tag."
    )
    distance: int | None = Field(default=None, description="Hops from the centre, if any.")

    @classmethod
    def of(cls, entity: Entity, distance: int | None = None) -> GraphNode:
        return cls(
            id=entity.id,
            kind=entity.kind,
            name_en=entity.names.en,
            name_zh=entity.names.zh,
            aliases=list(entity.aliases),
            aliases_by_language={k: list(v) for k, v in entity.aliases_by_language.items()},
            distance=distance,
        )


class GraphLink(Result):
    id: str
    source: str
    target: str
    predicate: str
    relationship: str
    polarity: Polarity
    certainty: Certainty
    date: str | None
    evidence_count: int


class NodeLink(Result):
    """Node-link data (networkx's layout): nodes ordered by (distance, id), links by id."""

    directed: bool = True
    multigraph: bool = True
    nodes: list[GraphNode]
    links: list[GraphLink]
    truncated: bool = False


class SourceView(Result):
    source: Source
    claims: int
    evidence: int


class Stats(Result):
    store: str
    entities: int
    claims: int
    evidence: int
    sources: int
    entities_by_kind: dict[str, int]
    claims_by_predicate: dict[str, int]


MAX_SOURCES = 1_000_000  # a bound on the source-count filters, so the value fits any store


class SourceCounts(Result):
    """How a claim must be sourced: how many sources, which outlet; None means any."""

    min_sources: int | None = Field(
        default=None, ge=1, le=MAX_SOURCES, description="Claims with at least this many sources."
    )
    max_sources: int | None = Field(
        default=None,
        ge=1,
        le=MAX_SOURCES,
        description="Claims with at most this many sources (1: resting on one source).",
    )
    outlet: str | None = Field(default=None, description="Claims an outlet (entity id) reports.")

    def admits_count(self, sources: int) -> bool:
        low, high = self.min_sources, self.max_sources
        return (low is None or sources >= low) and (high is None or sources <= high)

    def admits(self, claim: ClaimView) -> bool:
        return self.admits_count(claim.sources) and (self.outlet is None or self.outlet in claim.outlets)


class ClaimFilter(SourceCounts):
    """Filters for claim listings; every field narrows, None means any."""

    subject: str | None = None
    object: str | None = None
    predicate: str | None = None
    polarity: Polarity | None = None
    since: str | None = Field(
        default=None, description="YYYY-MM-DD; claims whose date may fall on or after it"
    )
    until: str | None = Field(
        default=None, description="YYYY-MM-DD; claims whose date may fall on or before it"
    )
    source: str | None = None
    certainty: Certainty | None = None
    entity: str | None = Field(default=None, description="Claims with this entity at either end.")
    conflicted: ConflictKind | Literal["any"] | None = Field(
        default=None, description="Claims whose sources disagree (on figures, dates or status)."
    )
    as_of: date | None = Field(default=None, description="Claims that held on this day (valid time).")
    known_by: date | None = Field(
        default=None, description="Claims as the sources published by this day tell them (known time)."
    )

    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def told_by_evidence(self) -> ClaimFilter:
        """The filter without what a claim's evidence decides and known_by may change the wrong
        way (fewer sources, a weaker certainty, another summary date): what a store can rule on
        before a known_by window restricts the evidence. Source, outlet and min_sources stay:
        under known_by a claim can only lose sources, so they rule out nothing it would pass."""
        return self.model_copy(update={"max_sources": None, "certainty": None, "since": None, "until": None})

    def admits_view(self, view: ClaimView) -> bool:
        """Whether a claim as served passes the filters its evidence decides (after a known_by
        window restricted it; `conflicted` is the store's to decide, from the sources)."""
        if not self.admits(view):
            return False
        if self.certainty is not None and view.certainty != self.certainty:
            return False
        if self.source is not None and all(ev.source != self.source for ev in view.evidence):
            return False
        return self.admits_date(view.date)

    def admits_date(self, when: ClaimDate) -> bool:
        """Whether a claim's date may fall in [since, until] (an undated claim passes only when
        neither is given)."""
        if not self.dated():
            return True
        bounds = when.bounds()
        if bounds is None:
            return False
        if self.since is not None and bounds[1] < date.fromisoformat(self.since):
            return False
        return self.until is None or bounds[0] <= date.fromisoformat(self.until)


class Step(Result):
    """A span over which an actor's stance toward a target kept one sign, with its claims."""

    polarity: Literal[-1, 1]
    start: ClaimDate = Field(description="The earliest start among its claims' intervals.")
    end: ClaimDate | None = Field(
        description="When the next step took over, or its claims ended; null: holds."
    )
    claims: list[ClaimView] = Field(description="The claims of this sign in the span, by id.")


class History(Result):
    """An actor's polarity toward a target over time: steps in date order (each a run of claims of
    one sign), and the neutral relations between them (contracts, talks) by date."""

    entity: EntityRef
    toward: EntityRef
    steps: list[Step]
    relations: list[ClaimView] = Field(description="Claims of polarity 0 from the entity toward the target.")


class Switch(Result):
    """An actor whose stance toward a target changed sign: a later claim of the opposite sign
    ended the earlier stance (schema.validtime's `reversed`)."""

    entity: EntityRef
    toward: EntityRef
    date: ClaimDate = Field(description="When the new stance started.")
    before: Step
    after: Step


class CypherResult(Result):
    """Rows of a read-only query; nodes, relationships, paths and temporal values as JSON data."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="True when the query had more rows than the row limit.")


class CoalitionTie(Result):
    """A tie between two actors in the signed actor graph (graph.signed), with its claims."""

    a: EntityRef = Field(description="The actor with the smaller id.")
    b: EntityRef
    sign: Literal[-1, 0, 1] = Field(description="1 friendly, -1 hostile, 0 contradictory (no edge).")
    weight: float = Field(
        description="Independent origins on the winning side minus those on the losing side "
        "(0.5 per shared third entity with third_party)."
    )
    claims: list[ClaimView] = Field(description="The signed claims between the two, both directions, by id.")


CoalitionMethod = Literal["exact", "fast"]


class Coalitions(Result):
    """Two camps of actors with the least weighted frustration (graph.coalitions): friendly ties
    inside a camp, hostile ties across; the ties that do not fit are `frustrated`."""

    as_of: date | None = Field(description="The day the camps are for (valid time); null: every claim.")
    known_by: date | None = Field(description="Only sources published by this day; null: all.")
    camps: list[list[EntityRef]] = Field(
        description="Two camps, members by id; camp 0 holds the actor with the smallest id."
    )
    unaligned: list[EntityRef] = Field(
        description="Actors with signed claims but no signed tie to another actor, by id."
    )
    frustration: float = Field(description="The summed weight of the frustrated ties.")
    balance: float = Field(description="1 - frustration / total_weight (weighted); 1 with no ties.")
    edges: int = Field(description="Signed ties between actors.")
    total_weight: float = Field(description="The summed weight of every tie.")
    method: CoalitionMethod
    optimal: bool = Field(description="True when the frustration is proven least.")
    lower_bound: float = Field(description="No split has less frustration (proven).")
    gap: float = Field(description="(frustration - lower_bound) / frustration; 0 when optimal.")
    seconds: float = Field(description="Time the solver took.")
    frustrated: list[CoalitionTie] = Field(
        description="Friendly ties across the camps and hostile ties inside one, by (a, b)."
    )
    contradictory: list[CoalitionTie] = Field(
        description="Pairs whose claims cancel exactly (no edge), by (a, b)."
    )


class CampChange(Result):
    """An actor whose camp differs between two dates (null: not in a camp then)."""

    entity: EntityRef
    before: Literal[0, 1] | None
    after: Literal[0, 1] | None


class CoalitionShift(Result):
    """The camps on two dates and who moved: `after`'s camps are numbered as `before`'s (the
    numbering that keeps the most actors in their camp), so a change is a move."""

    before: Coalitions
    after: Coalitions
    changed: list[CampChange] = Field(description="Actors whose camp changed, by id.")
