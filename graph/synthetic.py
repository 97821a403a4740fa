"""A deterministic synthetic stance graph, for store comparisons and load benchmarks.

`generate(entities=..., claims=..., seed=...)` gives a SeedSet that passes the seed validator
(`write_seeds` writes it as a seeds folder to prove it): kinds and predicates follow the
vocabulary, degrees are power-law-ish (a few hubs, many leaves), names are English and Chinese
with aliases, and every evidence quote is a sentence of a synthetic source text at its offsets.
Coverage is many-sourced the way real coverage is: each batch of claims is reported by several
sources (published at a moment, on a day, in a month or on an unknown date; one rewrites
another), and sources disagree on dates, figures and whether an event has happened.
Records are produced one at a time (`iter_entities`, `iter_claims`) so large graphs stay cheap.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from stancegraph.schema.models import (
    Certainty,
    ClaimDate,
    Entity,
    EvidenceRecord,
    SeedSet,
    Source,
    Speaker,
    Status,
    ValidatedClaim,
    claim_id,
    evidence_id,
)
from stancegraph.schema.summary import summarize
from stancegraph.schema.validtime import attach_validity
from stancegraph.schema.vocabulary import Predicate, Vocabulary, load_vocabulary

_SYLLABLES = ("ka", "ri", "to", "ve", "lin", "mar", "sol", "den", "qu", "ash", "bel", "cor", "dra", "fen")
_HANZI = "安华明德文国新天海金信通星云达远和光宏正泰恒瑞嘉兴利盛隆昌博智达晨启航峰诚立"
_PUBLISHED = datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))
_FIRST_DAY = date(2025, 1, 1)
_CERTAINTIES: tuple[Certainty, ...] = ("stated", "attributed", "unconfirmed")
CLAIMS_PER_SOURCE = 2000
SOURCES_PER_BATCH = 4
# How each batch's sources were published: a moment, a day, unknown, and a month; the last is a
# rewrite of the first, so it adds a source but not an independent one.
_PUBLICATIONS: tuple[str, ...] = ("moment", "day", "unknown", "month")
_STATUS_STORIES: tuple[tuple[Status, ...], ...] = (("expected", "happened"), ("happened", "not_yet"))


@dataclass(frozen=True)
class SyntheticGraph:
    seeds: SeedSet
    texts: dict[str, str]  # source id -> the source's text


def generate(
    *, entities: int = 1000, claims: int = 3000, seed: int = 0, vocabulary: Vocabulary | None = None
) -> SyntheticGraph:
    """A graph of `entities` entities and (at most) `claims` claims; same arguments, same graph."""
    vocab = vocabulary or load_vocabulary()
    people = list(iter_entities(entities, seed, vocab))
    made = _Claims(people, vocab, random.Random(seed + 1))
    claim_list: list[ValidatedClaim] = []
    texts: dict[str, str] = {}
    sources: list[Source] = []
    outlets = [e.id for e in people if e.kind == "outlet"]
    for index in itertools.count():
        batch_size = min(CLAIMS_PER_SOURCE, claims - len(claim_list))
        if batch_size <= 0:
            break
        writers = [_TextWriter(f"synthetic-source-{index}-{j}") for j in range(SOURCES_PER_BATCH)]
        batch_sources = {
            w.source_id: _source(w.source_id, outlets[(index + j) % len(outlets)], j, writers[0].source_id)
            for j, w in enumerate(writers)
        }
        made.sources = batch_sources
        batch = list(itertools.islice(made.iter_claims(writers), batch_size))
        if not batch:
            break
        claim_list += batch
        for writer in writers:
            texts[writer.source_id] = writer.text()
            sources.append(_with_text(batch_sources[writer.source_id], texts[writer.source_id]))
    # Valid time, as validation derives it (what ends a claim is other claims).
    dated = attach_validity(claim_list, {s.id: s for s in sources}, load_vocabulary())
    return SyntheticGraph(SeedSet(sources=sources, entities=people, claims=dated), texts)


def iter_entities(count: int, seed: int, vocabulary: Vocabulary) -> Iterator[Entity]:
    """`count` entities; every kind appears (so every predicate has ends), actors dominate."""
    rng = random.Random(seed)
    kinds = list(vocabulary.kinds)
    weights = [8 if vocabulary.kinds[k].actor else 1 for k in kinds]
    for i in range(count):
        kind = kinds[i] if i < len(kinds) else rng.choices(kinds, weights)[0]
        yield _entity(rng, i, kind)


def _entity(rng: random.Random, index: int, kind: str) -> Entity:
    words = [_word(rng) for _ in range(rng.randint(1, 3))]
    en = " ".join(words) + f" {index}"
    zh = "".join(rng.choice(_HANZI) for _ in range(rng.randint(2, 4))) + str(index)
    aliases = [f"{words[-1]} {index}"] if len(words) > 1 else []
    if rng.random() < 0.3:
        aliases.append(zh[0] + "·" + zh[1:])
    return Entity(id=f"{kind}-{index}", kind=kind, names={"en": en, "zh": zh}, aliases=aliases)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()


class _TextWriter:
    """A source text built sentence by sentence; `add` returns the sentence's start offset."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        self._parts: list[str] = []
        self._length = 0

    def add(self, sentence: str) -> int:
        start = self._length
        self._parts.append(sentence + "\n")
        self._length += len(sentence) + 1
        return start

    def text(self) -> str:
        return "".join(self._parts)


