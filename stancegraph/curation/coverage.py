"""Coverage of a source: which of its sentences no claim cites yet, and who each one names.

Sentences are `curation.text.sentences`, the ones the suggester reads (Wikimedia's rule-based
segmenter, sentencex: Chinese and English punctuation, English abbreviations such as "U.S." and
"Mr.", no model to download, offsets in code points). It is run line by line: a source text
holds one paragraph (or excerpt) per line, and a line is never one sentence with the next. A
sentence is *cited* when the span of any evidence from this source overlaps it; lines of page
chrome are never evidence, so they are set apart rather than listed as gaps. Mentions are
`MentionIndex`'s, found once over the whole text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from stancegraph.curation.mentions import Mention, MentionIndex
from stancegraph.curation.text import sentences
from stancegraph.schema.errors import Candidate, NotFoundError
from stancegraph.schema.models import SeedSet, Source
from stancegraph.schema.validate import SourceText


@dataclass(frozen=True, order=True)
class Cited:
    """One evidence record's span in the source text, and the claim it backs."""

    start: int
    end: int
    claim: str
    quote: str


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based, in text order
    start: int
    end: int
    text: str
    chrome: bool
    cited_by: tuple[str, ...]  # the claims whose evidence overlaps it
    mentions: tuple[Mention, ...]

    @property
    def cited(self) -> bool:
        return bool(self.cited_by)


@dataclass(frozen=True)
class Coverage:
    source: Source
    text: str
    sentences: list[Sentence]
    cited: list[Cited]
    mentions: list[Mention] = field(default_factory=list)

    @cached_property
    def uncited(self) -> list[Sentence]:
        """Sentences of reporting (not page chrome) that no evidence cites."""
        return [s for s in self.sentences if not s.cited and not s.chrome]

    @property
    def reporting(self) -> int:
        return sum(1 for s in self.sentences if not s.chrome)

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source.id,
            "language": self.source.language,
            "sentences": self.reporting,
            "cited": self.reporting - len(self.uncited),
            "uncited": [
                {
                    "number": s.number,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "mentions": [
                        {"start": m.start, "end": m.end, "entity": m.entity, "alias": m.alias}
                        for m in s.mentions
                    ],
                }
                for s in self.uncited
            ],
        }


def cited_spans(seeds: SeedSet, source_id: str) -> list[Cited]:
    return sorted(
        Cited(ev.start, ev.end, claim.id, ev.quote)
        for claim in seeds.claims
        for ev in claim.evidence
        if ev.source == source_id
    )


def coverage_of(seeds: SeedSet, source_id: str, index: MentionIndex | None = None) -> Coverage:
    """The coverage of one source of `seeds`; NotFoundError (parameter `source`) if there is none."""
    source = next((s for s in seeds.sources if s.id == source_id), None)
    text = seeds.texts.get(source_id)
    if source is None or text is None:
        near = difflib.get_close_matches(source_id, [s.id for s in seeds.sources], n=3, cutoff=0.5)
        raise NotFoundError("source", source_id, "source", tuple(Candidate(n, n) for n in near))
    return compute(source, text, cited_spans(seeds, source_id), index or MentionIndex(seeds.entities))


def compute(source: Source, text: str, cited: list[Cited], index: MentionIndex) -> Coverage:
    chrome = SourceText(source, text)
    mentions = index.find(text)
    rows = []
    for number, span in enumerate(sentences(text, source.language), 1):
        start, end = span.start, span.end
        by = tuple(dict.fromkeys(c.claim for c in cited if c.start < end and start < c.end))
        inside = tuple(m for m in mentions if start <= m.start and m.end <= end)
        rows.append(Sentence(number, start, end, text[start:end], chrome.in_chrome(start, end), by, inside))
    return Coverage(source, text, rows, cited, mentions)


def mention_label(mentions: Iterable[Mention]) -> str:
    """`entity (alias)` for each mention, each entity once, for tables."""
    seen: dict[str, list[str]] = {}
    for m in mentions:
        aliases = seen.setdefault(m.entity, [])
        if m.alias not in aliases:
            aliases.append(m.alias)
    return ", ".join(f"{entity} ({', '.join(aliases)})" for entity, aliases in seen.items())
