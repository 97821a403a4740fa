"""Name search shared by every store: one normalisation, one scoring, one ranking.

Stores only find candidate (entity, name) pairs; `rank` decides, so answers cannot drift.

The match tiers, on normalised keys: exact, then prefix, then substring (scored by how much of
the key the query covers), then fuzzy: a Levenshtein distance of at most `fuzzy_edits(query)`
(0 below 3 code points, 1 up to 5, then 2; the same budget as Lucene's fuzzy queries, so the
Neo4j store can use its full-text index). Fixed edit budgets are what make fuzzy search
indexable: a key within k edits of the query contains one of k + 1 pieces of it unchanged.
"""

from __future__ import annotations

import bisect
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from stancegraph.graph.results import EntityHit, EntityRef, MatchType
from stancegraph.schema.models import Entity

_TIER: dict[MatchType, int] = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3}
# Separators that names are written with or without: "山姆・奥特曼" = "山姆·奥特曼" = "山姆奥特曼".
_SEPARATORS = set("・·•‧･-‐‑–—_.'’`\"")
# Keys checked per step of a substring walk: big enough for C-speed filtering, small enough to stop early.
_WALK_CHUNK = 2048


def normalize(text: str) -> str:
    """Case-, width- and separator-insensitive key: NFKC, casefold, no spaces or dots."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch
        for ch in folded
        if ch not in _SEPARATORS and not ch.isspace() and unicodedata.category(ch)[0] != "C"
    )


def fuzzy_edits(query: str) -> int:
    """How many edits a fuzzy match may be from the query: 0, 1 or 2, by the query's length."""
    n = len(query)
    return 0 if n < 3 else 1 if n < 6 else 2


def pieces(query: str, edits: int) -> list[str]:
    """`edits + 1` contiguous, near-equal pieces of the query; each edit breaks at most one."""
    count = edits + 1
    size, extra = divmod(len(query), count)
    out: list[str] = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(query[start:end])
        start = end
    return out


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: EntityRef
    name: str
    key: str


def score(query: str, key: str) -> tuple[MatchType, float] | None:
    if key == query:
        return "exact", 100.0
    if key.startswith(query):
        return "prefix", round(100.0 * len(query) / len(key), 3)
    if query in key:
        return "substring", round(100.0 * len(query) / len(key), 3)
    edits = fuzzy_edits(query)
    if edits and abs(len(key) - len(query)) <= edits:
        distance = Levenshtein.distance(query, key, score_cutoff=edits)
        if distance <= edits:
            return "fuzzy", round(100.0 * (1 - distance / max(len(query), len(key))), 3)
    return None


def rank(query: str, candidates: Iterable[Candidate], limit: int, offset: int) -> list[EntityHit]:
    """Best-matching name per entity, ordered by (match type, score desc, name length, name, id)."""
    best: dict[str, tuple[tuple[int, float, int, str, str], EntityHit]] = {}
    for cand in candidates:
        scored = score(query, cand.key)
        if scored is None:
            continue
        match, value = scored
        order = (_TIER[match], -value, len(cand.name), cand.name, cand.entity.id)
        current = best.get(cand.entity.id)
        if current is None or order < current[0]:
            hit = EntityHit(entity=cand.entity, matched=cand.name, match=match, score=value)
            best[cand.entity.id] = (order, hit)
    ordered = sorted(best.values(), key=lambda item: item[0])
    return [hit for _, hit in ordered[offset : offset + limit]]


def grams(text: str) -> set[str]:
    """The text's two- and three-character pieces: what the index posts keys under."""
    return {text[i : i + n] for n in (2, 3) for i in range(len(text) - n + 1)}