class _Claims:
    """Claims whose ends are drawn with power-law weights from the kinds each predicate allows."""

    def __init__(self, entities: list[Entity], vocabulary: Vocabulary, rng: random.Random) -> None:
        self.vocabulary = vocabulary
        self.rng = rng
        self.names = {e.id: e.names.en for e in entities}
        self.people = [e.id for e in entities if e.kind == "person"]
        by_kind: dict[str, list[str]] = {}
        for entity in entities:
            by_kind.setdefault(entity.kind, []).append(entity.id)
        self.pools = {
            p.id: (self._pool(by_kind, p.subject), self._pool(by_kind, p.object))
            for p in vocabulary.predicates.values()
        }
        self.predicates = [p for p in vocabulary.predicates.values() if all(self.pools[p.id])]
        self.seen: set[str] = set()
        self.sources: dict[str, Source] = {}

    @staticmethod
    def _pool(by_kind: dict[str, list[str]], kinds: tuple[str, ...]) -> tuple[list[str], list[float]]:
        ids = sorted((i for k in kinds for i in by_kind.get(k, [])), key=_shuffle_key)
        return ids, list(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(ids))))

    def _pick(self, pool: tuple[list[str], list[float]]) -> str:
        ids, cumulative = pool
        return self.rng.choices(ids, cum_weights=cumulative)[0]

    def iter_claims(self, writers: list[_TextWriter]) -> Iterator[ValidatedClaim]:
        for _ in range(50 * CLAIMS_PER_SOURCE):  # bounded: a tiny graph may run out of new triples
            predicate = self.rng.choice(self.predicates)
            subject_pool, object_pool = self.pools[predicate.id]
            subject, obj = self._pick(subject_pool), self._pick(object_pool)
            qualifiers = {"round": str(self.rng.randint(1, 3))} if self.rng.random() < 0.1 else {}
            ident = claim_id(subject, predicate.id, obj, qualifiers, symmetric=predicate.symmetric)
            if subject == obj or ident in self.seen:
                continue
            self.seen.add(ident)
            yield self._claim(ident, predicate, subject, obj, qualifiers, writers)

    def _claim(
        self,
        ident: str,
        predicate: Predicate,
        subject: str,
        obj: str,
        qualifiers: dict[str, str],
        writers: list[_TextWriter],
    ) -> ValidatedClaim:
        story = _Story(self.rng, self._date(), self._figure())
        evidence = [
            self._evidence(ident, predicate, subject, obj, n, self.rng.choice(writers), story)
            for n in range(self._count())
        ]
        return ValidatedClaim(
            id=ident,
            subject=subject,
            predicate=predicate.id,
            object=obj,
            polarity=predicate.polarity,
            relationship=predicate.neo4j,
            qualifiers=qualifiers,
            note="synthetic" if self.rng.random() < 0.2 else None,
            evidence=evidence,
            **dict(summarize(evidence, self.sources)),
        )

    def _count(self) -> int:
        return 1 + (self.rng.random() < 0.3) + (self.rng.random() < 0.1)

    def _evidence(
        self,
        ident: str,
        predicate: Predicate,
        subject: str,
        obj: str,
        n: int,
        writer: _TextWriter,
        story: _Story,
    ) -> EvidenceRecord:
        quote = f"{self.names[subject]} {predicate.label.zh} {self.names[obj]}（{n}）"[:300]
        start = writer.add(quote)
        return EvidenceRecord(
            id=evidence_id(ident, writer.source_id, quote),
            source=writer.source_id,
            quote=quote,
            start=start,
            end=start + len(quote),
            translation=f"{self.names[subject]} {predicate.label.en} {self.names[obj]}",
            speaker=self._speaker(),
            certainty=self.rng.choice(_CERTAINTIES),
            **story.told(n),
        )

    def _speaker(self) -> Speaker:
        roll = self.rng.random()
        if roll < 0.2 and self.people:
            return Speaker(type="person", entity=self.rng.choice(self.people), via="X")
        if roll < 0.3:
            return Speaker(type="anonymous", name="people familiar with the matter")
        return Speaker(type="narration")

    def _date(self) -> ClaimDate:
        day = _FIRST_DAY + timedelta(days=self.rng.randrange(420))
        roll = self.rng.random()
        if roll < 0.6:
            return ClaimDate.model_validate(day)
        if roll < 0.8:
            return ClaimDate.model_validate(day.isoformat()[:7])
        if roll < 0.9:
            return ClaimDate.model_validate(str(day.year))
        return ClaimDate()

    def _figure(self) -> dict[str, Any] | None:
        if self.rng.random() < 0.1:
            amount = float(self.rng.randrange(1, 500) * 1_000_000)
            return {"type": "money", "amount": amount, "currency": "USD"}
        return None


