"""Names the seeds do not know yet: capitalised spans, titled names, Chinese names after titles.

English: a run of capitalised words (small joiners allowed: "Department of Defense") that no
known alias covers, stripped of a leading title ("Treasury Secretary Scott Bessent" is the person
Scott Bessent). Chinese: a run of transliteration characters after a title (财政部长贝森特), and
the organisation a heading title is attached to (美國財政部 in 美國財政部長). Every word list is
data (rules.yaml); the kind is a guess the curator checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slugify import slugify

from stancegraph.curation.mentions import Mention, simplified_aligned, syllabic
from stancegraph.curation.rules import Rules
from stancegraph.curation.text import Hit, PhraseFinder


@dataclass(frozen=True, order=True)
class NewName:
    start: int
    end: int
    name: str
    kind: str
    rule: str
    title: str | None = None
    """The title written before the name, if any (Secretary, 部长)."""

    @property
    def proposed_id(self) -> str:
        return slugify(self.name, max_length=80, word_boundary=True) or "new-entity"


# Latin letters only: \w would run a name on into the Han characters after it ("AI技术").
_CAP_WORD = r"(?:[A-Z][A-Za-z0-9'’&.-]*[A-Za-z0-9.]|[A-Z])"
_WORD = re.compile(r"\S+")
_STOP_CHARS = set(
    "的与和及在向对被遭将已是了为由从把让给等并而且也都就还或、，。；：！？「」『』“”‘’（）()《》【】 \n\t"
)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


class NameFinder:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        joiners = "|".join(re.escape(j) for j in sorted(rules.name_joiners, key=len, reverse=True))
        self._name = re.compile(rf"{_CAP_WORD}(?:[ \t]+(?:(?:{joiners})[ \t]+)?{_CAP_WORD})*")
        self._abbreviations = {a.casefold() for a in rules.abbreviations}
        self._en_titles = PhraseFinder(rules.titles.en, chinese=False)
        self._zh_titles = PhraseFinder(rules.titles.zh, chinese=True)
        self._zh_attribution = PhraseFinder(rules.attribution.zh, chinese=True)
        self._heading_zh = {
            simplified_aligned(t) for titles in rules.title_predicates.values() for t in titles.zh
        }
        self._translit = set(simplified_aligned(rules.transliteration))
        self._not_names = {w.casefold() for w in rules.not_names}

    def find(
        self, text: str, mentions: list[Mention], sentence_starts: set[int], *, chinese: bool
    ) -> list[NewName]:
        known = [(m.start, m.end) for m in mentions]
        found: list[NewName] = []
        found += self._latin(text, known, sentence_starts)
        if chinese:
            found += self._chinese(text, known + [(n.start, n.end) for n in found])
        out: dict[tuple[int, int], NewName] = {}
        for name in sorted(found):
            if not _overlaps(name.start, name.end, [(n.start, n.end) for n in out.values()]):
                out[(name.start, name.end)] = name
        return sorted(out.values())

    # --- Latin script ---------------------------------------------------------------------

    def _latin(self, text: str, known: list[tuple[int, int]], sentence_starts: set[int]) -> list[NewName]:
        titles = self._en_titles.find(text)
        out: list[NewName] = []
        for match in self._name.finditer(text):
            if match.start() > 0 and (
                text[match.start() - 1].isalnum() and not syllabic(text[match.start() - 1])
            ):
                continue
            for piece_start, piece_end in self._pieces(text, match.start(), match.end(), known):
                found = self._candidate(text, piece_start, piece_end, titles, known, sentence_starts)
                if found is not None:
                    out.append(found)
        return out

    def _pieces(self, text: str, start: int, end: int, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The run cut at full stops that end a sentence ("Anthropic. Trump") and around known names."""
        cuts: list[tuple[int, int]] = []
        piece = start
        for word in _WORD.finditer(text, start, end):
            token = word.group()
            if any(a <= word.start() < b for a, b in known):
                if piece < word.start():
                    cuts.append((piece, word.start()))
                piece = next(b for a, b in known if a <= word.start() < b)
                continue
            if token.endswith(("'s", "’s")) and word.end() < end:
                cuts.append((piece, word.end() - 2))  # "Apple's App Store": two names
                piece = word.end()
                continue
            if (
                token.endswith(".")
                and token.casefold() not in self._abbreviations
                and not re.fullmatch(r"(?:[A-Z]\.)+", token)
            ):
                cuts.append((piece, word.end()))
                piece = word.end()
        if piece < end:
            cuts.append((piece, end))
        return [(a, b) for a, b in cuts if b > a]

    def _candidate(
        self,
        text: str,
        start: int,
        end: int,
        titles: list[Hit],
        known: list[tuple[int, int]],
        sentence_starts: set[int],
    ) -> NewName | None:
        while start < end and not text[start].isalnum():
            start += 1
        start, end, title = self._strip(text, start, end, titles)
        if end <= start or _overlaps(start, end, known) or not text[start].isupper():
            return None
        name = text[start:end]
        words = name.split()
        if all(w.strip(".").casefold() in self._not_names for w in words):
            return None
        if len(words) == 1 and start in sentence_starts and title is None:
            return None  # one capitalised word opening a sentence is usually just a word
        kind = self._kind(words, title)
        rule = "new-entity.title" if title else "new-entity.capitalised"
        return NewName(start, end, name, kind, rule, title)

    def _strip(self, text: str, start: int, end: int, titles: list[Hit]) -> tuple[int, int, str | None]:
        """Leading titles and non-name words off, a trailing possessive or full stop off."""
        title: str | None = None
        moved = True
        while moved and start < end:
            moved = False
            for hit in titles:
                if hit.start == start and hit.end < end:
                    title, start, moved = hit.phrase, hit.end, True
            while start < end and text[start].isspace():
                start, moved = start + 1, True
            first = re.match(r"\S+", text[start:end])
            if first and not moved and first.group().strip(".").casefold() in self._not_names:
                rest = start + first.end()
                if rest < end:
                    start, moved = rest, True
        for suffix in ("'s", "’s"):
            if text[start:end].endswith(suffix):
                end -= len(suffix)
        while end > start and text[end - 1] in ".-&'’":
            if text[start:end].casefold().rstrip(".") + "." in {
                a.casefold() for a in self.rules.abbreviations
            }:
                break
            end -= 1
        return start, end, title

    def _kind(self, words: list[str], title: str | None) -> str:
        last = words[-1].casefold()
        for kind, markers in self.rules.kind_words.items():
            if any(last == m.casefold() or words[0].casefold() == m.casefold() for m in markers):
                return kind
        if title is not None:
            return "person"
        if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 5:
            return "agency"  # an acronym: NSA, FBI (a company such as IBM is the curator's fix)
        return "person" if 2 <= len(words) <= 3 else "company"

    # --- Chinese ----------------------------------------------------------------------------

    def _chinese(self, text: str, known: list[tuple[int, int]]) -> list[NewName]:
        simplified = simplified_aligned(text)
        out: list[NewName] = []
        for hit in self._zh_titles.find(text):
            end = hit.end
            while end < len(text) and (simplified[end] in self._translit or simplified[end] in "·・•"):
                end += 1
            if end - hit.end >= 2 and not _overlaps(hit.end, end, known):
                out.append(
                    NewName(hit.end, end, text[hit.end : end], "person", "new-entity.zh-title", hit.phrase)
                )
            title = simplified[hit.start : hit.end]
            if title in self._heading_zh and title[0] in "部局院署":
                org = self._organisation(text, simplified, hit.start + 1, known)
                if org is not None:
                    out.append(org)
        taken = known + [(n.start, n.end) for n in out]
        for hit in self._zh_attribution.find(text):
            # 贝森特表示: a run of three or more transliteration characters right before "says".
            start = hit.start
            while start > 0 and (simplified[start - 1] in self._translit or simplified[start - 1] in "·・•"):
                start -= 1
            if hit.start - start >= 3 and not _overlaps(start, hit.start, taken):
                out.append(
                    NewName(start, hit.start, text[start : hit.start], "person", "new-entity.zh-speaker")
                )
        return out

    def _organisation(
        self, text: str, simplified: str, end: int, known: list[tuple[int, int]]
    ) -> NewName | None:
        """The Han run ending at `end` (財政部 in 美國財政部長), back to a stop character."""
        start = end - 1
        while (
            start > 0 and end - start < 8 and syllabic(text[start - 1]) and text[start - 1] not in _STOP_CHARS
        ):
            start -= 1
        if end - start < 3 or _overlaps(start, end, known):
            return None
        name = text[start:end]
        return NewName(start, end, name, "agency", "new-entity.zh-organisation")
