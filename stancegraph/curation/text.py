"""Sentences, clauses and cue phrases of a text, as code point spans of the original text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sentencex import get_sentence_boundaries

from stancegraph.curation.mentions import simplified_aligned
from stancegraph.graph.search import to_simplified


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, order=True)
class Hit:
    """`phrase` (as listed) found at text[start:end]."""

    start: int
    end: int
    phrase: str


_SENTENCE_END = re.compile(r"[.!?。！？]+[\"'”’」』）)]*")
_CLAUSE_BREAK = re.compile(r"[,;:，；：—]|\s-\s|\s–\s")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def sentences(text: str, language: str) -> list[Span]:
    """Sentences, as Wikimedia's rule-based segmenter (sentencex) cuts them: a line break always
    ends one; abbreviations such as "U.S." and "Mr." and decimals do not; Chinese punctuation does."""
    out: list[Span] = []
    offset = 0
    lang = language.split("-", 1)[0].lower()  # zh-Hant -> zh
    for line in text.split("\n"):
        if line.strip():
            for boundary in get_sentence_boundaries(lang, line):
                start, end = offset + int(boundary["start_index"]), offset + int(boundary["end_index"])
                span = _trimmed(text, start, end)
                if span:
                    out.append(span)
        offset += len(line) + 1
    return out


def clauses(text: str, sentence: Span) -> list[Span]:
    """The sentence cut at commas, semicolons, colons and dashes."""
    out: list[Span] = []
    start = sentence.start
    for mark in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        span = _trimmed(text, start, mark.start())
        if span:
            out.append(span)
        start = mark.end()
    span = _trimmed(text, start, sentence.end)
    if span:
        out.append(span)
    return out


def _english_forms(word: str) -> list[str]:
    """A base-form verb or noun and its regular -s, -ed and -ing forms."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if word.endswith("y") and len(word) > 2:
        forms |= {word[:-1] + "ied", word[:-1] + "ies"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # ban: banned, banning
    return sorted(forms, key=len, reverse=True)


class PhraseFinder:
    """Finds listed phrases, case-insensitively, longest first and without overlaps.

    English phrases match at word boundaries, their first word in any regular form when
    `inflect`; Chinese phrases match anywhere, in traditional or simplified characters.
    """

    def __init__(self, phrases: Iterable[str], *, chinese: bool, inflect: bool = False) -> None:
        self.chinese = chinese
        self._phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for phrase in self._phrases:
            if chinese and not phrase.isascii():
                pattern = re.escape(to_simplified(phrase).casefold())
            else:
                words = phrase.casefold().split()
                first = (
                    "(?:" + "|".join(re.escape(f) for f in _english_forms(words[0])) + ")"
                    if inflect and words[0].isalpha()
                    else re.escape(words[0])
                )
                rest = "".join(r"[\s-]+" + re.escape(w) for w in words[1:])
                pattern = rf"(?<![\w]){first}{rest}(?![\w])"
                if not words[-1][-1].isalnum():
                    pattern = rf"(?<![\w]){first}{rest}"
            self._patterns.append((re.compile(pattern), phrase))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        stop = len(text) if end is None else end
        haystack = simplified_aligned(text).casefold() if self.chinese else text.casefold()
        if len(haystack) != len(text):  # casefold may lengthen (ß): keep offsets exact
            haystack = (simplified_aligned(text) if self.chinese else text).lower()
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for pattern, phrase in self._patterns:
            for match in pattern.finditer(haystack, start, stop):
                if any(match.start() < b and a < match.end() for a, b in taken):
                    continue
                taken.append((match.start(), match.end()))
                hits.append(Hit(match.start(), match.end(), phrase))
        return sorted(hits)
