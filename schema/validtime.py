"""Valid time: when a claim held in the world, derived from its evidence and the claims that end it.

- A claim starts to hold at its earliest evidence: the evidence's date, else its source's
  publication (`summary.evidence_time`); "earliest" is the date whose last possible day comes
  first, so "on 26 February" refines "in February".
- It stops at the first ending after that start (each an `Ending`, kept with its evidence):
  - reversed: evidence of a claim of the opposite sign from the same subject toward the same
    object (either direction when one of them is symmetric), dated strictly after the start;
  - ended: evidence of a claim between the same two whose predicate `ends` this one (the
    vocabulary: left ends works_for), strictly after the start;
  - called_off: its own evidence that reports it called off, on or after the start.
- Its own evidence that the text dates strictly after an end starts it again: a stance taken up
  again holds over a second interval. (Undated evidence in a later article does not: that is
  mostly background.)

Dates of month or year precision compare as the intervals they denote: "strictly after" is after
the last day the earlier may be; "holds on D" is certain when the start's last possible day and
the end's first are on either side of D, and an overlap when only some days of them are.

Known time (`known_by`) is the same computation over the evidence whose source was published by
then (sources of unknown publication are never known by a date). Every store keeps `Validity` as
computed here and calls `validity` again only for a `known_by`, so they cannot drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal

from stancegraph.schema.models import (
    ClaimDate,
    Ending,
    EndReason,
    EvidenceRecord,
    Interval,
    Source,
    ValidatedClaim,
    Validity,
    publication_date,
)
from stancegraph.schema.summary import evidence_time
from stancegraph.schema.vocabulary import Vocabulary

Match = Literal["within", "overlap"]
"""How a date matched: `within` for certain, `overlap` when a partial date only may."""

_Point = tuple[ClaimDate, EvidenceRecord]


def span(when: ClaimDate) -> tuple[date, date]:
    bounds = when.bounds()
    assert bounds is not None, "only known dates are compared"
    return bounds


def published_by(published: str, day: date) -> Match | None:
    """Whether a source with this `published` was out by `day` (None: not, or not known)."""
    bounds = publication_date(published).bounds()
    if bounds is None or bounds[0] > day:
        return None
    return "within" if bounds[1] <= day else "overlap"


def holds(valid: Validity, day: date) -> Match | None:
    """Whether the claim held on `day`: within an interval for certain, in an overlap of partial
    dates, or not (None; also when nothing dates it)."""
    found: Match | None = None
    for interval in valid.held:
        start_lo, start_hi = span(interval.start)
        end_lo, end_hi = span(interval.end) if interval.end is not None else (date.max, date.max)
        if start_lo <= day < end_hi:
            if start_hi <= day < end_lo:
                return "within"
            found = "overlap"
    return found


def validity(
    evidence: Sequence[EvidenceRecord],
    sources: Mapping[str, Source],
    endings: Sequence[Ending],
    known_by: date | None = None,
) -> Validity:
    """The intervals over which the claim held, from its evidence and the endings (those whose
    source was published by `known_by`, and evidence likewise, when it is given)."""
    if known_by is not None:
        evidence = [ev for ev in evidence if _known(sources.get(ev.source), known_by)]
        endings = [e for e in endings if published_by(e.published, known_by) is not None]
    points: list[_Point] = sorted(
        ((when, ev) for ev in evidence if (when := evidence_time(ev, sources.get(ev.source))) is not None),
        key=_point_key,
    )
    ordered = sorted(endings, key=_ending_key)
    held: list[Interval] = []
    i = 0
    while i < len(points):
        start, ev = points[i]
        end = next((e for e in ordered if _ends(e, start)), None)
        held.append(
            Interval(start=start, start_evidence=ev.id, end=None if end is None else end.date, ended_by=end)
        )
        if end is None:
            break
        after = span(end.date)[1]
        i = next((j for j in range(i + 1, len(points)) if _restarts(points[j], after)), len(points))
    return Validity(held=held, endings=ordered)


def attach_validity(
    claims: Iterable[ValidatedClaim], sources: Mapping[str, Source], vocabulary: Vocabulary
) -> list[ValidatedClaim]:
    """The claims with their `valid` computed over the whole set (what ends a claim is other claims)."""
    claims = list(claims)
    by_pair: dict[frozenset[str], list[ValidatedClaim]] = defaultdict(list)
    for claim in claims:
        by_pair[frozenset((claim.subject, claim.object))].append(claim)
    out: list[ValidatedClaim] = []
    for claim in claims:
        called_off = [ev for ev in claim.evidence if ev.status == "called_off"]
        endings = list(_endings(claim.id, called_off, "called_off", sources))
        for other in by_pair[frozenset((claim.subject, claim.object))]:
            reason = _reason(claim, other, vocabulary)
            if reason is not None:
                endings += _endings(other.id, other.evidence, reason, sources)
        out.append(claim.model_copy(update={"valid": validity(claim.evidence, sources, endings)}))
    return out


def _reason(claim: ValidatedClaim, other: ValidatedClaim, vocabulary: Vocabulary) -> EndReason | None:
    if other.id == claim.id:
        return None
    if claim.predicate in vocabulary.predicates[other.predicate].ends:
        return "ended"
    signs = claim.polarity * other.polarity
    predicates = vocabulary.predicates
    symmetric = predicates[claim.predicate].symmetric or predicates[other.predicate].symmetric
    same_way = (other.subject, other.object) == (claim.subject, claim.object)
    return "reversed" if signs < 0 and (same_way or symmetric) else None


def _endings(
    claim_id: str, evidence: Iterable[EvidenceRecord], reason: EndReason, sources: Mapping[str, Source]
) -> Iterable[Ending]:
    """An ending for each of the evidence records of claim `claim_id` that something dates."""
    for ev in evidence:
        source = sources.get(ev.source)
        when = evidence_time(ev, source)
        if when is not None and source is not None:
            yield Ending(
                reason=reason,
                claim=claim_id,
                evidence=ev.id,
                source=ev.source,
                date=when,
                published=source.published,
            )


def _ends(ending: Ending, start: ClaimDate) -> bool:
    """Whether the ending ends an interval from `start`: strictly after it (a report of the same
    days cannot say which came first), or on or after it for its own evidence calling it off."""
    end_lo = span(ending.date)[0]
    if ending.reason == "called_off":
        return end_lo >= span(start)[0]
    return end_lo > span(start)[1]


def _point_key(point: _Point) -> tuple[date, int, str]:
    """Evidence in the order it dates a start: by the last day its date may be, then the
    narrowest. "On 26 February" then comes before "in February": it refines it (the month says
    only "by the end of February"), as a timeline orders them (graph.window.timeline_key)."""
    first, last = span(point[0])
    return last, -first.toordinal(), point[1].id


def _restarts(point: _Point, after: date) -> bool:
    """Whether the evidence starts the claim again after an end on `after`: the text dates it
    later. (An undated mention in a later article is mostly background, not a new stance.)"""
    when, ev = point
    return ev.date is not None and ev.date.value is not None and span(when)[0] > after


def _ending_key(ending: Ending) -> tuple[tuple[date, date], str, str]:
    return span(ending.date), ending.claim, ending.evidence


def _known(source: Source | None, day: date) -> bool:
    return source is not None and published_by(source.published, day) is not None
