"""Proposals for a source: mentions of new entities, claims and evidence, each with its quote.

The rule-based suggester reads a sentence at a time. A claim is a predicate cue (vocabulary.yaml)
with a mentioned entity before it that may be the predicate's subject and one after it that may
be its object (passive voice swaps them); a negation before the cue flips the predicate to its
`negated` one or drops the proposal. A title between an organisation and a person ("Anthropic CEO
Dario Amodei", 美國國防部長赫塞斯) proposes leads/works_for. Each proposal carries the sentence as
its quote with offsets, a speaker (the entity nearest an attribution cue), a certainty (hedges:
unconfirmed; a speaker: attributed; else stated), a date resolved against the publication day,
figures with their bounds, a confidence and the rule that fired. A proposal that matches a claim
in the seeds is evidence for that claim, and evidence already recorded for the span is dropped.

Deterministic and offline; `Suggester` is the seam for another extractor (a model) later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from stancegraph.curation.dates import DateContext, guess_date
from stancegraph.curation.figures import FigureFinder
from stancegraph.curation.mentions import MentionIndex, simplified_aligned
from stancegraph.curation.newnames import NameFinder, NewName
from stancegraph.curation.rules import Rules, is_chinese, load_rules
from stancegraph.curation.text import Hit, PhraseFinder, Span, clauses, sentences
from stancegraph.schema.errors import Candidate, NotFoundError
from stancegraph.schema.models import (
    MAX_QUOTE_CHARS,
    Certainty,
    ClaimDate,
    SeedSet,
    Source,
    Speaker,
    Status,
    ValidatedClaim,
    Value,
    claim_id,
)
from stancegraph.schema.vocabulary import Predicate, Vocabulary, load_vocabulary

SuggestionKind = Literal["claim", "evidence", "entity"]


class NewEntityRef(BaseModel):
    """An entity the seeds do not know: the name as written, a proposed id and kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    new: str
    id: str
    kind: str


