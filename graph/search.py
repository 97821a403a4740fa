"""Name search shared by every store: one normalisation, one scoring, one ranking.

Stores only find candidate (entity, name) pairs; `rank` decides, so answers cannot drift.

The match tiers, on normalised keys: exact, then prefix, then substring (scored by how much of
the key the query covers), then words (a query of several words whose every word is in the
key, in any order: "Defense Department" finds "Department of Defense"), then fuzzy: a
Levenshtein distance of at most `fuzzy_edits(query)` (0 below 3 code points, 1 up to 5, then 2;
the same budget as Lucene's fuzzy queries, so the Neo4j store can use its full-text index).
Han, kana and hangul carry a syllable per character, so their budget is 0 below 4 characters
and 1 above: one edit to a three-character name is another name (阿莫迪 is not 莫迪). Fixed edit
budgets are what make fuzzy search indexable: a key within k edits of the query contains one of
k + 1 pieces of it unchanged.
"""

from __future__ import annotations

import bisect
import itertools
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import opencc
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from stancegraph.graph.results import EntityHit, EntityRef, MatchType
from stancegraph.schema.models import Entity

_TIER: dict[MatchType, int] = {"exact": 0, "prefix": 1, "substring": 2, "words": 3, "fuzzy": 4}
# Separators that names are written with or without: "山姆・奥特曼" = "山姆·奥特曼" = "山姆奥特曼".
_SEPARATORS = set("・·•‧･-‐‑–—_.'’`\"")
# Keys checked per step of a substring walk: big enough for C-speed filtering, small enough to stop early.
_WALK_CHUNK = 2048
# Longest query whose fuzzy pieces are chosen by trying every split (there are about n² / 2).
_MAX_SPLIT_SEARCH = 40


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters folded to simplified (OpenCC's t2s table); ASCII as is."""
    return text if text.isascii() else str(_t2s().convert(text))


def normalize(text: str, *, simplify: bool = True) -> str:
    """Case-, width-, script- and separator-insensitive key: NFKC, casefold, traditional Chinese
    as simplified (美國國防部 = 美国国防部), no spaces or dots. `simplify=False` for text already
    folded to simplified characters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if simplify:
        folded = to_simplified(folded)
    return "".join(
        ch
        for ch in folded
        if ch not in _SEPARATORS and not ch.isspace() and unicodedata.category(ch)[0] != "C"
    )


def words_of(text: str) -> tuple[str, ...]:
    """The normalised words of a query of several words, longest first; () for one word."""
    words = {key for word in unicodedata.normalize("NFKC", text).split() if (key := normalize(word))}
    return tuple(sorted(words, key=lambda w: (-len(w), w))) if len(words) > 1 else ()


def _syllabic(query: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in query)


def fuzzy_edits(query: str) -> int:
    """How many edits a fuzzy match may be from the query, by its length (and script)."""
    n = len(query)
    if _syllabic(query):
        return 0 if n < 4 else 1
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


def score(query: str, key: str, words: Sequence[str] = ()) -> tuple[MatchType, float] | None:
    if key == query:
        return "exact", 100.0
    if key.startswith(query):
        return "prefix", round(100.0 * len(query) / len(key), 3)
    if query in key:
        return "substring", round(100.0 * len(query) / len(key), 3)
    if words and all(word in key for word in words):
        return "words", round(100.0 * min(1.0, sum(map(len, words)) / len(key)), 3)
    edits = fuzzy_edits(query)
    if edits and abs(len(key) - len(query)) <= edits:
        distance = Levenshtein.distance(query, key, score_cutoff=edits)
        if distance <= edits:
            return "fuzzy", round(100.0 * (1 - distance / max(len(query), len(key))), 3)
    return None


def rank(
    query: str, candidates: Iterable[Candidate], limit: int, offset: int, words: Sequence[str] = ()
) -> list[EntityHit]:
    """Best-matching name per entity, ordered by (match type, score desc, name length, name, id)."""
    best: dict[str, tuple[tuple[int, float, int, str, str], Candidate, MatchType, float]] = {}
    for cand in candidates:
        scored = score(query, cand.key, words)
        if scored is None:
            continue
        match, value = scored
        order = (_TIER[match], -value, len(cand.name), cand.name, cand.entity.id)
        current = best.get(cand.entity.id)
        if current is None or order < current[0]:
            best[cand.entity.id] = (order, cand, match, value)
    page = sorted(best.values(), key=lambda item: item[0])[offset : offset + limit]
    return [EntityHit(entity=c.entity, matched=c.name, match=m, score=v) for _, c, m, v in page]


def gram_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where the grams the index posts keys under are: every two-character piece, and every
    three-character piece of ASCII (letters and digits are few, so their pairs are common; Han
    pairs are rare already)."""
    for size in (2, 3):
        for i in range(len(text) - size + 1):
            if size == 2 or text[i : i + size].isascii():
                yield i, i + size


def grams(text: str) -> set[str]:
    return {text[i:j] for i, j in gram_spans(text)}


class NameIndex:
    """In-memory index of every name and alias, for exact, prefix, substring and fuzzy lookup.

    Keys are numbered shortest first (then alphabetically), so the keys of one length are one
    range of numbers and every gram's posting list (the numbers of the keys holding it, as a
    compact array) is in length order: a substring walk meets the best-scoring keys first.
    """

    def __init__(self, entities: Iterable[Entity], refs: dict[str, EntityRef] | None = None) -> None:
        by_key: dict[str, list[Candidate]] = {}
        for entity in entities:
            ref = refs[entity.id] if refs is not None else EntityRef.of(entity)
            for name in entity.all_names():
                key = sys.intern(normalize(name))
                if key:
                    by_key.setdefault(key, []).append(Candidate(ref, name, key))
        self._sorted = sorted(by_key)
        self._by_length = sorted(self._sorted, key=len)
        # Key number -> candidates, flat: key i's are _candidates[_first[i] : _first[i + 1]].
        self._number = {key: number for number, key in enumerate(self._by_length)}
        self._candidates: list[Candidate] = []
        self._first = array("I", [0])
        for key in self._by_length:
            self._candidates += by_key.pop(key)
            self._first.append(len(self._candidates))
        self._length_start = [0]
        for number, key in enumerate(self._by_length):
            while len(self._length_start) <= len(key):
                self._length_start.append(number)
        lists: dict[str, array[int]] = {}
        for number, key in enumerate(self._by_length):
            for gram in grams(key):
                postings = lists.get(gram)
                if postings is None:
                    postings = lists[gram] = array("I")
                postings.append(number)
        # Every posting list in one array; a gram maps to its list's start * 2**32 + length.
        self._postings = array("I")
        self._grams: dict[str, int] = {}
        for gram in list(lists):
            postings = lists.pop(gram)
            self._grams[gram] = (len(self._postings) << 32) + len(postings)
            self._postings.extend(postings)

    def candidates(
        self,
        query: str,
        *,
        words: Sequence[str] = (),
        enough: int | None = None,
        wanted: Callable[[EntityRef], bool] | None = None,
    ) -> list[Candidate]:
        """Every candidate `rank` could place in the first `enough` hits (all, without `enough`).

        Keys come best first: prefix matches (the exact one first) and then substring matches,
        each by length (a shorter key scores higher), then keys holding every word of a query of
        several, then fuzzy matches. The search stops once
        `enough` entities are found and the group that completed them is taken: whatever comes
        later ranks after them.
        """
        found: list[Candidate] = []
        entities: set[str] = set()
        for keys in self._groups(query, words):
            for key in keys:
                number = self._number[key]
                for cand in self._candidates[self._first[number] : self._first[number + 1]]:
                    if wanted is None or wanted(cand.entity):
                        found.append(cand)
                        entities.add(cand.entity.id)
            if enough is not None and len(entities) >= enough:
                break
        return found

    def _groups(self, query: str, words: Sequence[str]) -> Iterator[Iterable[str]]:
        for _, keys in itertools.groupby(sorted(self._prefixed(query), key=len), key=len):
            yield keys
        for _, keys in itertools.groupby(self._substring_keys(query), key=len):
            yield keys
        if words:
            yield self._word_keys(query, words)
        yield self._fuzzy_keys(query)

    def _start(self, length: int) -> int:
        """Number of the first key at least `length` long."""
        starts = self._length_start
        return starts[max(length, 0)] if length < len(starts) else len(self._by_length)

    def _span(self, gram: str, lo: int, hi: int) -> tuple[int, int]:
        """Where the gram's postings of the keys numbered in [lo, hi) are in `_postings`."""
        start, count = divmod(self._grams.get(gram, 0), 1 << 32)
        postings = self._postings
        return bisect.bisect_left(postings, lo, start, start + count), bisect.bisect_left(
            postings, hi, start, start + count
        )

    def _rarest(self, text: str, lo: int, hi: int) -> Sequence[int]:
        """Numbers in [lo, hi) of the keys holding the text's rarest gram there (a superset of
        the keys holding the text; all of [lo, hi) for a text too short to have grams)."""
        spans = [self._span(gram, lo, hi) for gram in grams(text)]
        if not spans:
            return range(lo, hi)
        a, b = min(spans, key=lambda span: span[1] - span[0])
        return self._postings[a:b]

    def _prefixed(self, query: str) -> list[str]:
        """Keys starting with the query: those from the query up to its successor (the query
        with its last character's code point plus one; `normalize` drops U+10FFFF, a
        noncharacter, so there always is one) in the sorted keys."""
        keys = self._sorted
        start = bisect.bisect_left(keys, query)
        successor = query[:-1] + chr(ord(query[-1]) + 1)
        return keys[start : bisect.bisect_left(keys, successor, start)]

    def _substring_keys(self, query: str) -> Iterator[str]:
        """Keys holding the query inside (not at the start), shortest first, found by walking
        the posting list of the query's rarest gram (every longer key for a one-letter query)."""
        numbers = self._rarest(query, self._start(len(query) + 1), len(self._by_length))
        by_length = self._by_length
        for start in range(0, len(numbers), _WALK_CHUNK):
            chunk = list(map(by_length.__getitem__, numbers[start : start + _WALK_CHUNK]))
            yield from [key for key in chunk if query in key and not key.startswith(query)]

    def _word_keys(self, query: str, words: Sequence[str]) -> list[str]:
        """Keys holding every word (but not the whole query), from the longest word's rarest gram."""
        numbers = self._rarest(words[0], self._start(sum(map(len, words))), len(self._by_length))
        keys = map(self._by_length.__getitem__, numbers)
        return [key for key in keys if query not in key and all(word in key for word in words)]

    def _fuzzy_keys(self, query: str) -> list[str]:
        """Keys within `fuzzy_edits(query)` edits of the query: each holds one of `edits + 1`
        pieces of it unchanged (any split will do, so the one with the rarest grams is used)."""
        edits = fuzzy_edits(query)
        if not edits:
            return []
        lo, hi = self._start(len(query) - edits), self._start(len(query) + edits + 1)
        numbers: set[int] = set()
        for postings in self._cheapest_split(query, edits, lo, hi):
            numbers.update(postings)
        keys = list(map(self._by_length.__getitem__, numbers))
        matches = process.extract(query, keys, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
        return [key for key, _, _ in matches]

    def _cheapest_split(self, query: str, edits: int, lo: int, hi: int) -> list[Sequence[int]]:
        """For the split of the query into `edits + 1` pieces whose rarest grams (in [lo, hi))
        hold the fewest keys, those grams' posting lists; equal pieces for long queries."""
        n = len(query)
        if n > _MAX_SPLIT_SEARCH:
            return [self._rarest(part, lo, hi) for part in pieces(query, edits)]
        # gram_at[(start, end)] = keys in the window holding query[start:end], for 2- and 3-grams
        gram_at: dict[tuple[int, int], int] = {}
        for i, j in gram_spans(query):
            a, b = self._span(query[i:j], lo, hi)
            gram_at[(i, j)] = b - a
        # piece[(i, j)] = (cost, gram span) of query[i:j]'s rarest gram; a piece without grams
        # costs the whole window.
        piece: dict[tuple[int, int], tuple[int, tuple[int, int] | None]] = {}
        for i in range(n):
            cheapest: tuple[int, tuple[int, int] | None] = (hi - lo, None)
            for j in range(i + 1, n + 1):
                for size in (2, 3):
                    span = (j - size, j)
                    if span[0] >= i and span in gram_at and gram_at[span] < cheapest[0]:
                        cheapest = (gram_at[span], span)
                piece[(i, j)] = cheapest
        best: tuple[int, list[tuple[int, int]]] | None = None
        for cuts in itertools.combinations(range(1, n), edits):
            bounds = [0, *cuts, n]
            spans = list(itertools.pairwise(bounds))
            cost = sum(piece[span][0] for span in spans)
            if best is None or cost < best[0]:
                best = (cost, spans)
        assert best is not None
        return [
            range(lo, hi) if gram is None else self._rarest(query[gram[0] : gram[1]], lo, hi)
            for gram in (piece[span][1] for span in best[1])
        ]
