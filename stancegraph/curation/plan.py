"""Reading a draft for `accept`: its one source, its offsets, and what of it is new.

The plan says which blocks go into the source's seed file and where (new entities, new claims,
evidence and notes for claims the file already holds), each with the draft path it came from so
a problem found later is reported at the draft's own line. What the seeds already hold is left
out here: the same quote span of a claim, an identical entity or source block.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stancegraph.schema.errors import Issue
from stancegraph.schema.locate import place_quote
from stancegraph.schema.models import Claim, Entity, Source, claim_id
from stancegraph.schema.validate import SECTIONS, Located, RawSeeds, SourceText, display_path
from stancegraph.schema.vocabulary import Vocabulary
from stancegraph.schema.yamlfile import PathKey, YamlDocument, dotted, load_yaml, read_text

Block = dict[str, Any]
# The evidence keys written first, in the order seed files use; the rest keep the draft's order.
EVIDENCE_HEAD = ("source", "quote", "start", "end")
CLAIM_HEAD = ("id", "subject", "predicate", "object", "qualifiers", "note")


def check_shape(draft: YamlDocument, display: str, issues: list[Issue]) -> None:
    """A draft is a seed file: a mapping of sections, each a list of mappings."""
    if not isinstance(draft.data, dict):
        issues.append(
            Issue(display, 1, "", "a draft is a mapping with any of the keys sources, entities, claims")
        )
        return
    for key, value in draft.data.items():
        if key not in SECTIONS:
            issues.append(
                Issue(
                    display,
                    draft.line_of((key,)),
                    key,
                    f"unknown section; expected one of {', '.join(SECTIONS)}",
                )
            )
        elif value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            issues.append(
                Issue(display, draft.line_of((key,)), key, "must be a list of blocks (- key: value)")
            )
    for index, claim in enumerate(section(draft.data, "claims")):
        evidence = claim.get("evidence")
        if evidence is not None and not (
            isinstance(evidence, list) and all(isinstance(e, dict) for e in evidence)
        ):
            at: PathKey = ("claims", index, "evidence")
            issues.append(Issue(display, draft.line_of(at), dotted(at), "must be a list of evidence blocks"))


def section(data: Any, name: str) -> list[Block]:
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


@dataclass
class Plan:
    """What goes where: the blocks to add to the target file, each with the draft path it came from."""

    draft: YamlDocument
    draft_display: str
    source: Source
    target: Path
    target_doc: YamlDocument | None  # None when the file is new
    new_source: tuple[int, Block] | None = None
    entities: list[tuple[int, Block]] = field(default_factory=list)
    claims: list[tuple[int, Block]] = field(default_factory=list)
    # Evidence for claims already in the target file: target claim index -> (draft path, block).
    evidence: dict[int, list[tuple[PathKey, Block]]] = field(default_factory=dict)
    notes: dict[int, tuple[int, str]] = field(default_factory=dict)
    # For the blocks of a new claim, the draft evidence index of each kept evidence block.
    kept_evidence: dict[int, list[int]] = field(default_factory=dict)


def plan_merge(
    draft: YamlDocument, display: str, raw: RawSeeds, vocab: Vocabulary, issues: list[Issue]
) -> Plan | None:
    found = _draft_source(draft, display, raw, issues)
    if found is None:
        return None
    source, located, draft_block = found
    target = located.doc.path if located is not None else raw.root / "sources" / f"{source.id}.yaml"
    target_doc = located.doc if located is not None else _existing(target, raw, issues)
    if issues:
        return None
    plan = Plan(draft, display, source, target, target_doc, new_source=draft_block)
    text = _text_of(source, raw.root, issues)
    if text is None:
        return None
    _plan_entities(plan, raw, issues)
    _plan_claims(plan, raw, vocab, text, issues)
    return None if issues else plan


def _draft_source(
    draft: YamlDocument, display: str, raw: RawSeeds, issues: list[Issue]
) -> tuple[Source, Located[Source] | None, tuple[int, Block] | None] | None:
    """The one source the draft is about: the record, where the seeds define it (None: the
    draft brings it), and the draft's own block when it is new."""
    named: list[tuple[str, PathKey]] = []
    for index, block in enumerate(section(draft.data, "sources")):
        if isinstance(block.get("id"), str):
            named.append((block["id"], ("sources", index, "id")))
    for c_index, claim in enumerate(section(draft.data, "claims")):
        for e_index, ev in enumerate(claim.get("evidence") or []):
            if isinstance(ev.get("source"), str):
                named.append((ev["source"], ("claims", c_index, "evidence", e_index, "source")))
    if not named:
        issues.append(
            Issue(display, 1, "", "the draft names no source: give each evidence its `source` (a source id)")
        )
        return None
    ident, first_at = named[0]
    for other, other_at in named[1:]:
        if other != ident:
            issues.append(
                Issue(
                    display,
                    draft.line_of(other_at),
                    dotted(other_at),
                    f"a draft holds one source's claims: this names {other!r}, line "
                    f"{draft.line_of(first_at)} names {ident!r} (accept one draft per source)",
                )
            )
    if issues:
        return None
    known = {located.record.id: located for located in raw.sources}
    located = known.get(ident)
    mine: tuple[int, Block, Source] | None = None
    for index, block in enumerate(section(draft.data, "sources")):
        at: PathKey = ("sources", index)
        try:
            record = Source.model_validate(block)
        except ValidationError as exc:
            issues += _pydantic_issues(exc, draft, display, at)
            continue
        if located is None:
            mine = (index, block, record)
        elif record != located.record:
            issues.append(
                Issue(
                    display,
                    draft.line_of(at),
                    dotted(at),
                    f"source {ident!r} is already in the seeds at {_where(located)} and this block "
                    "differs: delete it from the draft (or edit the seed file)",
                )
            )
    if issues:
        return None
    if located is not None:
        return located.record, located, None
    if mine is None:
        issues.append(
            Issue(
                display,
                draft.line_of(first_at),
                dotted(first_at),
                f"no source with id {ident!r} in the seeds or the draft: add it first "
                "(`stancegraph source add`), or give its block in the draft's `sources:`",
            )
        )
        return None
    return mine[2], None, (mine[0], mine[1])


