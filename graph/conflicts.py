"""Where a claim's sources disagree: figures, dates and statuses that cannot all hold.

Derived from the evidence, never written by hand, by one function every store and export uses
(`claim_conflicts`). A figure's bound makes it an interval ("more than 300" is (300, inf),
"nearly 50" is [45, 50]) and two positions conflict when their intervals do not meet; counts
reported at different moments are a series, and marked so (`over_time`), since a count may grow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from stancegraph.graph.results import Conflict, ConflictKind, Position
from stancegraph.schema.models import ClaimDate, EvidenceRecord, Source, Value
from stancegraph.schema.summary import PENDING, status_time, value_identity

# "about 200" and "nearly 200" are read as within 10% (below, for nearly): a convention, stated
# in the README, not a fact of language.
ABOUT = 0.1
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
_DURATION_DAYS = (365.0, 30.0, 7.0, 1.0, 1 / 24, 1 / 1440)
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_EN = re.compile(
    r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\b\.?", re.I
)
_WEEKDAY_ZH = re.compile(r"(?:周|週|星期|礼拜|禮拜)([一二三四五六日天])")
_ZH_DAYS = "一二三四五六日"


@dataclass(frozen=True)
class _Interval:
    low: float
    low_open: bool
    high: float
    high_open: bool

    def meets(self, other: _Interval) -> bool:
        if self.low > other.high or other.low > self.high:
            return False
        if self.low == other.high and (self.low_open or other.high_open):
            return False
        return not (other.low == self.high and (other.low_open or self.high_open))


def claim_conflicts(
    claim_id: str,
    evidence: Sequence[EvidenceRecord],
    sources: Mapping[str, Source],
    *,
    lasting: bool = False,
) -> list[Conflict]:
    """Every disagreement among the claim's evidence, ordered by id (kind, then key). The dates
    of a `lasting` state (its predicate's flag) may differ without disagreeing."""
    found = [
        *_figure_conflicts(claim_id, evidence, sources),
        *([] if lasting else _date_conflicts(claim_id, evidence, sources)),
        *_weekday_conflicts(claim_id, evidence, sources),
        *_status_conflicts(claim_id, evidence, sources),
    ]
    return sorted(found, key=lambda c: c.id)


def conflict_kinds(
    evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source], *, lasting: bool = False
) -> list[ConflictKind]:
    """The kinds of disagreement a claim has, sorted (stored on the claim so stores can filter)."""
    return sorted({c.kind for c in claim_conflicts("", evidence, sources, lasting=lasting)})


# --- figures ----------------------------------------------------------------------------------------


def _figure_conflicts(
    claim_id: str, evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]
) -> list[Conflict]:
    by_key: dict[tuple[str, str], dict[Any, list[EvidenceRecord]]] = {}
    for ev in evidence:
        for key, value in ev.values.items():
            if _interval(value) is None:
                continue
            unit = getattr(value, "currency", value.type)  # amounts in different currencies don't compare
            by_key.setdefault((key, unit), {}).setdefault(value_identity(value), []).append(ev)
    out: list[Conflict] = []
    for (key, unit), positions in sorted(by_key.items()):
        values = {ident: evs[0].values[key] for ident, evs in positions.items()}
        intervals = {ident: _interval(v) for ident, v in values.items()}
        clashes = [
            (a, b) for a in intervals for b in intervals if a < b and not _meets(intervals[a], intervals[b])
        ]
        if not clashes:
            continue
        built = [
            _position(
                values[ident].model_dump(mode="json"), evs, sources, _figure_text(key, evs), _as_of(key, evs)
            )
            for ident, evs in positions.items()
        ]
        built.sort(key=lambda p: (p.moment or "", p.evidence))
        moments = [p.moment for p in built]
        over_time = None not in moments and len(set(moments)) > 1
        first = values[clashes[0][0]], values[clashes[0][1]]
        reason = f"{_said(first[0])} and {_said(first[1])} cannot both hold" + (
            "; reported at different moments, so this may be a change over time" if over_time else ""
        )
        name = key if unit in {"count", "duration"} else f"{key} ({unit})"
        out.append(_conflict(claim_id, "figures", name, reason, built, over_time=over_time))
    return out


def _meets(a: _Interval | None, b: _Interval | None) -> bool:
    return a is None or b is None or a.meets(b)


def _interval(value: Value) -> _Interval | None:
    number: float
    if value.type == "money":
        number = value.amount
    elif value.type == "count":
        number = float(value.value)
    elif value.type == "duration":
        match = _DURATION.match(value.iso)
        if match is None:
            return None
        number = sum(
            float(part or 0) * days for part, days in zip(match.groups(), _DURATION_DAYS, strict=True)
        )
    else:
        return None
    bound = value.bound
    inf = float("inf")
    return {
        "exact": _Interval(number, False, number, False),
        "about": _Interval(number * (1 - ABOUT), False, number * (1 + ABOUT), False),
        "nearly": _Interval(number * (1 - ABOUT), False, number, False),
        "at_least": _Interval(number, False, inf, False),
        "more_than": _Interval(number, True, inf, False),
        "at_most": _Interval(-inf, False, number, False),
        "less_than": _Interval(-inf, False, number, True),
    }[bound]


def _said(value: Value) -> str:
    text = getattr(value, "text", None)
    return repr(text) if text else repr(value_identity(value))


def _figure_text(key: str, evs: list[EvidenceRecord]) -> list[str]:
    return sorted({t for ev in evs if (t := getattr(ev.values[key], "text", None))})


def _as_of(key: str, evs: list[EvidenceRecord]) -> str | None:
    moments = [a for ev in evs if (a := getattr(ev.values[key], "as_of", None))]
    return min(moments) if moments else None


