"""Conflicts and the claim summary, as the issue states them: bounds make figures intervals,
counts reported at different moments are a series, dates and weekdays, statuses in time."""

from __future__ import annotations

from typing import Any

import pytest

from stancegraph.graph.conflicts import claim_conflicts, conflict_kinds
from stancegraph.schema.models import EvidenceRecord, Speaker
from stancegraph.schema.summary import summarize
from tests.conftest import make_source

SOURCES = {
    s.id: s
    for s in (
        make_source("feb27", "2026-02-27", outlet="feb27-outlet"),
        make_source("feb28", "2026-02-28T15:30:00+08:00", outlet="feb28-outlet"),
        make_source("mar02", "2026-03-02", outlet="mar02-outlet"),
        make_source("mar10", "2026-03-10", outlet="mar10-outlet"),
        make_source("undated", "unknown", outlet="undated-outlet"),
    )
}


def _ev(source: str, n: int = 0, **said: Any) -> EvidenceRecord:
    return EvidenceRecord.model_validate(
        {
            "id": f"ev-{source}-{n}",
            "source": source,
            "quote": f"quote {n}",
            "start": 0,
            "end": 7,
            "translation": None,
            "speaker": Speaker(type="narration"),
            "certainty": "stated",
            **said,
        }
    )


def _count(value: int, bound: str = "exact", **more: Any) -> dict[str, Any]:
    return {"signatories": {"type": "count", "value": value, "bound": bound, **more}}


@pytest.mark.parametrize(
    ("one", "other", "conflict"),
    [
        ((300, "more_than"), (236, "exact"), True),
        ((200, "more_than"), (236, "exact"), False),
        ((50, "nearly"), (65, "exact"), True),
        ((50, "nearly"), (48, "exact"), False),
        ((300, "about"), (301, "exact"), False),
        ((300, "at_most"), (300, "exact"), False),
        ((300, "less_than"), (300, "exact"), True),
        ((200, "at_least"), (301, "exact"), False),
    ],
)
def test_figures_are_intervals_by_their_bound(
    one: tuple[int, str], other: tuple[int, str], conflict: bool
) -> None:
    evidence = [_ev("feb28", 1, values=_count(*one)), _ev("feb28", 2, values=_count(*other))]
    found = claim_conflicts("c", evidence, SOURCES)
    assert bool(found) == conflict
    if conflict:
        (only,) = found
        assert (only.kind, only.key, only.over_time) == ("figures", "signatories", False)
        assert len(only.positions) == 2


def test_counts_reported_at_different_moments_are_a_series() -> None:
    evidence = [
        _ev("mar10", 1, values=_count(300, "more_than", text="more than 300")),
        _ev("feb27", 2, values=_count(236, text="236")),
    ]
    (found,) = claim_conflicts("c", evidence, SOURCES)
    assert found.over_time
    assert [p.moment for p in found.positions] == ["2026-02-27", "2026-03-10"]  # in time order
    assert [p.text for p in found.positions] == [["236"], ["more than 300"]]
    # as_of, when the text gives it, is the moment the figure held
    held = [
        _ev("mar10", 1, values=_count(300, "more_than", as_of="2026-02-27")),
        _ev("feb27", 2, values=_count(236)),
    ]
    assert not claim_conflicts("c", held, SOURCES)[0].over_time


def test_amounts_in_different_currencies_are_not_compared() -> None:
    usd = {"value": {"type": "money", "amount": 2e8, "currency": "USD", "bound": "at_most"}}
    hkd = {"value": {"type": "money", "amount": 1.57e9, "currency": "HKD", "bound": "about"}}
    assert claim_conflicts("c", [_ev("feb28", 1, values=usd), _ev("mar02", 2, values=hkd)], SOURCES) == []


def test_dates_that_cannot_both_hold_and_a_weekday_that_does_not_match() -> None:
    evidence = [
        _ev("feb28", 1, date="2026-02-27"),
        _ev("mar02", 2, date={"value": "2026-02-28", "wording": "on Friday, February 28"}),
        _ev("mar10", 3, date="2026-02"),  # agrees with both
    ]
    found = {c.key: c for c in claim_conflicts("c", evidence, SOURCES)}
    assert found["date"].kind == "dates" and len(found["date"].positions) == 3
    weekday = found["weekday ev-mar02-2"]
    assert "names a Friday, but 2026-02-28 is a Saturday" in weekday.reason
    assert (
        claim_conflicts("c", [_ev("feb28", 1, date={"value": "2026-02-27", "wording": "周五"})], SOURCES)
        == []
    )
    # a lasting state may be dated differently by its sources
    assert conflict_kinds(evidence, SOURCES, lasting=True) == ["dates"]  # the weekday still counts
    assert "date" not in {c.key for c in claim_conflicts("c", evidence, SOURCES, lasting=True)}


def test_a_plan_and_its_date_are_not_a_date_conflict() -> None:
    evidence = [_ev("feb28", 1, date="2026-03-05", status="expected"), _ev("mar10", 2, date="2026-03-09")]
    assert claim_conflicts("c", evidence, SOURCES) == []


def test_statuses_in_time() -> None:
    done_then_pending = [
        _ev("feb27", 1, status="happened", date="2026-02-27"),
        _ev("mar02", 2, status="not_yet"),
    ]
    (found,) = claim_conflicts("c", done_then_pending, SOURCES)
    assert found.kind == "status" and [p.value for p in found.positions] == ["happened", "not_yet"]
    pending_then_done = [
        _ev("feb28", 1, status="expected"),
        _ev("mar10", 2, status="happened", date="2026-03-09"),
    ]
    assert claim_conflicts("c", pending_then_done, SOURCES) == []
    denied = [_ev("feb28", 1, status="happened"), _ev("undated", 2, status="denied")]
    assert "denies" in claim_conflicts("c", denied, SOURCES)[0].reason
    undated = [_ev("undated", 1, status="happened"), _ev("mar10", 2, status="planned")]
    assert claim_conflicts("c", undated, SOURCES) == []  # an undated report is never "before"


def test_summary() -> None:
    evidence = [
        _ev("feb28", 1, status="expected", values=_count(236)),
        _ev("mar02", 2, values=_count(236, text="236 signatories")),
        _ev("mar10", 3, status="happened", date="2026-03-09", values=_count(300, "more_than")),
        _ev("feb27", 4, date="2026-03", status="planned"),
    ]
    summary = summarize(evidence, SOURCES)
    assert summary.status == "happened"
    assert summary.date.value == "2026-03-09"  # the plan's month does not count once it is done
    assert summary.properties["signatories"].model_dump()["value"] == 236  # most sources
    assert summary.certainty == "stated"
    plans = summarize([_ev("feb27", 1, status="planned"), _ev("mar02", 2, status="expected")], SOURCES)
    assert plans.status == "expected"  # among plans, the latest report
    assert summarize([_ev("feb27", 1)], SOURCES).status is None