def _existing(target: Path, raw: RawSeeds, issues: list[Issue]) -> YamlDocument | None:
    """The target file when it exists without the source's block (e.g. entities only)."""
    if not target.exists():
        return None
    return load_yaml(target, display_path(target, raw.root), issues)


def _text_of(source: Source, root: Path, issues: list[Issue]) -> SourceText | None:
    text = read_text(root / source.path, source.path, issues)
    return None if text is None else SourceText(source, text)


def _plan_entities(plan: Plan, raw: RawSeeds, issues: list[Issue]) -> None:
    known = {located.record.id: located for located in raw.entities}
    for index, block in enumerate(section(plan.draft.data, "entities")):
        at: PathKey = ("entities", index)
        ident = block.get("id")
        existing = known.get(ident) if isinstance(ident, str) else None
        if existing is None:
            plan.entities.append((index, block))  # validated after the merge, with the seeds
            continue
        try:
            same = Entity.model_validate(block) == existing.record
        except ValidationError as exc:
            issues += _pydantic_issues(exc, plan.draft, plan.draft_display, at)
            continue
        if not same:
            issues.append(
                Issue(
                    plan.draft_display,
                    plan.draft.line_of((*at, "id")),
                    dotted((*at, "id")),
                    f"entity {existing.record.id!r} is already in the seeds at {_where(existing)} "
                    "and this block differs: delete it from the draft, or add a new name to that "
                    "entity's aliases there",
                )
            )


@dataclass(frozen=True)
class _Known:
    """An evidence record the seeds already hold for a claim."""

    start: int | None
    end: int | None
    where: str


