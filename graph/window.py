"""Time windows on answers: `as_of` (valid time: what held on a day) and `known_by` (known time:
only what sources published by a day said). One implementation for every store.

Stores narrow their candidates with what they index (`admits`: a claim's earliest start, its
latest end, its first publication; on Neo4j the properties valid_from, valid_until and
known_from), and the exact answer is decided here (`restrict`): under `known_by` a claim keeps
only the evidence published by then, and its summary, corroboration and valid time are computed
again from that evidence, as schema.summary and schema.validtime define them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TypeVar

from pydantic import Field

from stancegraph.graph.corroboration import corroboration
from stancegraph.graph.results import ClaimView, Result, TimeMatch
from stancegraph.schema.models import SeedSet, Source, ValidatedClaim, Validity
from stancegraph.schema.summary import summarize
from stancegraph.schema.validtime import Match, holds, published_by, span, validity

C = TypeVar("C", ClaimView, ValidatedClaim)


class TimeWindow(Result):
    """A point in valid time and one in known time; None means any."""

    as_of: date | None = Field(default=None, description="What held on this day (valid time).")
    known_by: date | None = Field(
        default=None, description="Only what sources published by this day said (known time)."
    )

    def empty(self) -> bool:
        return self.as_of is None and self.known_by is None


def valid_from(valid: Validity) -> date | None:
    """The first day the claim may have held (None: nothing dates it)."""
    return span(valid.held[0].start)[0] if valid.held else None


def valid_until(valid: Validity) -> date | None:
    """The last day the claim may have stopped on, after its last interval (None: still holds)."""
    if not valid.held or valid.held[-1].end is None:
        return None
    return span(valid.held[-1].end)[1]


def held_span(valid: Validity) -> str | None:
    """When the claim held, its dates as written: from its first start to its last end,
    "2026-02–2026-04-28", open while it holds, "2026-04-28–"; None when nothing dates it. (Text for
    people, such as Browser's captions; valid_from and valid_until are what queries compare.)"""
    if not valid.held:
        return None
    end = valid.held[-1].end
    return f"{valid.held[0].start.value}–{'' if end is None else end.value}"


def timeline_key(valid: Validity) -> tuple[date, date]:
    """Where a claim goes in a timeline: by the last day its start may denote, then the first
    ("2026-02" says "by the end of February", so it comes after 2026-02-19); undated last."""
    if not valid.held:
        return date.max, date.max
    first, last = span(valid.held[0].start)
    return last, first


def was_reversed(valid: Validity) -> bool:
    """Whether a later claim of the opposite sign ended one of the claim's intervals: what marks
    the pairs switches are read from (Neo4j's `reversed`, the embedded store's turning pairs)."""
    return any(i.ended_by is not None and i.ended_by.reason == "reversed" for i in valid.held)


def known_from(source_ids: Iterable[str], sources: Mapping[str, Source]) -> date | None:
    """The first day any of these sources may have been published (None: no date is known):
    the claim's `known_from`, which the stores index for known_by."""
    days = [b[0] for s in source_ids if (src := sources.get(s)) is not None and (b := src.published_bounds())]
    return min(days, default=None)


def admits(window: TimeWindow, first: date | None, until: date | None, known_from: date | None) -> bool:
    """Whether a claim may be in the window, from what stores index: its `valid_from`, `valid_until`
    and the earliest publication among its sources. Never false for a claim `restrict` keeps."""
    if window.as_of is not None:
        if first is None or first > window.as_of:
            return False
        # Under known_by an end may not be known yet: only the start can be ruled on.
        if window.known_by is None and until is not None and until <= window.as_of:
            return False
    return window.known_by is None or (known_from is not None and known_from <= window.known_by)


def restrict(view: C, window: TimeWindow, sources: Mapping[str, Source]) -> C | None:
    """The claim (a view, or a record of a snapshot) as the window sees it, or None when it is
    outside. `sources` must hold the claim's sources when `known_by` is given (their
    publication decides)."""
    if window.empty():
        return view
    update: dict[str, object] = {}
    known: Match | None = None
    valid = view.valid
    if window.known_by is not None:
        matches = {ev.id: published_by(sources[ev.source].published, window.known_by) for ev in view.evidence}
        evidence = [ev for ev in view.evidence if matches[ev.id] is not None]
        if not evidence:
            return None
        known = "within" if all(matches[ev.id] == "within" for ev in evidence) else "overlap"
        valid = validity(evidence, sources, valid.endings, window.known_by)
        update |= dict(summarize(evidence, sources))
        if isinstance(view, ClaimView):
            update |= corroboration((ev.source for ev in evidence), sources)._asdict()
        update |= {"evidence": evidence, "valid": valid}
    held: Match | None = None
    if window.as_of is not None:
        held = holds(valid, window.as_of)
        if held is None:
            return None
    if isinstance(view, ClaimView):
        update["time"] = TimeMatch(as_of=held, known_by=known)
    return view.model_copy(update=update)


def restrict_seeds(seeds: SeedSet, window: TimeWindow) -> SeedSet:
    """A snapshot with only its claims in the window, each as the window sees it (exports)."""
    if window.empty():
        return seeds
    sources = {s.id: s for s in seeds.sources}
    kept = (restrict(claim, window, sources) for claim in seeds.claims)
    return seeds.model_copy(update={"claims": [c for c in kept if c is not None]})
