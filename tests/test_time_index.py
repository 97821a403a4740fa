"""The embedded store's time indexes: a claim listing in a window reads the claims the window can
admit when they are few, and answers as a listing of every claim restricted to the window would;
switches read each pair's own claims and answer as the histories of every pair would."""

from __future__ import annotations

from datetime import date

import pytest

from stancegraph.graph import history as histories
from stancegraph.graph.memory import MemoryStore
from stancegraph.graph.results import ClaimFilter, ClaimView
from stancegraph.graph.synthetic import generate
from stancegraph.graph.window import TimeWindow, restrict, valid_from


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(generate(entities=300, claims=1500, seed=4).seeds)


def _everything(store: MemoryStore) -> list[ClaimView]:
    return store.claims(limit=1000) + store.claims(limit=1000, after=store.claims(limit=1000)[-1].id)


def _reference(store: MemoryStore, window: TimeWindow) -> list[ClaimView]:
    """Every claim, in id order, as the window sees it (graph.window.restrict)."""
    views = _everything(store)
    sources = {s.source.id: s.source for s in store.sources()}
    return [kept for view in views if (kept := restrict(view, window, sources)) is not None]


def _pages(store: MemoryStore, flt: ClaimFilter, limit: int) -> list[ClaimView]:
    out: list[ClaimView] = []
    after = None
    while page := store.claims(flt, limit=limit, after=after):
        out += page
        after = page[-1].id
    return out


def test_windowed_listings_equal_every_claim_restricted(store: MemoryStore) -> None:
    firsts = sorted(d for v in _everything(store) if (d := valid_from(v.valid)) is not None)
    published = sorted(b[0] for s in store.sources() if (b := s.source.published_bounds()) is not None)
    few, most = firsts[len(firsts) // 100], firsts[len(firsts) // 2]
    windows = [
        TimeWindow(as_of=few),  # a few claims can hold: read from the index
        TimeWindow(as_of=most),  # half of them: the scan by id
        TimeWindow(as_of=date(2000, 1, 1)),  # none
        TimeWindow(known_by=published[0]),
        TimeWindow(known_by=date(2000, 1, 1)),
        TimeWindow(as_of=most, known_by=published[-1]),
    ]
    assert store._few_in_window(ClaimFilter(as_of=few), 50, 1500) is not None
    assert store._few_in_window(ClaimFilter(as_of=most), 50, 1500) is None
    for window in windows:
        expected = _reference(store, window)
        flt = ClaimFilter(as_of=window.as_of, known_by=window.known_by)
        for limit in (7, 50):
            assert _pages(store, flt, limit) == expected, (window, limit)
        polar = ClaimFilter(as_of=window.as_of, known_by=window.known_by, polarity=1)
        assert _pages(store, polar, 20) == [v for v in expected if v.polarity == 1], window


def test_switches_equal_the_histories_of_every_pair(store: MemoryStore) -> None:
    views = _everything(store)
    pairs = {(v.subject, v.object) for v in views} | {
        (v.object, v.subject) for v in views if v.predicate in store._symmetric
    }
    expected = [
        found
        for actor, target in pairs
        for found in histories.switches(
            histories.history(actor, target, histories.toward(views, actor.id, target.id, store._symmetric))
        )
    ]
    expected.sort(key=lambda s: (s.date.bounds(), s.entity.id, s.toward.id))
    assert expected, "the synthetic graph has reversals"
    assert store.switches(limit=1000) == expected
