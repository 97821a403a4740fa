"""`stancegraph accept DRAFT`: merge a reviewed draft into its source's seed file, all or nothing.

A draft is a YAML file in the seed source-file format (`sources:` optional, `entities:`, `claims:`
with `evidence:`), one source's proposals that the curator has pruned. Accepting it:

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
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from stancegraph.schema.errors import Issue, SeedValidationError
from stancegraph.schema.locate import place_quote
from stancegraph.schema.models import Claim, Entity, Source, claim_id
from stancegraph.schema.validate import (
    SECTIONS,
    Located,
    RawSeeds,
    SourceText,
    check_seeds,
    display_path,
    read_seeds,
)
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary
from stancegraph.schema.yamlfile import PathKey, YamlDocument, dotted, load_yaml, read_text

Block = dict[str, Any]
# The evidence keys written first, in the order seed files use; the rest keep the draft's order.
EVIDENCE_HEAD = ("source", "quote", "start", "end")
CLAIM_HEAD = ("id", "subject", "predicate", "object", "qualifiers", "note")
DEFAULT_INDENT = 2  # seed files indent list items by two spaces under their section


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
    _check_shape(draft, draft_display, issues)
    if issues:
        raise SeedValidationError(issues)
    if not seeds_dir.is_dir():
        raise SeedValidationError([Issue(str(seeds_dir), None, "", "no such seeds folder (--seeds)")])
    raw = read_seeds(seeds_dir)
    vocab = load_vocabulary()
    plan = _plan(draft, draft_display, raw, vocab, issues)
    if issues or plan is None:
        raise SeedValidationError(issues)
    merged = _merge_text(plan, issues)
    if issues or merged is None:
        raise SeedValidationError(issues)
    problems = _validate_merged(plan, merged, seeds_dir, vocab)
    if problems:
        raise SeedValidationError(problems)
    evidence = sum(len(block["evidence"]) for _, block in plan.claims) + sum(
        len(added) for added in plan.evidence.values()
    )
    result = Accepted(
        plan.source.id, plan.target, len(plan.claims), evidence, len(plan.entities), written=False
    )
    if write and not result.nothing_new:
        atomic_write(plan.target, merged.text)
        return Accepted(result.source, result.file, result.claims, result.evidence, result.entities, True)
    return result


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temp file in the same folder and a rename: a reader (or
    a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --- reading the draft -------------------------------------------------------------------------


def _check_shape(draft: YamlDocument, display: str, issues: list[Issue]) -> None:
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
    for index, claim in enumerate(_section(draft.data, "claims")):
        evidence = claim.get("evidence")
        if evidence is not None and not (
            isinstance(evidence, list) and all(isinstance(e, dict) for e in evidence)
        ):
            at: PathKey = ("claims", index, "evidence")
            issues.append(Issue(display, draft.line_of(at), dotted(at), "must be a list of evidence blocks"))


def _section(data: Any, name: str) -> list[Block]:
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


@dataclass
class _Plan:
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


def _plan(
    draft: YamlDocument, display: str, raw: RawSeeds, vocab: Vocabulary, issues: list[Issue]
) -> _Plan | None:
    found = _draft_source(draft, display, raw, issues)
    if found is None:
        return None
    source, located, draft_block = found
    target = located.doc.path if located is not None else raw.root / "sources" / f"{source.id}.yaml"
    target_doc = located.doc if located is not None else _existing(target, raw, issues)
    if issues:
        return None
    plan = _Plan(draft, display, source, target, target_doc, new_source=draft_block)
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
    for index, block in enumerate(_section(draft.data, "sources")):
        if isinstance(block.get("id"), str):
            named.append((block["id"], ("sources", index, "id")))
    for c_index, claim in enumerate(_section(draft.data, "claims")):
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
    for index, block in enumerate(_section(draft.data, "sources")):
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


def _plan_entities(plan: _Plan, raw: RawSeeds, issues: list[Issue]) -> None:
    known = {located.record.id: located for located in raw.entities}
    for index, block in enumerate(_section(plan.draft.data, "entities")):
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


def _plan_claims(
    plan: _Plan, raw: RawSeeds, vocab: Vocabulary, text: SourceText, issues: list[Issue]
) -> None:
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
    for c_index, claim in enumerate(_section(draft.data, "claims")):
        ident = _claim_id(claim, vocab)
        evidence = claim.get("evidence") or []
        kept: list[tuple[int, Block]] = []
        for e_index, given in enumerate(evidence):
            at: PathKey = ("claims", c_index, "evidence", e_index)
            ev = _with_offsets(given, text, draft, display, at, issues)
            if ev is None:
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


def _display(plan: _Plan) -> str:
    return str(plan.target)


# --- editing the target file as text ---------------------------------------------------------


class _Quoted(str):
    """A quote or translation: written double-quoted, as the seed files write them."""


class _SeedDumper(yaml.SafeDumper):
    """Block style with list items indented under their key (`evidence:\\n  - source: ...`),
    and leaf mappings in flow style (`speaker: {type: narration}`), like the seed files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_SeedDumper.add_representer(
    _Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')
)


