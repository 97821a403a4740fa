"""How well a claim is sourced: its distinct sources, its independent origins, and when it was
first and last reported. One function for every store and export, so they cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from stancegraph.schema.models import Source


class Corroboration(NamedTuple):
    sources: int
    """Distinct sources of the claim's evidence."""
    independent: int
    """Distinct origins after following `based_on`: ten rewrites of one wire story count once."""
    first_reported: str | None
    """The earliest publication among the sources, as written (None when no date is known)."""
    last_reported: str | None
    outlets: list[str]
    """Entity ids of the sources' outlets, sorted."""


def origin(source_id: str, sources: Mapping[str, Source]) -> str:
    """The source a source rests on, following `based_on` to its end: a source id, or
    `outlet:<id>` for an entity (e.g. the CBS News report an outlet rewrote, not captured here)."""
    seen = {source_id}
    current = source_id
    while True:
        based_on = sources[current].based_on if current in sources else None
        if based_on is None:
            return current
        if based_on not in sources:
            return f"outlet:{based_on}"
        if based_on in seen:  # validation refuses loops; stay total anyway
            return min(seen)
        seen.add(based_on)
        current = based_on


def corroboration(source_ids: Iterable[str], sources: Mapping[str, Source]) -> Corroboration:
    """The corroboration of a claim whose evidence comes from `source_ids`."""
    distinct = sorted(set(source_ids))
    dated = [(bounds, sources[s].published) for s in distinct if (bounds := _bounds(s, sources))]
    first = min(dated, key=lambda d: (d[0][0], d[0][1]), default=None)
    last = max(dated, key=lambda d: (d[0][1], d[0][0]), default=None)
    return Corroboration(
        sources=len(distinct),
        independent=len({origin(s, sources) for s in distinct}),
        first_reported=first[1] if first else None,
        last_reported=last[1] if last else None,
        outlets=sorted({sources[s].outlet for s in distinct if s in sources}),
    )


def _bounds(source_id: str, sources: Mapping[str, Source]) -> tuple[date, date] | None:
    source = sources.get(source_id)
    return source.published_bounds() if source is not None else None
