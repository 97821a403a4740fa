"""Coalitions: the two camps of actors with the fewest ties that do not fit (graph.camps), on one
day or how they moved between two."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from stancegraph.api.deps import SettingsDep, SourceCountsDep, StoreDep, TimeWindowDep, in_thread
from stancegraph.api.problems import WITH_404
from stancegraph.graph import camps
from stancegraph.graph.results import CoalitionMethod, Coalitions, CoalitionShift
from stancegraph.settings import Settings

router = APIRouter(prefix="/v1/coalitions", tags=["relations"])

# The solver stops at this share of the request's deadline and reports its best split and gap,
# so an answer comes back before the deadline cancels the request.
SOLVER_SHARE = 0.5

MethodQuery = Annotated[
    CoalitionMethod,
    Query(
        description="exact: least frustration, proven (binary linear programming, HiGHS) within "
        "time_limit, else the best split found and its proven gap; fast: a heuristic with a lower bound."
    ),
]
KindQuery = Annotated[
    list[str] | None,
    Query(
        description="Only actors of these kinds (repeat the parameter); default every actor kind.",
        json_schema_extra={"x-actor-kinds": True},
    ),
]
TimeLimitQuery = Annotated[
    float,
    Query(gt=0, le=60, description="Seconds the solver may take (at most half the request deadline)."),
]


def _limit(time_limit: float, settings: Settings) -> float:
    return min(time_limit, SOLVER_SHARE * settings.query_timeout)


@router.get("", summary="The two camps of actors, and the ties that cut across them", responses=WITH_404)
async def coalitions(
    store: StoreDep,
    settings: SettingsDep,
    counts: SourceCountsDep,
    window: TimeWindowDep,
    method: MethodQuery = "exact",
    kind: KindQuery = None,
    time_limit: TimeLimitQuery = 5.0,
) -> Coalitions:
    """The signed actor graph (docs/coalitions.md: a tie's sign is the net polarity of the signed
    claims between two actors, both directions; its weight the independent origins on the
    winning side minus those on the losing side) split into two camps with the least summed
    weight of frustrated ties: friendly ties across the camps, hostile ties inside one. Every
    frustrated tie comes with its claims, evidence and sources; pairs whose claims cancel exactly
    are listed as contradictory."""
    return await in_thread(
        camps.coalitions, store, window, counts, kind, method, _limit(time_limit, settings)
    )


@router.get(
    "/compare",
    summary="How the camps moved between two days, and who changed camp",
    responses=WITH_404,
)
async def compare(
    store: StoreDep,
    settings: SettingsDep,
    counts: SourceCountsDep,
    before: Annotated[date, Query(alias="from", description="The first day (as_of), YYYY-MM-DD.")],
    after: Annotated[date, Query(alias="to", description="The second day, after `from`.")],
    known_by: Annotated[
        date | None, Query(description="Only what sources published by this day said (known time).")
    ] = None,
    method: MethodQuery = "exact",
    kind: KindQuery = None,
    time_limit: TimeLimitQuery = 5.0,
) -> CoalitionShift:
    """The camps as of `from` and as of `to` (each as /v1/coalitions answers it), with `to`'s
    camps numbered as `from`'s so that most actors keep their number, and every actor whose camp
    changed (null: in no camp on that day). The solver's time limit applies to each day."""
    limit = _limit(time_limit, settings) / 2
    return await in_thread(camps.shift, store, before, after, known_by, counts, kind, method, limit)
