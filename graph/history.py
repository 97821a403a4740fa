"""Stance histories and switches: plain functions over the claims from an actor toward a target.

A history's steps are the claims' valid intervals (schema.validtime) in date order, a run of one
sign making one step; a switch is a step whose stance a claim of the next step reversed. Both
stores answer these from the claims they return, so there is one definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from stancegraph.graph.results import ClaimView, EntityRef, History, Step, Switch
from stancegraph.schema.models import ClaimDate, Interval
from stancegraph.schema.validtime import span


def toward(
    claims: Iterable[ClaimView], actor: str, target: str, symmetric: frozenset[str]
) -> list[ClaimView]:
    """The claims that state the actor's stance toward the target: actor -> target, and either
    way for a symmetric predicate (allied_with is both ends' stance)."""
    return [
        c
        for c in claims
        if (c.subject.id, c.object.id) == (actor, target)
        or (c.predicate in symmetric and (c.subject.id, c.object.id) == (target, actor))
    ]


def history(entity: EntityRef, target: EntityRef, claims: Iterable[ClaimView]) -> History:
    """The entity's stance toward the target over time, from the claims between them (already
    chosen by `toward`)."""
    claims = sorted(claims, key=lambda c: c.id)
    spans = sorted(
        ((interval, claim) for claim in claims if claim.polarity != 0 for interval in claim.valid.held),
        key=lambda item: (span(item[0].start), item[1].id),
    )
    runs: list[list[tuple[Interval, ClaimView]]] = []
    for item in spans:
        if runs and runs[-1][0][1].polarity == item[1].polarity:
            runs[-1].append(item)
        else:
            runs.append([item])
    steps = [_step(run, following[0][0].start if following else None) for run, following in _pairs(runs)]
    relations = sorted((c for c in claims if c.polarity == 0), key=_by_start)
    return History(entity=entity, toward=target, steps=steps, relations=relations)


def switches(found: History) -> list[Switch]:
    """Each step a claim of the next step reversed (its interval ended by `reversed`)."""
    out: list[Switch] = []
    for before, after in zip(found.steps, found.steps[1:], strict=False):
        after_ids = {c.id for c in after.claims}
        reversed_by_next = any(
            interval.ended_by is not None
            and interval.ended_by.reason == "reversed"
            and interval.ended_by.claim in after_ids
            for claim in before.claims
            for interval in claim.valid.held
        )
        if reversed_by_next:
            out.append(
                Switch(entity=found.entity, toward=found.toward, date=after.start, before=before, after=after)
            )
    return out


def in_period(switch: Switch, since: date | None, until: date | None) -> bool:
    """Whether the switch's date may fall in [since, until] (a partial date overlaps)."""
    lo, hi = span(switch.date)
    return (since is None or hi >= since) and (until is None or lo <= until)


def _pairs(
    runs: list[list[tuple[Interval, ClaimView]]],
) -> Iterable[tuple[list[tuple[Interval, ClaimView]], list[tuple[Interval, ClaimView]] | None]]:
    for i, run in enumerate(runs):
        yield run, runs[i + 1] if i + 1 < len(runs) else None


def _step(run: list[tuple[Interval, ClaimView]], next_start: ClaimDate | None) -> Step:
    claims = {claim.id: claim for _, claim in run}
    ends = [interval.end for interval, _ in run]
    if next_start is not None:
        end: ClaimDate | None = next_start
    elif any(e is None for e in ends):
        end = None
    else:
        end = max((e for e in ends if e is not None), key=span)
    polarity = run[0][1].polarity
    assert polarity in (1, -1)
    return Step(
        polarity=polarity,
        start=run[0][0].start,
        end=end,
        claims=[claims[i] for i in sorted(claims)],
    )


def _by_start(claim: ClaimView) -> tuple[tuple[date, date], str]:
    held = claim.valid.held
    return (span(held[0].start) if held else (date.max, date.max)), claim.id