class _Story:
    """What one claim's sources say: mostly the same date and figure; sometimes another day, a
    figure given as "more than" a lower one or as a different amount, or a status that changes."""

    def __init__(self, rng: random.Random, when: ClaimDate, figure: dict[str, Any] | None) -> None:
        self.rng = rng
        self.when = when
        self.figure = figure
        self.statuses = rng.choice(_STATUS_STORIES) if rng.random() < 0.05 else None

    def told(self, n: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        roll = self.rng.random()
        if self.when.value is not None and roll < 0.8:
            out["date"] = self.when
            if roll < 0.1 and self.when.precision == "day":
                bounds = self.when.bounds()
                assert bounds is not None
                out["date"] = ClaimDate.model_validate(bounds[0] - timedelta(days=1 + n))
        if self.figure is not None:
            figure = dict(self.figure)
            roll = self.rng.random()
            if roll < 0.15:
                figure["amount"] = figure["amount"] * 2
            elif roll < 0.3:
                figure.update(amount=figure["amount"] / 2, bound="more_than")
            out["values"] = {"amount": figure}
        if self.statuses is not None:
            out["status"] = self.statuses[min(n, len(self.statuses) - 1)]
        return out


def _shuffle_key(entity_id: str) -> str:
    """A fixed pseudo-random order, so hubs are spread over kinds and ids."""
    return hashlib.blake2b(entity_id.encode(), digest_size=8).hexdigest()


def _source(source_id: str, outlet: str, j: int, first: str) -> Source:
    """The j-th source of a batch, its text not yet written (see `_with_text`)."""
    form = _PUBLICATIONS[j % len(_PUBLICATIONS)]
    moment = _PUBLISHED + timedelta(days=j)
    published = {
        "moment": moment.isoformat(),
        "day": moment.date().isoformat(),
        "month": moment.date().isoformat()[:7],
        "unknown": "unknown",
    }[form]
    return Source(
        id=source_id,
        title=f"合成报道 {source_id}",
        title_en=f"Synthetic report {source_id}",
        outlet=outlet,
        published=published,
        based_on=first if form == "month" and source_id != first else None,
        language="zh",
        path=f"sources/{source_id}.txt",
        sha256="0" * 64,
    )


def _with_text(source: Source, text: str) -> Source:
    return source.model_copy(update={"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})


def write_seeds(graph: SyntheticGraph, folder: Path) -> None:
    """Write the graph as a seeds folder (sources.yaml, entities.yaml, claims.yaml, texts)."""
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    for source in graph.seeds.sources:
        (folder / source.path).write_text(graph.texts[source.id], encoding="utf-8")
    sections: dict[str, list[dict[str, Any]]] = {
        "sources": [s.model_dump(mode="json", exclude_none=True) for s in graph.seeds.sources],
        "entities": [e.model_dump(mode="json", exclude_none=True) for e in graph.seeds.entities],
        "claims": [_claim_record(c) for c in graph.seeds.claims],
    }
    for name, records in sections.items():
        text = yaml.safe_dump({name: records}, allow_unicode=True, sort_keys=False)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def _claim_record(claim: ValidatedClaim) -> dict[str, Any]:
    summary = {"polarity", "relationship", "certainty", "date", "properties", "status", "valid"}
    data = claim.model_dump(mode="json", exclude_none=True, exclude=summary)
    for ev in data["evidence"]:
        del ev["id"]
    return data
