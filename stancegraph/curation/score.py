"""How well suggestions recover the curated claims of the seed sources (plain functions).

For each source with a text, the suggester runs with that source's own evidence taken out of the
seeds (otherwise it would only find what is already recorded), and its claim and evidence
proposals are compared with the curated claims that cite the source:

- pair recall: curated (subject, object) pairs that some proposal has (either order when the
  predicate is symmetric);
- predicate accuracy: of those pairs, how many the most confident proposal names correctly;
- precision: proposals whose pair is a curated pair of the source;
- mention recall: curated evidence endpoints that are mentioned inside their quote.

The baseline proposes every pair of entities mentioned in one sentence, in text order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stancegraph.curation.mentions import MentionIndex
from stancegraph.curation.rules import is_chinese
from stancegraph.curation.suggest import NewEntityRef, RuleSuggester, Suggester, Suggestion
from stancegraph.curation.text import sentences
from stancegraph.schema.models import SeedSet, Source
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary


@dataclass
class Tally:
    reference_pairs: int = 0
    found_pairs: int = 0
    right_predicates: int = 0
    proposals: int = 0
    right_proposals: int = 0
    endpoints: int = 0
    mentioned_endpoints: int = 0
    sources: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("reference_pairs", "found_pairs", "right_predicates", "proposals", "right_proposals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.endpoints += other.endpoints
        self.mentioned_endpoints += other.mentioned_endpoints
        self.sources += other.sources

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "pair_recall": ratio(self.found_pairs, self.reference_pairs),
            "predicate_accuracy": ratio(self.right_predicates, self.found_pairs),
            "precision": ratio(self.right_proposals, self.proposals),
            "mention_recall": ratio(self.mentioned_endpoints, self.endpoints),
            "reference_pairs": self.reference_pairs,
            "proposals": self.proposals,
            "sources": len(self.sources),
        }


def without_source(seeds: SeedSet, source_id: str) -> SeedSet:
    """The seeds as they were before the source was curated: its evidence removed."""
    claims = []
    for claim in seeds.claims:
        evidence = [e for e in claim.evidence if e.source != source_id]
        if evidence:
            claims.append(claim.model_copy(update={"evidence": evidence}))
    return seeds.model_copy(update={"claims": claims})


def reference(seeds: SeedSet, source_id: str) -> dict[tuple[str, str], set[str]]:
    """The curated (subject, object) pairs the source's evidence supports, with their predicates."""
    out: dict[tuple[str, str], set[str]] = {}
    for claim in seeds.claims:
        if any(e.source == source_id for e in claim.evidence):
            out.setdefault((claim.subject, claim.object), set()).add(claim.predicate)
    return out


def _pair(suggestion: Suggestion) -> tuple[str, str] | None:
    subject, obj = suggestion.subject, suggestion.object
    if isinstance(subject, NewEntityRef) or isinstance(obj, NewEntityRef) or obj is None:
        return None
    return subject, obj


def _matching(
    pair: tuple[str, str], ref: dict[tuple[str, str], set[str]], vocab: Vocabulary
) -> tuple[str, str] | None:
    if pair in ref:
        return pair
    flipped = (pair[1], pair[0])
    if flipped in ref and any(vocab.predicates[p].symmetric for p in ref[flipped] if p in vocab.predicates):
        return flipped
    return None


def score_source(
    source: Source, text: str, seeds: SeedSet, proposals: list[Suggestion], vocab: Vocabulary | None = None
) -> Tally:
    vocab = vocab or load_vocabulary()
    ref = reference(seeds, source.id)
    tally = Tally(reference_pairs=len(ref), sources=[source.id])
    best: dict[tuple[str, str], Suggestion] = {}
    for proposal in proposals:
        if proposal.kind == "entity":
            continue
        tally.proposals += 1
        pair = _pair(proposal)
        matched = _matching(pair, ref, vocab) if pair else None
        if matched is None:
            continue
        tally.right_proposals += 1
        if matched not in best or best[matched].confidence < proposal.confidence:
            best[matched] = proposal
    tally.found_pairs = len(best)
    tally.right_predicates = sum(1 for pair, p in best.items() if p.predicate in ref[pair])
    index = MentionIndex(seeds.entities)
    mentions = index.find(text, inner=True)
    for claim in seeds.claims:
        for evidence in claim.evidence:
            if evidence.source != source.id:
                continue
            for entity in (claim.subject, claim.object):
                tally.endpoints += 1
                if any(
                    m.entity == entity and evidence.start <= m.start and m.end <= evidence.end
                    for m in mentions
                ):
                    tally.mentioned_endpoints += 1
    return tally


def baseline(source: Source, text: str, seeds: SeedSet) -> list[Suggestion]:
    """Every pair of distinct entities mentioned in one sentence, in text order."""
    index = MentionIndex(seeds.entities)
    mentions = index.find(text)
    out: list[Suggestion] = []
    for sentence in sentences(text, source.language):
        inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        for i, first in enumerate(inside):
            for second in inside[i + 1 :]:
                if first.entity != second.entity:
                    out.append(
                        Suggestion(
                            kind="claim",
                            subject=first.entity,
                            predicate="co_mentioned",
                            object=second.entity,
                            quote=text[sentence.start : sentence.end][:300],
                            start=sentence.start,
                            end=sentence.start + len(text[sentence.start : sentence.end][:300]),
                            confidence=0.1,
                            rule="baseline",
                        )
                    )
    return out


def score_seeds(
    seeds: SeedSet, suggester: Suggester | None = None, *, use_baseline: bool = False
) -> dict[str, Tally]:
    """Tallies by language group (en, zh) over every seed source with a text and claims."""
    suggester = suggester or RuleSuggester()
    out: dict[str, Tally] = {}
    for source in seeds.sources:
        text = seeds.texts.get(source.id)
        if text is None or not reference(seeds, source.id):
            continue
        before = without_source(seeds, source.id)
        proposals = (
            baseline(source, text, before) if use_baseline else suggester.suggest(source, text, before)
        )
        group = "zh" if is_chinese(source.language) else "en"
        out.setdefault(group, Tally()).add(score_source(source, text, seeds, proposals))
    return out


def report(tallies: dict[str, Tally]) -> dict[str, dict[str, float]]:
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    return {**{k: t.figures() for k, t in sorted(tallies.items())}, "all": total.figures()}


def compare(seeds: SeedSet, suggester: Suggester | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """The suggester's figures beside the co-mention baseline's, per language and in all (what
    `python -m bench curation` reports)."""
    return {
        "rules": report(score_seeds(seeds, suggester)),
        "baseline": report(score_seeds(seeds, use_baseline=True)),
    }