class Suggestion(BaseModel):
    """One proposal. For `entity`, subject is the new entity and there is no predicate."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: SuggestionKind
    subject: str | NewEntityRef
    predicate: str | None = None
    object: str | NewEntityRef | None = None
    claim: str | None = Field(default=None, description="The claim id (existing for evidence).")
    quote: str
    start: int
    end: int
    speaker: Speaker | None = None
    certainty: Certainty | None = None
    date: ClaimDate | None = None
    values: dict[str, Value] = Field(default_factory=dict)
    status: Status | None = None
    confidence: float = Field(ge=0, le=1)
    rule: str

    def json_line(self) -> dict[str, Any]:
        """The `--json` shape: new entities as {"new": text}."""

        def ref(value: str | NewEntityRef | None) -> Any:
            return {"new": value.new} if isinstance(value, NewEntityRef) else value

        dumped = self.model_dump(mode="json")
        out: dict[str, Any] = {"kind": self.kind, "subject": ref(self.subject), "predicate": self.predicate}
        out["object"] = ref(self.object)
        for name in ("quote", "start", "end", "speaker", "certainty", "date", "values", "confidence", "rule"):
            out[name] = dumped[name]
        if self.speaker is not None:
            out["speaker"] = self.speaker.model_dump(mode="json", exclude_none=True)
        out.update(claim=self.claim, status=self.status)
        if isinstance(self.subject, NewEntityRef) and self.kind == "entity":
            out["entity"] = {"id": self.subject.id, "kind": self.subject.kind}
        return out


class Suggester(Protocol):
    def suggest(self, source: Source, text: str, seeds: SeedSet) -> list[Suggestion]: ...


@dataclass(frozen=True)
class Endpoint:
    start: int
    end: int
    ref: str | NewEntityRef
    kind: str
    anaphor: bool = False
    """A pronoun or "the company", resolved to the entity named before it."""

    @property
    def key(self) -> str:
        return self.ref.id if isinstance(self.ref, NewEntityRef) else self.ref


_SPEAKER_TYPES = {"person": "person", "group": "group", "company": "organization", "agency": "organization"}
_SPEAKER_TYPES["outlet"] = "outlet"
_CLAUSE_MARK = re.compile(r"[,;:，；：。.!?！？]")


class RuleSuggester:
    """The rule-based suggester: cues, titles and attribution words are data."""

    def __init__(self, vocabulary: Vocabulary | None = None, rules: Rules | None = None) -> None:
        self.vocabulary = vocabulary or load_vocabulary()
        self.rules = rules or load_rules()
        self.names = NameFinder(self.rules)
        self.figures = FigureFinder(self.rules)

    @cached_property
    def _finders(self) -> dict[str, dict[str, PhraseFinder]]:
        out: dict[str, dict[str, PhraseFinder]] = {}
        r = self.rules
        for language, chinese in (("en", False), ("zh", True)):
            cues = [c for p in self.vocabulary.predicates.values() for c in p.cues.of(language)]
            out[language] = {
                "cues": PhraseFinder(cues, chinese=chinese, inflect=not chinese),
                "attribution": PhraseFinder(r.attribution.of(language), chinese=chinese),
                "hedges": PhraseFinder(r.hedges.of(language), chinese=chinese),
                "anonymous": PhraseFinder(r.anonymous.of(language), chinese=chinese),
                "negation": PhraseFinder(r.negation.of(language), chinese=chinese),
                "titles": PhraseFinder(r.titles.of(language), chinese=chinese),
                "future": PhraseFinder(r.future.of(language), chinese=chinese),
                "passive": PhraseFinder(
                    r.passive.zh if chinese else r.passive.en["auxiliaries"], chinese=chinese
                ),
                "agent": PhraseFinder(() if chinese else r.passive.en["agent"], chinese=chinese),
                "complementizers": PhraseFinder(r.complementizers.of(language), chinese=chinese),
                "via": PhraseFinder(r.via.of(language), chinese=chinese),
            }
        return out

    def _cue_predicate(self, language: str) -> dict[str, Predicate]:
        return {c: p for p in self.vocabulary.predicates.values() for c in p.cues.of(language)}

    def suggest(
        self, source: Source, text: str, seeds: SeedSet, index: MentionIndex | None = None
    ) -> list[Suggestion]:
        run = _Run(self, source, text, seeds, index or MentionIndex(seeds.entities))
        return run.suggest()


class _Run:
    """One source's suggestion pass (what the rules need to share about the text)."""

    def __init__(
        self, owner: RuleSuggester, source: Source, text: str, seeds: SeedSet, index: MentionIndex
    ) -> None:
        self.owner = owner
        self.rules = owner.rules
        self.vocabulary = owner.vocabulary
        self.source = source
        self.text = text
        self.seeds = seeds
        self.chinese = is_chinese(source.language)
        self.language = "zh" if self.chinese else "en"
        self.find = owner._finders[self.language]
        self.cue_predicate = owner._cue_predicate(self.language)
        self.kinds = {e.id: e.kind for e in seeds.entities}
        self.sentences = [s for s in sentences(text, source.language) if not self._chrome(s)]
        all_mentions = index.find(text, inner=True)
        top = index.find(text)
        self.mentions = top
        self.inner = [m for m in all_mentions if m not in top]
        self.new_names = owner.names.find(text, top, {s.start for s in self.sentences}, chinese=self.chinese)
        named = sorted(
            [Endpoint(m.start, m.end, m.entity, self.kinds.get(m.entity, "")) for m in top]
            + [Endpoint(n.start, n.end, _ref(n), n.kind) for n in self.new_names],
            key=lambda e: e.start,
        )
        self.endpoints = sorted(named + self._anaphora(named), key=lambda e: e.start)
        # A triple's claim; of several (qualified ones), the one without qualifiers if any.
        self.claims: dict[tuple[str, str, str], ValidatedClaim] = {}
        for claim in sorted(seeds.claims, key=lambda c: len(c.qualifiers), reverse=True):
            self.claims[(claim.subject, claim.predicate, claim.object)] = claim
        self._speaker_first = {w.casefold() for w in self.rules.speaker_follows.of(self.language)}

    def _anaphora(self, named: list[Endpoint]) -> list[Endpoint]:
        """Pronouns and "the company" as the nearest entity of their kind named in the previous
        three sentences (a guess the rule name marks, and the curator checks)."""
        words = self.rules.anaphora.of(self.language)
        finder = PhraseFinder(words, chinese=self.chinese)
        taken = [(e.start, e.end) for e in named]
        out: list[Endpoint] = []
        for index, sentence in enumerate(self.sentences):
            window = self.sentences[max(0, index - 3)].start
            for hit in finder.find(self.text, sentence.start, sentence.end):
                if any(a < hit.end and hit.start < b for a, b in taken):
                    continue
                kinds = words.get(hit.phrase, "").split("|")
                earlier = [
                    e
                    for e in named
                    if window <= e.start
                    and e.end <= hit.start
                    and e.kind in kinds
                    and not isinstance(e.ref, NewEntityRef)
                ]
                if earlier:
                    out.append(Endpoint(hit.start, hit.end, earlier[-1].ref, earlier[-1].kind, anaphor=True))
        return out

    def _chrome(self, span: Span) -> bool:
        line = self.text[span.start : span.end]
        return any(line in chrome or chrome in line for chrome in self.source.chrome)

    def suggest(self) -> list[Suggestion]:
        out: list[Suggestion] = []
        seen_new: set[str] = set()
        for name in self.new_names:
            ref = _ref(name)
            if ref.id in seen_new or not self._in_sentences(name.start):
                continue
            seen_new.add(ref.id)
            confidence = 0.7 if name.title else 0.5 if " " in name.name else 0.3
            out.append(
                Suggestion(
                    kind="entity",
                    subject=ref,
                    quote=name.name,
                    start=name.start,
                    end=name.end,
                    confidence=confidence,
                    rule=name.rule,
                )
            )
        proposals: dict[tuple[str, str, str, int, int], Suggestion] = {}
        for sentence in self.sentences:
            for suggestion in self._sentence(sentence):
                key = (
                    _key(suggestion.subject),
                    suggestion.predicate or "",
                    _key(suggestion.object),
                    suggestion.start,
                    suggestion.end,
                )
                if key not in proposals or proposals[key].confidence < suggestion.confidence:
                    proposals[key] = suggestion
        out += sorted(proposals.values(), key=lambda s: (s.start, -s.confidence, s.rule))
        return out

    def _in_sentences(self, at: int) -> bool:
        return any(s.start <= at < s.end for s in self.sentences)

    # --- one sentence ------------------------------------------------------------------------

    def _sentence(self, sentence: Span) -> list[Suggestion]:
        inside = [e for e in self.endpoints if sentence.start <= e.start and e.end <= sentence.end]
        out: list[Suggestion] = []
        out += self._titled(sentence)
        out += self._possessed(sentence)
        if len({e.key for e in inside}) < 2:
            return out
        parts = clauses(self.text, sentence)
        speakers = self._speaker_spans(sentence, inside)
        participants = [e for e in inside if (e.start, e.end) not in speakers]
        for cue in self.find["cues"].find(self.text, sentence.start, sentence.end):
            if any(e.start <= cue.start < e.end for e in inside):
                continue  # a cue word inside a name ("Defense Production Act")
            predicate = self.cue_predicate[cue.phrase]
            rule = "cue"
            negation = self._negated(sentence, cue)
            if negation is not None:
                if predicate.negated is None:
                    continue
                predicate = self.vocabulary.predicates[predicate.negated]
                rule = "cue.negated"
            found = self._passive_pair(sentence, cue, participants, predicate)
            if found is not None:
                rule += ".passive"
            else:
                found = self._active_pair(cue, participants, parts, predicate)
                if found is not None and found[1].end <= cue.start:
                    rule += ".trailing"
            if found is None:
                continue
            subject, obj = found
            same_clause = any(p.start <= subject.start and obj.end <= p.end for p in parts)
            confidence = 0.5 + (0.2 if same_clause else 0.0) - (0.15 if negation is not None else 0.0)
            if found[1].end <= cue.start and not rule.endswith(".passive"):
                confidence -= 0.1
            for s in self._coordinated(subject, participants, predicate.subject):
                for o in self._coordinated(obj, participants, predicate.object):
                    if s.key == o.key:
                        continue
                    penalty = 0.1 if s.anaphor or o.anaphor else 0.0
                    extra = ".anaphora" if s.anaphor or o.anaphor else ""
                    out += self._proposal(
                        sentence, s, predicate, o, confidence - penalty, f"{rule}{extra}:{cue.phrase}"
                    )
        return out + self._co_mentioned(sentence, participants, out)

    def _co_mentioned(
        self, sentence: Span, inside: list[Endpoint], done: list[Suggestion]
    ) -> list[Suggestion]:
        """Two entities of one sentence that no cue rule paired, with the nearest cue whose
        predicate fits their kinds: a weak proposal (the curator decides)."""
        paired = {frozenset((_key(s.subject), _key(s.object))) for s in done}
        cues = [
            c
            for c in self.find["cues"].find(self.text, sentence.start, sentence.end)
            if not any(e.start <= c.start < e.end for e in inside) and self._negated(sentence, c) is None
        ]
        if not cues:
            return []
        # Who says it, and where, are not by default in it.
        speaker = self._speaker(sentence)[0]
        named = [
            e
            for e in inside
            if not isinstance(e.ref, NewEntityRef)
            and e.key != speaker.entity
            and self.text[e.start : e.end] != speaker.via
        ]
        out: list[Suggestion] = []
        for i, first in enumerate(named):
            for second in named[i + 1 :]:
                if first.key == second.key or frozenset((first.key, second.key)) in paired:
                    continue
                middle = (first.end + second.start) / 2
                for cue in sorted(cues, key=lambda c: abs((c.start + c.end) / 2 - middle)):
                    predicate = self.cue_predicate[cue.phrase]
                    order = [(first, second), (second, first)]
                    fits = [
                        (s, o) for s, o in order if s.kind in predicate.subject and o.kind in predicate.object
                    ]
                    if fits:
                        s, o = fits[0]
                        paired.add(frozenset((first.key, second.key)))
                        out += self._proposal(sentence, s, predicate, o, 0.25, f"co-mention:{cue.phrase}")
                        break
        return out

    def _speaker_spans(self, sentence: Span, inside: list[Endpoint]) -> set[tuple[int, int]]:
        """Endpoints right next to an attribution cue ("Bloomberg reports", "according to X"):
        they say the claim, they are not in it (unless nothing else could be)."""
        out: set[tuple[int, int]] = set()
        for cue in self.find["attribution"].find(self.text, sentence.start, sentence.end):
            rest = self.text[cue.end : sentence.end]
            closes = len(re.sub(r"^\W*", "", rest)) == 0 or rest[:1] in {",", "，", ":", "："}
            for e in inside:
                if e.end <= cue.start:
                    gap = self.text[e.end : cue.start]
                    if closes and not gap.strip() and len(gap) <= 2:
                        out.add((e.start, e.end))  # "..., Bloomberg reports."
                elif (
                    e.start >= cue.end
                    and not self.text[cue.end : e.start].strip()
                    and cue.phrase.casefold() in self._speaker_first
                ):
                    out.add((e.start, e.end))  # "according to Reuters"
        return out

    def _coordinated(self, first: Endpoint, inside: list[Endpoint], kinds: Sequence[str]) -> list[Endpoint]:
        """The endpoint and those joined to it by coordinators ("OpenAI and Google", "AWS 和 GCP")."""
        joined = [first]
        words = {w.casefold() for w in self.rules.coordinators.of(self.language)}
        for e in inside:
            if e.start < joined[-1].end:
                continue
            gap = self.text[joined[-1].end : e.start].strip().casefold()
            if gap in words and e.kind in kinds:
                joined.append(e)
            elif e.start >= joined[-1].end:
                break
        return joined

    def _negated(self, sentence: Span, cue: Hit) -> Hit | None:
        reach = self.rules.negation_reach.get(self.language, 20)
        for hit in self.find["negation"].find(self.text, max(sentence.start, cue.start - reach), cue.start):
            if hit.end <= cue.start:
                return hit
        return None

    def _eligible(self, endpoint: Endpoint, kinds: Sequence[str]) -> bool:
        return endpoint.kind in kinds

    def _passive_pair(
        self, sentence: Span, cue: Hit, inside: list[Endpoint], predicate: Predicate
    ) -> tuple[Endpoint, Endpoint] | None:
        clause = next((p for p in clauses(self.text, sentence) if p.start <= cue.start < p.end), sentence)
        before = [e for e in inside if e.end <= cue.start and e.start >= clause.start]
        if self.chinese:
            markers = list(self.find["passive"].find(self.text, clause.start, cue.start))
            if not markers:
                return None
            marker = markers[-1]
            agents = [e for e in before if e.start >= marker.end and self._eligible(e, predicate.subject)]
            patients = [e for e in before if e.end <= marker.start and self._eligible(e, predicate.object)]
            if agents and patients:
                return agents[-1], patients[-1]
            return None
        auxiliaries = self.find["passive"].find(self.text, max(sentence.start, cue.start - 24), cue.start)
        if not auxiliaries:
            return None
        agent_words = self.find["agent"].find(self.text, cue.end, min(sentence.end, cue.end + 60))
        if not agent_words:
            return None
        after = [e for e in inside if e.start >= agent_words[0].end and self._eligible(e, predicate.subject)]
        patients = [
            e for e in before if e.end <= auxiliaries[-1].start and self._eligible(e, predicate.object)
        ]
        if after and patients:
            return after[0], patients[-1]
        return None

    def _possessive(self, endpoint: Endpoint) -> bool:
        """ "Elon Musk's AI company xAI": Musk qualifies the name after him, he is not the subject."""
        after = self.text[endpoint.end : endpoint.end + 2]
        return after in {"'s", "’s"} or after[:1] == "的"

    def _active_pair(
        self, cue: Hit, inside: list[Endpoint], parts: list[Span], predicate: Predicate
    ) -> tuple[Endpoint, Endpoint] | None:
        clause = next((p for p in parts if p.start <= cue.start < p.end), Span(cue.start, cue.end))
        before = [e for e in inside if e.end <= cue.start and self._eligible(e, predicate.subject)]
        if not before:
            return self._between(cue, inside, clause, predicate)
        opener = self._reported_clause_start(clause, cue)
        reported = [e for e in before if e.start >= opener]
        in_clause = [e for e in before if e.start >= clause.start]
        # The clause's first actor is its grammatical subject more often than the nearest one
        # ("Trump ordered agencies to stop using Anthropic": Trump bans Anthropic); in a reported
        # clause ("Trump said he is directing...") its own first actor; a possessive before
        # another actor only qualifies it.
        for candidates in (reported, in_clause, [before[-1]]):
            while len(candidates) > 1 and self._possessive(candidates[0]):
                candidates = candidates[1:]
            if candidates:
                pair = self._object_for(candidates[0], cue, inside, clause, predicate)
                if pair is not None:
                    return pair
        return None

    def _object_for(
        self, subject: Endpoint, cue: Hit, inside: list[Endpoint], clause: Span, predicate: Predicate
    ) -> tuple[Endpoint, Endpoint] | None:
        after = [
            e
            for e in inside
            if e.start >= cue.end
            and e.end <= clause.end
            and e.key != subject.key
            and self._eligible(e, predicate.object)
        ]
        if after:
            return subject, after[0]
        # A cue that ends the clause ("classified Anthropic as a supply chain risk", 将Anthropic列为,
        # 与国防部达成协议): the object sits between the subject and the cue.
        between = [
            e
            for e in inside
            if e.start >= subject.end
            and e.end <= cue.start
            and e.start >= clause.start
            and e.key != subject.key
            and self._eligible(e, predicate.object)
            and self._marked_object(e, cue)
        ]
        return (subject, between[-1]) if between else None

    def _marked_object(self, obj: Endpoint, cue: Hit) -> bool:
        """A marker says the endpoint before a trailing cue is its object (see rules.yaml)."""
        markers = {m.casefold() for m in self.rules.trailing_object.of(self.language)}
        if self.chinese:
            before = simplified_aligned(self.text[max(0, obj.start - 3) : obj.start]).strip()
            if any(before.endswith(w) for w in self.rules.not_trailing_object.of(self.language)):
                return False
            return any(before.endswith(m) for m in markers)
        words = re.findall(r"[\w'’-]+", self.text[obj.end : cue.start].casefold())
        return any(w in markers for w in words)

    def _reported_clause_start(self, clause: Span, cue: Hit) -> int:
        """Where a reported clause before the cue opens (after "said", "that", 表示), else -1."""
        opener = -1
        for name in ("attribution", "complementizers"):
            for hit in self.find[name].find(self.text, clause.start, cue.start):
                opener = max(opener, hit.end)
        return opener

    def _between(
        self, cue: Hit, inside: list[Endpoint], clause: Span, predicate: Predicate
    ) -> tuple[Endpoint, Endpoint] | None:
        """ "tensions between Anthropic and the Pentagon": both sides after the cue, joined."""
        after = [e for e in inside if e.start >= cue.end and e.end <= clause.end]
        if len(after) < 2 or not self._eligible(after[0], predicate.subject):
            return None
        gap = self.text[after[0].end : after[1].start].strip().casefold()
        coordinators = {w.casefold() for w in self.rules.coordinators.of(self.language)}
        if (
            gap in coordinators
            and self._eligible(after[1], predicate.object)
            and after[0].key != after[1].key
        ):
            return after[0], after[1]
        return None

    def _titled(self, sentence: Span) -> list[Suggestion]:
        """ORG TITLE PERSON: by the title, the person leads, co-founded or works for the organisation."""
        out: list[Suggestion] = []
        people = [e for e in self.endpoints if e.kind == "person" and not e.anaphor]
        orgs = [
            Endpoint(m.start, m.end, m.entity, self.kinds.get(m.entity, ""))
            for m in (*self.mentions, *self.inner)
        ] + [Endpoint(n.start, n.end, _ref(n), n.kind) for n in self.new_names]
        orgs = [o for o in orgs if o.kind in {"company", "agency", "outlet", "group"}]
        by_title = {
            t.casefold(): name
            for name, titles in self.rules.title_predicates.items()
            for t in titles.of(self.language)
        }
        for title in self.find["titles"].find(self.text, sentence.start, sentence.end):
            person = next(
                (p for p in people if p.start <= title.end < p.end or title.end <= p.start <= title.end + 1),
                None,
            )
            org = next(
                (
                    o
                    for o in orgs
                    if title.start - 8 <= o.end <= title.start + 1 and self._gap_ok(o.end, title.start)
                ),
                None,
            )
            if person is None or org is None or person.key == org.key:
                continue
            predicate = self.vocabulary.predicates[by_title.get(title.phrase.casefold(), "works_for")]
            if org.kind not in predicate.object:
                continue
            quote = Span(min(org.start, person.start), max(person.end, title.end))
            out += self._proposal(quote, person, predicate, org, 0.75, f"title:{title.phrase}", exact=True)
        return out

    def _possessed(self, sentence: Span) -> list[Suggestion]:
        """OWNER's OWNED ("Anthropic's Claude", "its Grok models"): issued, develops or leads, by
        the kind of what is owned (rules.yaml `possessive`)."""
        rules = self.rules.possessive
        reach = rules.reach.get(self.language, 20)
        markers = sorted(rules.markers.of(self.language), key=len, reverse=True)
        inside = [
            e for e in self.endpoints if sentence.start <= e.start and e.end <= sentence.end and not e.anaphor
        ]
        owners: list[tuple[Endpoint, int]] = []
        for e in inside:
            rest = self.text[e.end : e.end + 4]
            stripped = rest.lstrip()
            marker = next((m for m in markers if stripped.startswith(m)), None)
            if marker is not None:
                owners.append((e, e.end + (len(rest) - len(stripped)) + len(marker)))
        pronouns = PhraseFinder(rules.pronouns.of(self.language), chinese=self.chinese)
        for hit in pronouns.find(self.text, sentence.start, sentence.end):
            earlier = [
                e
                for e in self.endpoints
                if e.end <= hit.start
                and e.start >= self.sentences[max(0, self.sentences.index(sentence) - 3)].start
                and e.kind in _SPEAKER_TYPES
                and not isinstance(e.ref, NewEntityRef)
            ]
            if earlier:
                owners.append((replace(earlier[-1], start=hit.start, end=hit.end, anaphor=True), hit.end))
        out: list[Suggestion] = []
        for owner, after in owners:
            owned = next((e for e in inside if e.start >= after), None)
            if owned is None or owned.start - after > reach or owned.key == owner.key:
                continue
            gap = self.text[after : owned.start]
            if owner.anaphor and (len(gap.split()) > 1 or (self.chinese and gap.strip())):
                continue  # a pronoun owns the name right after it ("its Grok"), not "其给了五角大楼"
            if _CLAUSE_MARK.search(self.text, after, owned.start):
                continue
            name = rules.owned.get(owned.kind)
            if name is None or name not in self.vocabulary.predicates:
                continue
            predicate = self.vocabulary.predicates[name]
            if owner.kind not in predicate.subject or owned.kind not in predicate.object:
                continue
            rule = "possessive.pronoun" if owner.anaphor else "possessive"
            out += self._proposal(sentence, owner, predicate, owned, 0.55, f"{rule}:{name}")
        return out

    def _gap_ok(self, end: int, title_start: int) -> bool:
        if end >= title_start:
            return True  # 美國國防部長: the 部 of the agency is the 部 of 部長
        gap = self.text[end:title_start].strip()
        for word in sorted(self.rules.title_gap.of(self.language), key=len, reverse=True):
            gap = gap.replace(word, "").strip()
        return gap == ""

    # --- the proposal ------------------------------------------------------------------------

    def _proposal(
        self,
        span: Span,
        subject: Endpoint,
        predicate: Predicate,
        obj: Endpoint,
        confidence: float,
        rule: str,
        *,
        exact: bool = False,
    ) -> list[Suggestion]:
        quote = span if exact else self._quote_span(span, subject, obj)
        if quote is None:
            return []
        sentence = next((s for s in self.sentences if s.start <= quote.start < s.end), quote)
        speaker, certainty = self._speaker(sentence)
        ident = claim_id(subject.key, predicate.id, obj.key, symmetric=predicate.symmetric)
        s_key, o_key = subject.key, obj.key
        if predicate.symmetric and o_key < s_key:
            s_key, o_key = o_key, s_key
        existing = self.claims.get((s_key, predicate.id, o_key))
        kind: SuggestionKind = "claim"
        if existing is not None:
            if any(
                e.source == self.source.id and e.start < quote.end and quote.start < e.end
                for e in existing.evidence
            ):
                return []  # already recorded for this span
            kind, ident, confidence = "evidence", existing.id, confidence + 0.1
        if isinstance(subject.ref, NewEntityRef) or isinstance(obj.ref, NewEntityRef):
            confidence -= 0.1
        published = self.source.published_bounds()
        ctx = DateContext(published, lambda at: self._future(sentence, at))
        date = guess_date(self.text, quote.start, quote.end, chinese=self.chinese, ctx=ctx)
        bounds = date.bounds() if date is not None else None
        # A date after publication is a thing still to come: the seeds want it marked so.
        status: Status | None = "expected" if bounds and published and bounds[0] > published[1] else None
        return [
            Suggestion(
                kind=kind,
                subject=subject.ref if not predicate.symmetric or subject.key == s_key else obj.ref,
                predicate=predicate.id,
                object=obj.ref if not predicate.symmetric or subject.key == s_key else subject.ref,
                claim=ident,
                quote=self.text[quote.start : quote.end],
                start=quote.start,
                end=quote.end,
                speaker=speaker,
                certainty=certainty,
                date=date,
                status=status,
                values=self.owner.figures.find(self.text, quote.start, quote.end, chinese=self.chinese),
                confidence=round(min(0.95, max(0.05, confidence)), 2),
                rule=rule,
            )
        ]

    def _quote_span(self, sentence: Span, subject: Endpoint, obj: Endpoint) -> Span | None:
        """The sentence, or when it is too long the clauses from the subject to the object."""
        if sentence.end - sentence.start <= MAX_QUOTE_CHARS:
            return sentence
        parts = clauses(self.text, sentence)
        first, last = min(subject.start, obj.start), max(subject.end, obj.end)
        start = max((p.start for p in parts if p.start <= first), default=first)
        end = min((p.end for p in parts if p.end >= last), default=last)
        if end - start > MAX_QUOTE_CHARS:
            start, end = first, last
        return Span(start, end) if end - start <= MAX_QUOTE_CHARS else None

    def _future(self, sentence: Span, at: int) -> bool:
        """A future-tense word shortly before the date, in its clause ("will meet on Friday")."""
        clause = next((c for c in clauses(self.text, sentence) if c.start <= at < c.end), sentence)
        return bool(self.find["future"].find(self.text, max(clause.start, at - 40), at))

    def _speaker(self, sentence: Span) -> tuple[Speaker, Certainty]:
        hedged = bool(self.find["hedges"].find(self.text, sentence.start, sentence.end))
        cues = self.find["attribution"].find(self.text, sentence.start, sentence.end)
        if not cues:
            return Speaker(type="narration"), "unconfirmed" if hedged else "stated"
        cue = cues[0]
        actors = [
            e
            for e in self.endpoints
            if sentence.start <= e.start and e.end <= sentence.end and e.kind in _SPEAKER_TYPES
        ]
        anonymous = self.find["anonymous"].find(self.text, sentence.start, sentence.end)

        def distance(start: int, end: int) -> int:
            return cue.start - end if end <= cue.start else start - cue.end if start >= cue.end else 0

        # The speaker comes before "said" more often than after it ("Dalton, director at the
        # Institute, says the Pentagon..."): the nearest person before, else the nearest actor
        # before, else the nearest after ("according to Reuters").
        before = [e for e in actors if e.end <= cue.start]
        if cue.phrase.casefold() in self._speaker_first:
            before = []
        people = [e for e in before if e.kind == "person"]
        best = (people or before)[-1] if before else None
        if best is None:
            best = min(actors, key=lambda e: distance(e.start, e.end), default=None)
        nearest_anonymous = min(anonymous, key=lambda h: distance(h.start, h.end), default=None)
        if nearest_anonymous is not None and (
            best is None
            or distance(nearest_anonymous.start, nearest_anonymous.end) < distance(best.start, best.end)
        ):
            name = self.text[nearest_anonymous.start : nearest_anonymous.end]
            return Speaker(type="anonymous", name=name), "unconfirmed"
        if best is None:
            return Speaker(type="narration"), "unconfirmed" if hedged else "stated"
        via = self._via(sentence, cue, best)
        speaker = Speaker.model_validate({"type": _SPEAKER_TYPES[best.kind], "entity": best.key, "via": via})
        return speaker, "unconfirmed" if hedged else "attributed"

    def _via(self, sentence: Span, cue: Hit, speaker: Endpoint) -> str | None:
        """Where it was said: an outlet or product named right after a via word near the cue
        ("told CNBC", "said on X", 在 X 上)."""
        words = self.find["via"]
        near = Span(max(sentence.start, cue.start - 30), min(sentence.end, cue.end + 30))
        for hit in words.find(self.text, near.start, near.end):
            after = next((e for e in self.endpoints if e.start >= hit.end and e.start - hit.end <= 2), None)
            if after is not None and after.kind in {"outlet", "product"} and after.key != speaker.key:
                return self.text[after.start : after.end]
        return None


def _ref(name: NewName) -> NewEntityRef:
    return NewEntityRef(new=name.name, id=name.proposed_id, kind=name.kind)


def _key(value: str | NewEntityRef | None) -> str:
    if isinstance(value, NewEntityRef):
        return value.id
    return value or ""


def load_source(root: Path, source_id: str) -> tuple[Source, str, SeedSet]:
    """The validated seeds, the source and its text (NotFoundError names the close ids)."""
    from rapidfuzz import process

    from stancegraph.schema.validate import validate_seeds

    seeds = validate_seeds(root)
    source = next((s for s in seeds.sources if s.id == source_id), None)
    if source is None:
        close = process.extract(source_id, [s.id for s in seeds.sources], limit=3, score_cutoff=60)
        candidates = tuple(Candidate(id=c[0], name=c[0]) for c in close)
        raise NotFoundError("source", source_id, "SOURCE_ID", candidates)
    text = seeds.texts.get(source.id)
    if text is None:
        raise NotFoundError("source text", source.path, "SOURCE_ID")
    return source, text, seeds
