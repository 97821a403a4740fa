"""Where known entities are mentioned in a text: every alias, found in one pass.

The text is folded the way name search folds a query (`graph.search.normalize`: NFKC, casefold,
traditional characters as simplified by OpenCC's t2s table, no spaces or separators), so
"美國國防部" finds the alias "美国国防部" and "Pete  Hegseth" finds "Pete Hegseth". The folded copy
keeps, for each of its code points, the offset of the original code point it came from, so a
match maps back to a verbatim span of the original text.

One Aho-Corasick automaton (ahocorasick-rs) holds every folded alias; it reports every match,
overlapping ones included, so that a match rejected by a word boundary ("DoD" inside "Dodge")
does not hide a shorter valid one. Of the valid matches the longest wins and the rest that
overlap it are dropped ("Defense Secretary Pete Hegseth" is one mention, not three).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from stancegraph.graph.search import normalize, to_simplified
from stancegraph.schema.models import Entity


@dataclass(frozen=True, order=True)
class Mention:
    """`text[start:end]` (code points of the original text) names `entity` by `alias`."""

    start: int
    end: int
    entity: str
    alias: str


def fold(text: str) -> str:
    """The key a name is matched by: exactly name search's key (simplified characters included)."""
    return normalize(text)


def syllabic(char: str) -> bool:
    """Han, kana and hangul: scripts written without spaces between words."""
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))


def wordy(char: str) -> bool:
    """A letter or digit of a script that separates words (a match must not cut through one)."""
    return char.isalnum() and not syllabic(char)


def simplified_aligned(text: str) -> str:
    """`to_simplified` with one code point per code point, so offsets carry over unchanged."""
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        # t2s rewrote a phrase to a different length: fold code point by code point instead (a
        # phrase-level conversion is a nicety; exact offsets are not).
        simplified = "".join(to_simplified(ch) if len(to_simplified(ch)) == 1 else ch for ch in text)
    return simplified


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its code points, the original code point's offset."""
    simplified = simplified_aligned(text)
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(simplified):
        key = normalize(char, simplify=False)  # the text is already simplified, code point by code point
        pieces.append(key)
        offsets.extend([index] * len(key))
    return "".join(pieces), offsets


class MentionIndex:
    """Every name and alias of the given entities, ready to be found in texts."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._owner: dict[str, tuple[str, str]] = {}
        self.ambiguous: dict[str, list[str]] = {}
        """Folded aliases that several entities share: kept for the first, listed here."""
        for entity in entities:
            for alias in entity.all_names():
                key = fold(alias)
                if not key:
                    continue
                owner = self._owner.setdefault(key, (entity.id, alias))
                if owner[0] != entity.id:
                    self.ambiguous.setdefault(key, [owner[0]]).append(entity.id)
        self._keys = list(self._owner)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
            if self._keys
            else None
        )

    def entity_of(self, name: str) -> str | None:
        """The entity a name (any spelling or script) is an alias of, if any."""
        owner = self._owner.get(fold(name))
        return owner[0] if owner else None

    def find(self, text: str, *, inner: bool = False) -> list[Mention]:
        """Non-overlapping mentions in text order; of overlapping candidates the longest wins.

        With `inner`, also the mentions of other entities inside a longer one ("Anthropic" in the
        alias "Anthropic CEO Dario Amodei"): what a rule needs to read the title between them.
        """
        if self._automaton is None or not text:
            return []
        folded, offsets = folded_with_offsets(text)
        candidates: list[Mention] = []
        for key_index, start, end in self._automaton.find_matches_as_indexes(folded, overlapping=True):
            first, last = offsets[start], offsets[end - 1] + 1
            if not _whole_words(text, first, last):
                continue
            entity, alias = self._owner[self._keys[key_index]]
            candidates.append(Mention(first, last, entity, alias))
        # Longest first, then leftmost: each taken mention excludes those it overlaps.
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[Mention] = []
        covered = [False] * len(text)
        for mention in candidates:
            if any(covered[mention.start : mention.end]):
                continue
            taken.append(mention)
            covered[mention.start : mention.end] = [True] * (mention.end - mention.start)
        if inner:
            taken += _inner(candidates, taken)
        return sorted(taken)


def _whole_words(text: str, start: int, end: int) -> bool:
    """A match of a word-separating script starts and ends at word boundaries."""
    if start > 0 and wordy(text[start]) and wordy(text[start - 1]):
        return False
    return not (end < len(text) and wordy(text[end - 1]) and wordy(text[end]))


def _inner(candidates: list[Mention], outer: list[Mention]) -> list[Mention]:
    """Candidates inside a taken mention of another entity, longest first, not overlapping."""
    out: list[Mention] = []
    for mention in candidates:
        if mention in outer or any(
            o.start <= mention.start and mention.end <= o.end and o.entity == mention.entity for o in outer
        ):
            continue
        if not any(o.start <= mention.start and mention.end <= o.end for o in outer):
            continue
        if any(mention.start < m.end and m.start < mention.end for m in out):
            continue
        out.append(mention)
    return out