class NameIndex:
    """In-memory index of every name and alias, for exact, prefix, substring and fuzzy lookup.

    Keys are numbered shortest first (then alphabetically), so the keys of one length are one
    range of numbers and every gram's posting list (the numbers of the keys holding it, as a
    compact array) is in length order: a substring walk meets the best-scoring keys first.
    """

    def __init__(self, entities: Iterable[Entity], refs: dict[str, EntityRef] | None = None) -> None:
        self._by_key: dict[str, list[Candidate]] = {}
        for entity in entities:
            ref = refs[entity.id] if refs is not None else EntityRef.of(entity)
            for name in entity.all_names():
                key = sys.intern(normalize(name))
                if key:
                    self._by_key.setdefault(key, []).append(Candidate(ref, name, key))
        self._sorted = sorted(self._by_key)
        self._by_length = sorted(self._sorted, key=len)
        self._length_start = [0]
        for number, key in enumerate(self._by_length):
            while len(self._length_start) <= len(key):
                self._length_start.append(number)
        self._grams: dict[str, array[int]] = {}
        for number, key in enumerate(self._by_length):
            for gram in grams(key):
                postings = self._grams.get(gram)
                if postings is None:
                    postings = self._grams[gram] = array("I")
                postings.append(number)

    def candidates(
        self, query: str, *, enough: int | None = None, wanted: Callable[[EntityRef], bool] | None = None
    ) -> list[Candidate]:
        """Every candidate `rank` could place in the first `enough` hits (all, without `enough`).

        Tiers are gathered best first and the search stops once `enough` entities are found
        and the tier (or, for substrings, the key length) that completed them is exhausted:
        whatever comes later ranks after them.
        """
        found: list[Candidate] = []
        entities: set[str] = set()

        def take(keys: Iterable[str]) -> None:
            for key in keys:
                for cand in self._by_key[key]:
                    if wanted is None or wanted(cand.entity):
                        found.append(cand)
                        entities.add(cand.entity.id)

        def full() -> bool:
            return enough is not None and len(entities) >= enough

        take(self._prefixed(query))
        if full():
            return found
        for keys in self._substring_keys(query):
            take(keys)
            if full():
                return found
        take(self._fuzzy_keys(query))
        return found

    def _start(self, length: int) -> int:
        """Number of the first key at least `length` long."""
        starts = self._length_start
        return starts[max(length, 0)] if length < len(starts) else len(self._by_length)

    def _within(self, postings: array[int], lo: int, hi: int) -> array[int]:
        return postings[bisect.bisect_left(postings, lo) : bisect.bisect_left(postings, hi)]

    def _rarest(self, text: str) -> array[int] | None:
        """The shortest posting list of the text's grams; None when a gram is in no key."""
        lists = [self._grams.get(gram) for gram in grams(text)]
        present = [postings for postings in lists if postings is not None]
        return min(present, key=len) if len(present) == len(lists) else None

    def _prefixed(self, query: str) -> Iterator[str]:
        start = bisect.bisect_left(self._sorted, query)
        for key in self._sorted[start:]:
            if not key.startswith(query):
                break
            yield key

    def _substring_keys(self, query: str) -> Iterator[list[str]]:
        """Keys holding the query inside (not at the start), grouped by length, shortest first.

        The walk follows the query's rarest gram (every key holding the query holds it), or
        every longer key for a one-character query.
        """
        lo, hi = self._start(len(query) + 1), len(self._by_length)
        numbers: Sequence[int]
        if len(query) < 2:
            numbers = range(lo, hi)
        else:
            rarest = self._rarest(query)
            if rarest is None:
                return
            numbers = self._within(rarest, lo, hi)
        by_length = self._by_length
        group: list[str] = []
        for start in range(0, len(numbers), _WALK_CHUNK):
            chunk = [by_length[i] for i in numbers[start : start + _WALK_CHUNK]]
            for key in [k for k in chunk if query in k and not k.startswith(query)]:
                if group and len(key) > len(group[0]):
                    yield group
                    group = []
                group.append(key)
        if group:
            yield group

    def _fuzzy_keys(self, query: str) -> list[str]:
        """Keys within `fuzzy_edits(query)` edits of the query, from one of its pieces' grams."""
        edits = fuzzy_edits(query)
        if not edits:
            return []
        lo, hi = self._start(len(query) - edits), self._start(len(query) + edits + 1)
        parts = pieces(query, edits)
        numbers: Sequence[int]
        if min(len(part) for part in parts) < 2:
            numbers = range(lo, hi)
        else:
            chosen: set[int] = set()
            for part in parts:
                rarest = self._rarest(part)
                if rarest is not None:
                    chosen.update(self._within(rarest, lo, hi))
            numbers = sorted(chosen)
        keys = [self._by_length[i] for i in numbers]
        matches = process.extract(query, keys, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
        return [key for key, _, _ in matches]
