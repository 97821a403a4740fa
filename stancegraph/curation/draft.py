"""Drafts: suggestions written in the seed source-file format for the curator to review
(`draft_yaml`), and a reviewed draft accepted into the seeds (`accept`).

The draft is a seed file (`entities:` for proposed new entities, `claims:` with `evidence:`), so
what the curator keeps is validated exactly as seeds are. Evidence for a claim the seeds already
hold is a block with that claim's identity and only the new evidence. A YAML comment above each
block gives its confidence and the rule that fired; the curator deletes a block to reject it.

Accepting a reviewed draft merges it into its source's seed file, all or nothing:
1. reads the draft (a YAML error is the draft's file:line) and finds its one source, in the
   seeds or in the draft's own `sources:` block;
2. fills missing offsets as `evidence locate` does, and drops what the seeds already hold (the
   same quote span for the same claim, an identical entity or source block), so accepting a
   draft twice adds nothing;
3. edits the source's seed file as text, line by line, appending blocks where they belong, so
   its comments and layout survive (the same approach as `evidence locate`);
4. validates the seeds as they would be after the merge (a mirror of the seeds folder with the
   merged file in it, checked by schema/validate.py), and reports a problem in what came from
   the draft at the draft's own file:line;
5. only then replaces the file (temp file + rename): a failed accept changes nothing.

Steps 1-2 are curation/plan.py, 3-4 curation/merge.py; this module runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stancegraph.curation.merge import merge_text, validate_merged
from stancegraph.curation.plan import TRANSLATION_TODO, check_shape, plan_merge
from stancegraph.curation.rules import is_chinese
from stancegraph.curation.suggest import NewEntityRef, Suggestion
from stancegraph.schema.errors import Issue, SeedValidationError
from stancegraph.schema.models import SeedSet, Source
from stancegraph.schema.validate import read_seeds
from stancegraph.schema.vocabulary import load_vocabulary
from stancegraph.schema.yamlfile import load_yaml, write_atomically


def _ref_id(value: str | NewEntityRef | None) -> str:
    if isinstance(value, NewEntityRef):
        return value.id
    return value or ""


def _dump(value: Any, indent: int) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _block(value: Any, indent: int) -> str:
    """A list item: `- key: ...` with the rest aligned under it."""
    body = _dump(value, indent + 2)
    return " " * indent + "- " + body[indent + 2 :]


def _evidence(suggestion: Suggestion, source: Source) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": source.id,
        "quote": suggestion.quote,
        "start": suggestion.start,
        "end": suggestion.end,
    }
    if not source.language.startswith("en"):
        record["translation"] = TRANSLATION_TODO + suggestion.quote
    assert suggestion.speaker is not None and suggestion.certainty is not None
    record["speaker"] = suggestion.speaker.model_dump(mode="json", exclude_none=True)
    record["certainty"] = suggestion.certainty
    if suggestion.date is not None and suggestion.date.value is not None:
        date: dict[str, Any] = {"value": suggestion.date.value}
        if suggestion.date.wording:
            date["wording"] = suggestion.date.wording
        record["date"] = date
    if suggestion.status is not None:
        record["status"] = suggestion.status
    if suggestion.values:
        record["values"] = {
            k: v.model_dump(mode="json", exclude_none=True) for k, v in suggestion.values.items()
        }
    return record


def _entity(ref: NewEntityRef) -> dict[str, Any]:
    names: dict[str, str] = {"en": ref.new}
    if any(not ch.isascii() for ch in ref.new):
        names["zh"] = ref.new
    return {"id": ref.id, "kind": ref.kind, "names": names}


def draft_yaml(source: Source, suggestions: list[Suggestion], seeds: SeedSet) -> str:
    """The draft's text: new entities, then claims (each claim once, its evidence under it)."""
    known = {e.id for e in seeds.entities}
    qualifiers = {c.id: c.qualifiers for c in seeds.claims}
    lines = [
        f"# Draft for {source.id}: proposals of `stancegraph suggest` (rule-based, offline).",
        "# Delete a block to reject it, correct what is wrong, then `stancegraph accept` this file.",
        "# The comment above each block gives its kind, confidence and the rule that fired.",
    ]
    if is_chinese(source.language):
        lines.append(
            f"# Each translation starts `{TRANSLATION_TODO.strip()}`: write the English before accepting."
        )
    # Every proposed entity, and any new entity a claim names (a speaker that is new has its own
    # entity proposal), each once.
    new: dict[str, tuple[NewEntityRef, Suggestion]] = {}
    for suggestion in suggestions:
        for ref in (suggestion.subject, suggestion.object):
            if isinstance(ref, NewEntityRef) and ref.id not in known and ref.id not in new:
                new[ref.id] = (ref, suggestion)
    if new:
        lines.append("entities:")
        for ref, suggestion in new.values():
            lines.append(f"  # entity · confidence {suggestion.confidence:.2f} · rule {suggestion.rule}")
            lines.append(_block(_entity(ref), 2).rstrip("\n"))
    claims: dict[str, list[Suggestion]] = {}
    for suggestion in suggestions:
        if suggestion.kind != "entity" and suggestion.claim is not None:
            claims.setdefault(suggestion.claim, []).append(suggestion)
    if claims:
        lines.append("claims:")
    for ident, group in claims.items():
        first = group[0]
        rules = "; ".join(f"{s.confidence:.2f} {s.rule}" for s in group)
        lines.append(f"  # {first.kind} · confidence and rule per evidence: {rules}")
        block: dict[str, Any] = {
            "id": ident,
            "subject": _ref_id(first.subject),
            "predicate": first.predicate,
            "object": _ref_id(first.object),
        }
        if qualifiers.get(ident):
            block["qualifiers"] = dict(qualifiers[ident])
        spans: set[tuple[int, int]] = set()
        evidence = []
        for suggestion in group:
            if (suggestion.start, suggestion.end) not in spans:
                spans.add((suggestion.start, suggestion.end))
                evidence.append(_evidence(suggestion, source))
        block["evidence"] = evidence
        lines.append(_block(block, 2).rstrip("\n"))
    if not new and not claims:
        lines += ["# Nothing to propose: no cue, title or new name was found.", "claims: []"]
    return "\n".join(lines) + "\n"