def _quoted(value: Any) -> Any:
    """Mark quotes and translations for double quotes, everywhere in a block."""
    if isinstance(value, dict):
        return {
            k: _Quoted(v) if k in {"quote", "translation"} and isinstance(v, str) else _quoted(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    return value


def render(data: Any, indent: int = 0) -> list[str]:
    """YAML lines of `data` in the seed files' style, each indented by `indent` spaces."""
    text = yaml.dump(
        _quoted(data),
        Dumper=_SeedDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=4096,
    )
    return [" " * indent + line for line in text.splitlines()]


@dataclass
class _Merged:
    text: str
    data: dict[str, Any]
    # Where the draft's blocks land in the merged file: merged path -> draft path.
    origins: dict[PathKey, PathKey]
    # (0-based line index in the original file, lines inserted there): to map lines back.
    inserts: list[tuple[int, int]]


def _merge_text(plan: _Plan, issues: list[Issue]) -> _Merged | None:
    doc = plan.target_doc
    original = doc.path.read_text(encoding="utf-8").removeprefix("\ufeff") if doc is not None else ""
    lines = original.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline; written back at the end
    data: dict[str, Any] = copy.deepcopy(doc.data) if doc is not None else {}
    origins: dict[PathKey, PathKey] = {}
    edits: list[tuple[int, list[str]]] = []  # (0-based line index to insert before, lines)
    display = plan.draft_display
    target_display = str(plan.target)

    def fail(message: str, line: int | None = None) -> None:
        issues.append(Issue(target_display, line, "", message))

    def section_items(name: str, items: list[tuple[int, Block]]) -> None:
        if not items:
            return
        existing = data.get(name)
        if existing is not None and not isinstance(existing, list):
            fail(f"{name}: is not a list; cannot add to it", doc.line_of((name,)) if doc else None)
            return
        count = len(existing or [])
        for offset, (draft_index, _) in enumerate(items):
            origins[(name, count + offset)] = (name, draft_index)
        blocks = [block for _, block in items]
        data[name] = [*(existing or []), *blocks]
        if doc is None or name not in doc.data:
            at = _new_section_line(doc, lines, name)
            edits.append((at, [f"{name}:", *render(blocks, DEFAULT_INDENT)]))
            return
        if not existing:
            index = (doc.line_of((name,)) or 1) - 1
            if not re.fullmatch(rf"{name}:\s*(\[\s*\])?\s*(#.*)?", lines[index]):
                fail(
                    f"cannot add to the empty {name}: section on this line; write it as `{name}:`", index + 1
                )
                return
            lines[index] = f"{name}:"
            edits.append((index + 1, render(blocks, DEFAULT_INDENT)))
            return
        dash = _dash_column(doc, lines, (name, 0))
        if dash is None:
            fail(f"cannot add to {name}: its items are not one per line (- key: ...)", doc.line_of((name, 0)))
            return
        edits.append((_end_of(doc, lines, (name,)), render(blocks, dash)))

    if plan.new_source is not None:
        section_items("sources", [plan.new_source])
    section_items("entities", plan.entities)
    for target_index, added in sorted(plan.evidence.items()):
        assert doc is not None
        claim = data["claims"][target_index]
        at: PathKey = ("claims", target_index, "evidence")
        count = len(claim["evidence"])
        for offset, (draft_at, _) in enumerate(added):
            origins[(*at, count + offset)] = draft_at
        claim["evidence"] = [*claim["evidence"], *(ev for _, ev in added)]
        dash = _dash_column(doc, lines, (*at, 0))
        if dash is None or doc.line_of((*at, 0)) == doc.line_of(at):
            fail("cannot add evidence to this claim: write its evidence one item per line", doc.line_of(at))
            continue
        edits.append((_end_of(doc, lines, at), render([ev for _, ev in added], dash)))
    for target_index, (draft_index, note) in sorted(plan.notes.items()):
        assert doc is not None
        data["claims"][target_index] = {**data["claims"][target_index], "note": note}
        origins[("claims", target_index, "note")] = ("claims", draft_index, "note")
        key_at: PathKey = ("claims", target_index, "evidence")
        column = doc.columns.get(key_at)
        line = doc.line_of(key_at)
        if column is None or line is None:
            fail("cannot add the note to this claim", line)
            continue
        edits.append((line - 1, render({"note": note}, column)))
    section_items("claims", [(c, block) for c, block in plan.claims])
    for offset, (draft_index, _) in enumerate(plan.claims):
        kept = plan.kept_evidence.get(offset, [])
        claim_at = next(k for k, v in origins.items() if v == ("claims", draft_index) and len(k) == 2)
        for merged_e, draft_e in enumerate(kept):
            origins[(*claim_at, "evidence", merged_e)] = ("claims", draft_index, "evidence", draft_e)
    if issues:
        return None
    # Bottom-up, so earlier line numbers stay valid; at one line, in the order they were planned.
    inserts: list[tuple[int, int]] = []
    for _planned, new in sorted(enumerate(edits), key=lambda e: (-e[1][0], -e[0])):
        at_line, block_lines = new
        lines[at_line:at_line] = block_lines
        inserts.append((at_line, len(block_lines)))
    text = "\n".join(lines) + "\n"
    merged = _Merged(text, data, origins, inserts)
    _check_round_trip(plan, merged, display, issues)
    return None if issues else merged


def _new_section_line(doc: YamlDocument | None, lines: list[str], name: str) -> int:
    """Where a section the file lacks goes: before the first later section, else at the end."""
    if doc is None:
        return len(lines)
    later = SECTIONS[SECTIONS.index(name) + 1 :]
    starts = [doc.line_of((s,)) for s in later if s in doc.data]
    found = [line for line in starts if line is not None]
    return min(found) - 1 if found else len(lines)


def _dash_column(doc: YamlDocument, lines: list[str], item: PathKey) -> int | None:
    """The column of the `-` of a block-list item (the list's indentation)."""
    line = doc.line_of(item)
    if line is None or line > len(lines):
        return None
    match = re.match(r"^(\s*)-\s", lines[line - 1])
    return len(match.group(1)) if match else None


def _end_of(doc: YamlDocument, lines: list[str], path: PathKey) -> int:
    """The 0-based line index just after the last content line of the node at `path`: the line
    where the next node not inside it starts, less any blank or comment lines before that (they
    belong to what follows)."""
    start = doc.line_of(path) or 1
    following = [
        line for at, line in doc.lines.items() if line > start and at[: len(path)] != path and len(at) >= 1
    ]
    end = (min(following) - 1) if following else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _check_round_trip(plan: _Plan, merged: _Merged, display: str, issues: list[Issue]) -> None:
    """The merged text must read back as exactly the planned data: a layout the line edits
    cannot handle is refused here, rather than written."""
    parsed: list[Issue] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / plan.target.name
        path.write_text(merged.text, encoding="utf-8")
        doc = load_yaml(path, plan.target.name, parsed)
    if doc is None or doc.data != merged.data:
        issues.append(
            Issue(
                str(plan.target),
                None,
                "",
                "cannot merge into this file without rewriting its layout; merge the draft's "
                f"blocks from {display} by hand" + (f" ({parsed[0]})" if parsed else ""),
            )
        )


# --- validating the seeds as they would be -----------------------------------------------------


@contextmanager
def _mirror(seeds_dir: Path, replaced: Path, text: str) -> Iterator[Path]:
    """A folder that reads as the seeds with `replaced` holding `text`: every other file a
    symlink to the real one (nothing is copied), under the seeds folder's own name so problems
    name the same paths."""
    with tempfile.TemporaryDirectory(prefix="stancegraph-accept-") as folder:
        root = Path(folder) / seeds_dir.name
        root.mkdir()
        for path in seeds_dir.rglob("*"):
            if path.is_file() and path != replaced:
                link = root / path.relative_to(seeds_dir)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(path.resolve())
        merged = root / replaced.relative_to(seeds_dir)
        merged.parent.mkdir(parents=True, exist_ok=True)
        merged.write_text(text, encoding="utf-8")
        yield root


def _validate_merged(plan: _Plan, merged: _Merged, seeds_dir: Path, vocab: Vocabulary) -> list[Issue]:
    with _mirror(seeds_dir, plan.target, merged.text) as root:
        _, problems = check_seeds(root, vocab)
        target_display = display_path(root / plan.target.relative_to(seeds_dir), root)
    return [_to_draft(issue, plan, merged, target_display) for issue in problems]


_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _parse_field(text: str) -> PathKey:
    return tuple(int(index) if index else name for index, name in _PART.findall(text))


def _to_draft(issue: Issue, plan: _Plan, merged: _Merged, target_display: str) -> Issue:
    """A problem in what came from the draft, at the draft's file:line; one in the seeds as
    they are, at its line in the file before the merge."""
    if issue.file != target_display:
        return issue
    path = _parse_field(issue.field)
    for cut in range(len(path), 0, -1):
        origin = merged.origins.get(path[:cut])
        if origin is not None:
            draft_path = (*origin, *path[cut:])
            return Issue(
                plan.draft_display, plan.draft.line_of(draft_path), dotted(draft_path), issue.message
            )
    if issue.line is None:
        return issue
    # An original line at 0-based index i is at i + (the lines inserted at or before i).
    merged_index, shift = issue.line - 1, 0
    for at, count in sorted(merged.inserts):
        if at + shift + count <= merged_index:
            shift += count
    return Issue(issue.file, issue.line - shift, issue.field, issue.message)