# --- dates ------------------------------------------------------------------------------------------


def _date_conflicts(
    claim_id: str, evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]
) -> list[Conflict]:
    """Dates of the thing itself (not of plans for it) that cannot both hold at their precision."""
    positions: dict[str, list[EvidenceRecord]] = {}
    for ev in evidence:
        if ev.date is not None and ev.date.value is not None and ev.status not in PENDING:
            positions.setdefault(ev.date.value, []).append(ev)
    spans = {value: _bounds(ClaimDate.model_validate(value)) for value in positions}
    clashes = [
        (a, b)
        for a in spans
        for b in spans
        if a < b and (spans[a][1] < spans[b][0] or spans[b][1] < spans[a][0])
    ]
    if not clashes:
        return []
    built = [
        _position(
            ClaimDate.model_validate(value).model_dump(mode="json"),
            evs,
            sources,
            sorted({ev.date.wording for ev in evs if ev.date is not None and ev.date.wording}),
        )
        for value, evs in sorted(positions.items())
    ]
    a, b = clashes[0]
    return [_conflict(claim_id, "dates", "date", f"{a} and {b} cannot both be when it happened", built)]


def _bounds(when: ClaimDate) -> tuple[date, date]:
    bounds = when.bounds()
    assert bounds is not None
    return bounds


def _weekday_conflicts(
    claim_id: str, evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]
) -> list[Conflict]:
    """A wording whose weekday is not the weekday of the date it is given with."""
    out: list[Conflict] = []
    for ev in evidence:
        when = ev.date
        if when is None or when.precision != "day" or when.wording is None or when.value is None:
            continue
        named = _named_weekday(when.wording)
        actual = date.fromisoformat(when.value).weekday()
        if named is None or named == actual:
            continue
        reason = (
            f"{when.wording!r} names a {_WEEKDAYS_EN[named].capitalize()}, but {when.value} is a "
            f"{_WEEKDAYS_EN[actual].capitalize()}"
        )
        position = _position(when.model_dump(mode="json"), [ev], sources, [when.wording])
        out.append(_conflict(claim_id, "dates", f"weekday {ev.id}", reason, [position]))
    return out


def _named_weekday(wording: str) -> int | None:
    match = _WEEKDAY_EN.search(wording)
    if match is not None:
        prefix = match.group(1).lower()[:3]
        return next(i for i, name in enumerate(_WEEKDAYS_EN) if name.startswith(prefix))
    zh = _WEEKDAY_ZH.search(wording)
    if zh is not None:
        char = zh.group(1)
        return 6 if char in "日天" else _ZH_DAYS.index(char)
    return None


# --- status -----------------------------------------------------------------------------------------


def _status_conflicts(
    claim_id: str, evidence: Sequence[EvidenceRecord], sources: Mapping[str, Source]
) -> list[Conflict]:
    """One source says it happened; another denies it, or still calls it to come after it had."""
    told = [ev for ev in evidence if ev.status is not None]
    happened = [ev for ev in told if ev.status == "happened"]
    if not happened:
        return []
    reasons: list[str] = []
    if any(ev.status == "denied" for ev in told):
        reasons.append("one source says it happened, another denies it")
    # Only reports whose time is known can be later than another (an undated page is neither).
    ends = (status_time(ev, sources)[1] for ev in happened)
    done_by = min((end for end in ends if end != date.min), default=None)
    late = [
        ev
        for ev in told
        if done_by is not None and ev.status in PENDING and status_time(ev, sources)[0] > done_by
    ]
    if late:
        reasons.append(
            f"a source still calls it {late[0].status} after another says it happened (by {done_by})"
        )
    if not reasons:
        return []
    by_status: dict[str, list[EvidenceRecord]] = {}
    for ev in told:
        by_status.setdefault(ev.status or "", []).append(ev)
    built = [_position(status, evs, sources, []) for status, evs in by_status.items()]
    built.sort(key=lambda p: (p.moment or "", str(p.value)))
    return [_conflict(claim_id, "status", "status", "; ".join(reasons), built)]


# --- shared -----------------------------------------------------------------------------------------


def _position(
    value: Any,
    evs: Sequence[EvidenceRecord],
    sources: Mapping[str, Source],
    text: list[str],
    moment: str | None = None,
) -> Position:
    cited = sorted({ev.source for ev in evs})
    published = [sources[s].published for s in cited if s in sources and sources[s].published != "unknown"]
    return Position(
        value=value,
        text=text,
        evidence=sorted(ev.id for ev in evs),
        sources=cited,
        outlets=sorted({sources[s].outlet for s in cited if s in sources}),
        speakers=sorted({_speaker(ev, sources) for ev in evs}),
        reported=sorted(published),
        moment=_day(moment) if moment else (min(map(_day, published)) if published else None),
    )


def _day(published: str) -> str:
    return published.split("T", 1)[0]


def _speaker(ev: EvidenceRecord, sources: Mapping[str, Source]) -> str:
    speaker = ev.speaker
    if speaker.type == "narration":
        source = sources.get(ev.source)
        return source.outlet if source is not None else ev.source
    return speaker.entity or speaker.name or speaker.type


def _conflict(
    claim_id: str,
    kind: ConflictKind,
    key: str,
    reason: str,
    positions: list[Position],
    *,
    over_time: bool = False,
) -> Conflict:
    return Conflict(
        id=f"{claim_id}:{kind}:{key}",
        claim=claim_id,
        kind=kind,
        key=key,
        reason=reason,
        over_time=over_time,
        positions=positions,
    )