def _plan_claims(plan: Plan, raw: RawSeeds, vocab: Vocabulary, text: SourceText, issues: list[Issue]) -> None:
    draft, display = plan.draft, plan.draft_display
    known: dict[tuple[str, str, str], _Known] = {}
    in_target: dict[str, tuple[int, Claim]] = {}
    for located in raw.claims:
        ident = _claim_id(located.record.model_dump(), vocab)
        assert ident is not None  # a parsed claim has its subject, predicate and object
        for index, held_ev in enumerate(located.record.evidence):
            where = f"{located.display}:{located.doc.line_of((*located.path, 'evidence', index))}"
            known.setdefault(
                (ident, held_ev.source, held_ev.quote), _Known(held_ev.start, held_ev.end, where)
            )
        if plan.target_doc is not None and located.doc.path == plan.target:
            claim_index = located.path[1]
            assert isinstance(claim_index, int)
            in_target[ident] = (claim_index, located.record)
    seen_in_draft: dict[tuple[str, str, str], int | None] = {}
    for c_index, claim in enumerate(section(draft.data, "claims")):
        ident = _claim_id(claim, vocab)
        evidence = claim.get("evidence") or []
        kept: list[tuple[int, Block]] = []
        for e_index, given in enumerate(evidence):
            at: PathKey = ("claims", c_index, "evidence", e_index)
            ev = _with_offsets(given, text, draft, display, at, issues)
            if ev is None or _placeholder(ev, draft, display, at, issues):
                continue
            quote = ev.get("quote")
            key = (ident or "", str(ev.get("source")), str(quote))
            if ident is not None and isinstance(quote, str):
                if key in seen_in_draft:
                    issues.append(
                        Issue(
                            display,
                            draft.line_of((*at, "quote")),
                            dotted((*at, "quote")),
                            f"the same quote is given for claim {ident!r} at line {seen_in_draft[key]} "
                            "of the draft: keep one evidence block",
                        )
                    )
                    continue
                seen_in_draft[key] = draft.line_of((*at, "quote"))
                held = known.get(key)
                if held is not None:
                    if (held.start, held.end) == (ev.get("start"), ev.get("end")):
                        continue  # already in the seeds: accepting again adds nothing
                    issues.append(
                        Issue(
                            display,
                            draft.line_of((*at, "quote")),
                            dotted((*at, "quote")),
                            f"this quote is already evidence for claim {ident!r} at {held.where} "
                            f"(at [{held.start}, {held.end})): one quote is one evidence record",
                        )
                    )
                    continue
            kept.append((e_index, ev))
        if evidence and not kept:
            continue  # every quote is already there
        existing = in_target.get(ident) if ident is not None else None
        if existing is None:
            block = _ordered(claim, CLAIM_HEAD)
            if ident is not None and "id" not in block:
                block = {"id": ident, **block}
            if evidence:
                block["evidence"] = [e for _, e in kept]
            plan.kept_evidence[len(plan.claims)] = [i for i, _ in kept]
            plan.claims.append((c_index, block))
            continue
        target_index, record = existing
        note = claim.get("note")
        if note is not None and record.note is not None and note != record.note:
            issues.append(
                Issue(
                    display,
                    draft.line_of(("claims", c_index, "note")),
                    f"claims[{c_index}].note",
                    f"claim {ident!r} already has another note in {_display(plan)}: one claim has "
                    "one note (delete this one, or edit the seed file)",
                )
            )
            continue
        if isinstance(note, str) and record.note is None:
            plan.notes[target_index] = (c_index, note)
        plan.evidence.setdefault(target_index, []).extend(
            (("claims", c_index, "evidence", e_index), ev) for e_index, ev in kept
        )


# A draft marks what the curator has yet to write (a translation the rules cannot make) with a
# leading TODO; such a placeholder must not reach the seeds.
PLACEHOLDER = re.compile(r"^\s*TODO\b", re.IGNORECASE)
# What `suggest --write` puts in each translation of a draft (one such placeholder).
TRANSLATION_TODO = "TODO translate: "


def _placeholder(ev: Block, draft: YamlDocument, display: str, at: PathKey, issues: list[Issue]) -> bool:
    translation = ev.get("translation")
    if isinstance(translation, str) and PLACEHOLDER.match(translation):
        where: PathKey = (*at, "translation")
        issues.append(
            Issue(
                display,
                draft.line_of(where),
                dotted(where),
                "still a TODO placeholder: write the English translation of the quote",
            )
        )
        return True
    return False


def _claim_id(claim: Mapping[str, Any], vocab: Vocabulary) -> str | None:
    """The derived id, or None when the block lacks what it is derived from (validation says so)."""
    subject, predicate, obj = claim.get("subject"), claim.get("predicate"), claim.get("object")
    qualifiers = claim.get("qualifiers") or {}
    if not all(isinstance(v, str) for v in (subject, predicate, obj)) or not isinstance(qualifiers, dict):
        return None
    known = vocab.predicates.get(str(predicate))
    return claim_id(
        str(subject),
        str(predicate),
        str(obj),
        {str(k): str(v) for k, v in qualifiers.items()},
        symmetric=known.symmetric if known else False,
    )


def _with_offsets(
    ev: Block, text: SourceText, draft: YamlDocument, display: str, at: PathKey, issues: list[Issue]
) -> Block | None:
    """The evidence block with `start`/`end` after its quote: found as `evidence locate` finds
    them when missing; given ones are kept and checked by the validation after the merge."""
    if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
        return _ordered(ev, EVIDENCE_HEAD)
    placed = place_quote(ev, {text.source.id: text}, draft, display, at, issues)
    if placed is None:
        return None
    start, end = placed
    return _ordered({**ev, "start": start, "end": end}, EVIDENCE_HEAD)


def _ordered(block: Block, head: tuple[str, ...]) -> Block:
    return {**{k: block[k] for k in head if k in block}, **{k: v for k, v in block.items() if k not in head}}


def _pydantic_issues(exc: ValidationError, doc: YamlDocument, display: str, at: PathKey) -> list[Issue]:
    out = []
    for error in exc.errors():
        loc: PathKey = (*at, *error["loc"])
        message = "required field is missing" if error["type"] == "missing" else str(error["msg"])
        out.append(Issue(display, doc.line_of(loc), dotted(loc), message.removeprefix("Value error, ")))
    return out


def _where(located: Located[Any]) -> str:
    return f"{located.display}:{located.doc.line_of(located.path)}"


def _display(plan: Plan) -> str:
    return str(plan.target)
