"""Name search shared by every store: one normalisation, one scoring, one ranking.

Stores only find candidate (entity, name) pairs; `rank` decides, so answers cannot drift.
"""

from __future__ import annotations

import bisect
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from stancegraph.graph.results import EntityHit, EntityRef, MatchType
from stancegraph.schema.models import Entity

FUZZY_CUTOFF = 75.0
MIN_FUZZY_KEY = 3
_TIER: dict[MatchType, int] = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3}
# Separators that names are written with or without: "山姆・奥特曼" = "山姆·奥特曼" = "山姆奥特曼".
_SEPARATORS = set("・·•‧･-‐‑–—_.'’`\"")


def normalize(text: str) -> str:
    """Case-, width- and separator-insensitive key: NFKC, casefold, no spaces or dots."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch
        for ch in folded
        if ch not in _SEPARATORS and not ch.isspace() and unicodedata.category(ch)[0] != "C"
    )


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
    if len(query) >= MIN_FUZZY_KEY:
        ratio = float(fuzz.ratio(query, key))
        if ratio >= FUZZY_CUTOFF:
            return "fuzzy", round(ratio, 3)
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


class NameIndex:
    """In-memory index of every name and alias, for exact, prefix, substring and fuzzy lookup."""

    def __init__(self, entities: Iterable[Entity], refs: dict[str, EntityRef] | None = None) -> None:
        self._by_key: dict[str, list[Candidate]] = {}
        for entity in entities:
            ref = refs[entity.id] if refs is not None else EntityRef.of(entity)
            for name in entity.all_names():
                key = sys.intern(normalize(name))
                if key:
                    self._by_key.setdefault(key, []).append(Candidate(ref, name, key))
        self._keys = sorted(self._by_key)

    def candidates(
        self, query: str, *, enough: int | None = None, wanted: Callable[[EntityRef], bool] | None = None
    ) -> list[Candidate]:
        """Every candidate `rank` could place in the first `enough` hits (all, without `enough`).

        Exact and prefix matches come from a binary search of the sorted keys. Substring and
        fuzzy matches rank after them, so when exact and prefix matches already name `enough`
        entities the O(keys) substring and fuzzy scans are skipped: the page is the same.
        """
        found: list[str] = []
        start = bisect.bisect_left(self._keys, query)
        for key in self._keys[start:]:
            if not key.startswith(query):
                break
            found.append(key)
        early = [c for key in found for c in self._by_key[key] if wanted is None or wanted(c.entity)]
        if enough is not None and len({c.entity.id for c in early}) >= enough:
            return early
        prefixed = set(found)
        found += [k for k in self._keys if query in k and k not in prefixed]
        if len(query) >= MIN_FUZZY_KEY:
            seen = set(found)
            for key, _, _ in process.extract(
                query, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                if key not in seen:
                    found.append(key)
        return [c for key in found for c in self._by_key[key] if wanted is None or wanted(c.entity)]
