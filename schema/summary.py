"""A claim's summary from its evidence: one certainty, date, set of figures and status.

Every store and every export shows the summary computed here (validation attaches it to each
claim), so they cannot drift; where sources disagree, `graph.conflicts` shows the disagreement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from stancegraph.schema.models import (
    CERTAINTY_RANK,
    ClaimDate,
    ClaimSummary,
    EvidenceRecord,
    Source,
    Status,
    Value,
)

PENDING: frozenset[Status] = frozenset({"planned", "expected", "not_yet"})
# For a tie between reports published on the same day, the further-along status wins.
_STATUS_ORDER: dict[str, int] = {
    "planned": 0,
    "expected": 1,
    "not_yet": 2,
    "happened": 3,
    "called_off": 4,
    "denied": 5,
}
_SETTLED: tuple[Status, ...] = ("called_off", "happened", "denied")
_FAR = (date.min, date.min)


def reported(source_id: str, sources: Mapping[str, Source]) -> tuple[date, date]:
    """The days a source may have been published on (date.min when unknown: it sorts first)."""
    source = sources.get(source_id)
    bounds = source.published_bounds() if source is not None else None
    return bounds or _FAR


def status_time(ev: EvidenceRecord, sources: Mapping[str, Source]) -> tuple[date, date]:
    """When a status report holds, as the first and last day it may denote (`evidence_time`;
    date.min when nothing dates it)."""
    when = evidence_time(ev, sources.get(ev.source))
    bounds = when.bounds() if when is not None else None
    return bounds or _FAR


def evidence_time(ev: EvidenceRecord, source: Source | None) -> ClaimDate | None:
    """When what the evidence reports holds: its date when it has one (the day it happened, or
    the day a plan was announced), else its source's publication; None when neither is known. A
    plan dated after its source was published is a plan for later: it holds when it was published."""
    published = source.published_date() if source is not None else None
    published = published if published is not None and published.value is not None else None
    if ev.date is None or ev.date.value is None:
        return published
    if ev.status in PENDING and published is not None and _span(ev.date)[0] > _span(published)[1]:
        return published
    return ev.date.plain()


def summarize(evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]) -> ClaimSummary:
    """The claim as its evidence tells it.

    - certainty: the strongest any evidence gives;
    - status: called off, else happened, else denied, as soon as any source says so (a lawsuit
      expected on 28 February and filed on 9 March is `happened`); else the latest report's;
    - date: among the dates of evidence that does not report the thing as still to come (unless
      none does), the one most other dates agree with, then the narrowest, then the earliest;
    - each figure: the value most sources give, then the one reported latest.
    """
    return ClaimSummary(
        certainty=max((ev.certainty for ev in evidence), key=CERTAINTY_RANK.__getitem__),
        status=_status(evidence, sources),
        date=_date(evidence),
        properties=_values(evidence, sources),
    )


def _status(evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]) -> Status | None:
    told = [ev for ev in evidence if ev.status is not None]
    statuses = {ev.status for ev in told}
    # Once any source reports it done (or called off), that stands: a source that still calls it
    # expected is a conflict to show (graph.conflicts), not a reason to undo it. Among plans, the
    # latest report's word: planned, then expected.
    for settled in _SETTLED:
        if settled in statuses:
            return settled
    if not told:
        return None
    latest = max(told, key=lambda ev: (reported(ev.source, sources), _STATUS_ORDER[ev.status or ""]))
    return latest.status


def _date(evidence: Sequence[EvidenceRecord]) -> ClaimDate:
    dated = [ev for ev in evidence if ev.date is not None and ev.date.value is not None]
    settled = [ev for ev in dated if ev.status not in PENDING]
    candidates = [ev.date.plain() for ev in settled or dated if ev.date is not None]
    if not candidates:
        return ClaimDate()
    spans = [(c, _span(c)) for c in candidates]

    def score(item: tuple[ClaimDate, tuple[date, date]]) -> tuple[int, int, date]:
        _, (start, end) = item
        agree = sum(1 for _, (s, e) in spans if s <= end and start <= e)
        return (-agree, (end - start).days, start)

    return min(spans, key=score)[0]


def _span(when: ClaimDate) -> tuple[date, date]:
    bounds = when.bounds()
    assert bounds is not None
    return bounds


def _values(evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]) -> dict[str, Value]:
    positions: dict[str, dict[Any, tuple[Value, set[str], tuple[date, date]]]] = {}
    for ev in evidence:
        for key, value in ev.values.items():
            by_value = positions.setdefault(key, {})
            identity = value_identity(value)
            when = reported(ev.source, sources)
            first, cited, latest = by_value.get(identity, (value, set(), when))
            by_value[identity] = (first, cited | {ev.source}, max(latest, when))
    out: dict[str, Value] = {}
    for key in sorted(positions):
        best = max(positions[key].values(), key=lambda p: (len(p[1]), p[2]))
        out[key] = best[0]
    return out


def value_identity(value: Value) -> tuple[Any, ...]:
    """What makes two values the same position: the figure and its bound, not how it is worded
    or when it was said to hold."""
    data = value.model_dump(mode="json", exclude={"text", "as_of"})
    return tuple(sorted((k, str(v)) for k, v in data.items()))