# --- accepting a reviewed draft ------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """What an accept merged (or, with write=False, would merge) into `file`."""

    source: str
    file: Path
    claims: int
    evidence: int
    entities: int
    written: bool

    @property
    def nothing_new(self) -> bool:
        return self.claims == self.evidence == self.entities == 0


def accept(draft_path: Path, seeds_dir: Path, *, write: bool = True) -> Accepted:
    """Merge the draft at `draft_path` into the seeds under `seeds_dir`; raise SeedValidationError
    (every problem, each at its file:line, the draft's where it lies in the draft) and change no
    file when anything is wrong."""
    draft_display = str(draft_path)
    issues: list[Issue] = []
    draft = load_yaml(draft_path, draft_display, issues)
    if draft is None:
        raise SeedValidationError(issues)
    check_shape(draft, draft_display, issues)
    if issues:
        raise SeedValidationError(issues)
    if not seeds_dir.is_dir():
        raise SeedValidationError([Issue(str(seeds_dir), None, "", "no such seeds folder (--seeds)")])
    raw = read_seeds(seeds_dir)
    vocab = load_vocabulary()
    plan = plan_merge(draft, draft_display, raw, vocab, issues)
    if issues or plan is None:
        raise SeedValidationError(issues)
    merged = merge_text(plan, issues)
    if issues or merged is None:
        raise SeedValidationError(issues)
    problems = validate_merged(plan, merged, seeds_dir, vocab)
    if problems:
        raise SeedValidationError(problems)
    evidence = sum(len(block["evidence"]) for _, block in plan.claims) + sum(
        len(added) for added in plan.evidence.values()
    )
    result = Accepted(
        plan.source.id, plan.target, len(plan.claims), evidence, len(plan.entities), written=False
    )
    if write and not result.nothing_new:
        write_atomically(plan.target, merged.text)
        return Accepted(result.source, result.file, result.claims, result.evidence, result.entities, True)
    return result
