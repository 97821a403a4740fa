"""Whole-seed validation: every file, every record, every cross-reference, all errors at once."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from stancegraph.schema.errors import Issue, SeedValidationError
from stancegraph.schema.models import (
    Claim,
    Entity,
    Evidence,
    EvidenceRecord,
    SeedSet,
    Source,
    ValidatedClaim,
    claim_id,
    evidence_id,
)
from stancegraph.schema.summary import PENDING, summarize
from stancegraph.schema.validtime import attach_validity
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary
from stancegraph.schema.yamlfile import PathKey, YamlDocument, dotted, load_yaml, read_text

SECTIONS = ("sources", "entities", "claims")
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
R = TypeVar("R", Source, Entity)


@dataclass
class Located(Generic[T]):
    """A record with the file and path it was read from."""

    record: T
    doc: YamlDocument
    display: str
    path: PathKey

    def issue(self, field_path: PathKey, message: str) -> Issue:
        full = (*self.path, *field_path)
        return Issue(self.display, self.doc.line_of(full), dotted(full), message)


@dataclass
class RawSeeds:
    """Records parsed one by one, before cross-checks."""

    root: Path
    sources: list[Located[Source]] = field(default_factory=list)
    entities: list[Located[Entity]] = field(default_factory=list)
    claims: list[Located[Claim]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # Ids of blocks that failed to parse, by section: their own errors are reported, and records
    # that refer to them are not reported again ("no source with id ...") for each reference.
    invalid: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in SECTIONS})


def seed_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def read_seeds(root: Path) -> RawSeeds:
    """Parse every seed file under `root` into records, collecting per-record issues."""
    raw = RawSeeds(root=root if root.is_dir() else root.parent)
    if not root.exists():
        raw.issues.append(Issue(str(root), None, "", "no such file or folder"))
        return raw
    files = seed_files(root)
    if not files:
        raw.issues.append(Issue(str(root), None, "", "no seed files (*.yaml) found"))
    for path in files:
        display = display_path(path, raw.root)
        doc = load_yaml(path, display, raw.issues)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            raw.issues.append(
                Issue(
                    display, 1, "", "a seed file is a mapping with any of the keys sources, entities, claims"
                )
            )
            continue
        for key in doc.data:
            if key not in SECTIONS:
                raw.issues.append(
                    Issue(
                        display,
                        doc.line_of((key,)),
                        key,
                        f"unknown section; expected one of {', '.join(SECTIONS)}",
                    )
                )
        raw.sources += _parse_section(doc, display, "sources", Source, raw)
        raw.entities += _parse_section(doc, display, "entities", Entity, raw)
        raw.claims += _parse_section(doc, display, "claims", Claim, raw)
    return raw


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _parse_section(
    doc: YamlDocument, display: str, section: str, model: type[M], raw: RawSeeds
) -> list[Located[M]]:
    issues = raw.issues
    blocks = doc.data.get(section)
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        issues.append(Issue(display, doc.line_of((section,)), section, "must be a list of blocks"))
        return []
    out: list[Located[M]] = []
    for index, block in enumerate(blocks):
        path: PathKey = (section, index)
        try:
            record = model.model_validate(block)
        except ValidationError as exc:
            if isinstance(block, dict) and isinstance(block.get("id"), str):
                raw.invalid[section].add(block["id"])
            for error in exc.errors():
                loc: PathKey = (*path, *error["loc"])
                issues.append(Issue(display, doc.line_of(loc), dotted(loc), _message(error)))
            continue
        out.append(Located(record, doc, display, path))
    return out


def _message(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return message


def validate_seeds(root: Path, vocabulary: Vocabulary | None = None) -> SeedSet:
    """Read and fully check the seeds; raise SeedValidationError listing every problem."""
    seeds, issues = check_seeds(root, vocabulary)
    if issues:
        raise SeedValidationError(issues)
    assert seeds is not None
    return seeds


def check_seeds(root: Path, vocabulary: Vocabulary | None = None) -> tuple[SeedSet | None, list[Issue]]:
    vocab = vocabulary or load_vocabulary()
    raw = read_seeds(root)
    issues = raw.issues
    sources = _unique(raw.sources, "source", issues)
    records = {ident: located.record for ident, located in sources.items()}
    entities = _unique(raw.entities, "entity", issues)
    texts = _check_sources(raw, sources, entities, issues)
    for located in entities.values():
        if located.record.kind not in vocab.kinds:
            issues.append(
                located.issue(
                    ("kind",), f"unknown kind {located.record.kind!r}; known: {', '.join(vocab.kinds)}"
                )
            )
    checked = [
        (at, _check_claim(at, vocab, entities, sources, records, texts, raw.invalid, issues))
        for at in raw.claims
    ]
    merged: dict[str, tuple[Located[Claim], ValidatedClaim]] = {}
    for claim_at, claim in checked:
        if claim is None:
            continue
        first = merged.get(claim.id)
        if first is None:
            merged[claim.id] = (claim_at, claim)
        elif first[0].display == claim_at.display:
            issues.append(
                claim_at.issue(
                    (),
                    f"duplicate claim {claim.id!r}; first defined at {_where(first[0])} (merge "
                    "the evidence into one block, or add qualifiers)",
                )
            )
        else:
            joined = _merge(first, (claim_at, claim), records, issues)
            if joined is not None:
                merged[claim.id] = (first[0], joined)
    if issues:
        return None, issues
    return SeedSet(
        sources=[s.record for s in sources.values()],
        entities=[e.record for e in entities.values()],
        claims=attach_validity((claim for _, claim in merged.values()), records, vocab),
        texts={ident: found.text for ident, found in texts.items()},
    ), []


def _where(located: Located[Any]) -> str:
    return f"{located.display}:{located.doc.line_of(located.path)}"


def _merge(
    first: tuple[Located[Claim], ValidatedClaim],
    other: tuple[Located[Claim], ValidatedClaim],
    sources: Mapping[str, Source],
    issues: list[Issue],
) -> ValidatedClaim | None:
    """One claim written in two files (e.g. beside each of two sources): the evidence joins and
    the summary is computed again; two different notes are an error naming both places."""
    (first_at, a), (other_at, b) = first, other
    before = len(issues)
    if a.note is not None and b.note is not None and a.note != b.note:
        issues.append(
            other_at.issue(
                ("note",),
                f"claim {b.id!r} is also written at {_where(first_at)} with note {a.note!r}, here "
                f"{b.note!r}; one claim has one note",
            )
        )
    known = {ev.id: ev for ev in a.evidence}
    for index, ev in enumerate(b.evidence):
        if ev.id in known:
            issues.append(
                other_at.issue(
                    ("evidence", index),
                    f"the same evidence (source {ev.source!r}, the same quote) is already given for "
                    f"claim {b.id!r} at {_where(first_at)}",
                )
            )
    if len(issues) > before:
        return None
    evidence = a.evidence + b.evidence
    return a.model_copy(
        update={
            "note": a.note if a.note is not None else b.note,
            "evidence": evidence,
            **dict(summarize(evidence, sources)),
        }
    )


def _unique(items: list[Located[R]], what: str, issues: list[Issue]) -> dict[str, Located[R]]:
    out: dict[str, Located[R]] = {}
    for located in items:
        ident = located.record.id
        first = out.get(ident)
        if first is not None:
            issues.append(
                located.issue(
                    ("id",),
                    f"duplicate {what} id {ident!r}; first defined "
                    f"at {first.display}:{first.doc.line_of(first.path)}",
                )
            )
            continue
        out[ident] = located
    return out


def _check_sources(
    raw: RawSeeds,
    sources: dict[str, Located[Source]],
    entities: dict[str, Located[Entity]],
    issues: list[Issue],
) -> dict[str, SourceText]:
    texts: dict[str, SourceText] = {}
    for located in sources.values():
        source = located.record
        for field_name in ("outlet", "publisher"):
            ref = getattr(source, field_name)
            if ref is not None and ref not in entities and ref not in raw.invalid["entities"]:
                issues.append(located.issue((field_name,), f"no entity with id {ref!r}"))
        _check_based_on(located, sources, entities, raw, issues)
        path = raw.root / source.path
        if not path.is_file():
            issues.append(located.issue(("path",), f"source text {source.path!r} not found under {raw.root}"))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != source.sha256:
            issues.append(
                located.issue(
                    ("sha256",),
                    f"{source.path} has sha256 {digest}, not the "
                    "recorded one: the text changed, so offsets cannot be "
                    "trusted",
                )
            )
            continue
        text = read_text(path, source.path, issues)
        if text is not None:
            texts[source.id] = SourceText(source, text)
    return texts


def _check_based_on(
    located: Located[Source],
    sources: dict[str, Located[Source]],
    entities: dict[str, Located[Entity]],
    raw: RawSeeds,
    issues: list[Issue],
) -> None:
    """`based_on` names a source or an entity, and following it never comes back to the source."""
    ref = located.record.based_on
    if ref is None:
        return
    known = {*sources, *entities, *raw.invalid["sources"], *raw.invalid["entities"]}
    if ref not in known:
        issues.append(located.issue(("based_on",), f"no source or entity with id {ref!r}"))
        return
    chain = [located.record.id]
    while ref in sources:
        if ref in chain:
            loop = " -> ".join([*chain, ref])
            issues.append(located.issue(("based_on",), f"sources rest on each other in a loop: {loop}"))
            return
        chain.append(ref)
        ref = sources[ref].record.based_on
        if ref is None:
            return


@dataclass(frozen=True)
class SourceText:
    """A source's text and the spans of its page chrome, which no evidence may touch."""

    source: Source
    text: str

    @cached_property
    def chrome_spans(self) -> list[tuple[int, int]]:
        # Whitespace is compared loosely: captured pages mix in no-break spaces.
        chrome = {" ".join(c.split()) for c in self.source.chrome}
        spans: list[tuple[int, int]] = []
        offset = 0
        for line in self.text.split("\n"):
            if " ".join(line.split()) in chrome:
                spans.append((offset, offset + len(line)))
            offset += len(line) + 1
        return spans

    def in_chrome(self, start: int, end: int) -> bool:
        return any(start < c_end and c_start < end for c_start, c_end in self.chrome_spans)

    def occurrences(self, quote: str) -> list[int]:
        """Start offsets of `quote` outside page chrome."""
        found: list[int] = []
        at = self.text.find(quote)
        while at != -1:
            if not self.in_chrome(at, at + len(quote)):
                found.append(at)
            at = self.text.find(quote, at + 1)
        return found


def _check_claim(
    located: Located[Claim],
    vocab: Vocabulary,
    entities: dict[str, Located[Entity]],
    sources: dict[str, Located[Source]],
    records: Mapping[str, Source],
    texts: dict[str, SourceText],
    broken: dict[str, set[str]],
    issues: list[Issue],
) -> ValidatedClaim | None:
    claim = located.record
    before = len(issues)
    predicate = vocab.predicates.get(claim.predicate)
    if predicate is None:
        near = difflib.get_close_matches(claim.predicate, list(vocab.predicates), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else f"; known: {', '.join(vocab.predicates)}"
        issues.append(located.issue(("predicate",), f"unknown predicate {claim.predicate!r}{hint}"))
    for end, ref in (("subject", claim.subject), ("object", claim.object)):
        target = entities.get(ref)
        if target is None:
            if ref not in broken["entities"]:
                issues.append(located.issue((end,), f"no entity with id {ref!r}"))
        elif predicate is not None:
            allowed = predicate.subject if end == "subject" else predicate.object
            if target.record.kind not in allowed:
                issues.append(
                    located.issue(
                        (end,),
                        f"{predicate.id!r} does not take a "
                        f"{target.record.kind} ({ref!r}) as its {end}; "
                        f"allowed: {', '.join(allowed)}",
                    )
                )
    derived = claim_id(
        claim.subject,
        claim.predicate,
        claim.object,
        claim.qualifiers,
        symmetric=predicate.symmetric if predicate else False,
    )
    # With an unknown predicate the derived id is meaningless: the predicate's error says it all
    # (an id "mismatch" would invite renaming the id to the typo).
    if predicate is not None and claim.id is not None and claim.id != derived:
        issues.append(
            located.issue(
                ("id",),
                f"claim id {claim.id!r} does not match its "
                f"subject, predicate, object and qualifiers: expected "
                f"{derived!r}",
            )
        )
    evidence = list(_check_evidence(located, derived, entities, sources, texts, broken, issues))
    if len(issues) > before or predicate is None or not evidence:
        return None
    summary = summarize(evidence, records)
    return ValidatedClaim(
        id=derived,
        subject=claim.subject,
        predicate=claim.predicate,
        object=claim.object,
        polarity=predicate.polarity,
        relationship=predicate.neo4j,
        qualifiers=claim.qualifiers,
        note=claim.note,
        evidence=evidence,
        **dict(summary),
    )


def _check_evidence(
    located: Located[Claim],
    derived_id: str,
    entities: dict[str, Located[Entity]],
    sources: dict[str, Located[Source]],
    texts: dict[str, SourceText],
    broken: dict[str, set[str]],
    issues: list[Issue],
) -> Iterator[EvidenceRecord]:
    claim = located.record
    for index, ev in enumerate(claim.evidence):
        at: PathKey = ("evidence", index)
        speaker = ev.speaker.entity
        if speaker is not None and speaker not in entities and speaker not in broken["entities"]:
            issues.append(
                located.issue((*at, "speaker", "entity"), f"no entity with id {ev.speaker.entity!r}")
            )
        source = sources.get(ev.source)
        if source is None:
            if ev.source not in broken["sources"]:
                issues.append(located.issue((*at, "source"), f"no source with id {ev.source!r}"))
            continue
        _check_assertion(located, at, ev, source.record, issues)
        text = texts.get(ev.source)
        if text is None:
            continue  # the source's own problem is already reported
        assert ev.start is not None and ev.end is not None
        actual = text.text[ev.start : ev.end]
        if actual != ev.quote:
            hint = text.occurrences(ev.quote)
            where = (
                f"; the quote is at {hint[0]}-{hint[0] + len(ev.quote)}"
                if len(hint) == 1
                else "; the quote is not in the source"
                if not hint
                else f"; the quote occurs {len(hint)} times"
            )
            issues.append(
                located.issue(
                    (*at, "quote"),
                    f"quote is not the source text at "
                    f"[{ev.start}, {ev.end}) (found {actual!r}){where}; "
                    "`stancegraph evidence locate` repairs offsets",
                )
            )
            continue
        if text.in_chrome(ev.start, ev.end):
            issues.append(
                located.issue(
                    (*at, "quote"), "quote is page chrome (site name, caption, keywords), not reporting"
                )
            )
            continue
        yield EvidenceRecord(
            id=evidence_id(derived_id, ev.source, ev.quote),
            source=ev.source,
            quote=ev.quote,
            start=ev.start,
            end=ev.end,
            translation=ev.translation,
            speaker=ev.speaker,
            certainty=ev.certainty,
            date=ev.date,
            values=dict(sorted(ev.values.items())),  # by name, as every store gives them back
            status=ev.status,
        )


def _check_assertion(
    located: Located[Claim], at: PathKey, ev: Evidence, source: Source, issues: list[Issue]
) -> None:
    """What a source can say: nothing as done after it was published (a thing still to come is
    `planned` or `expected`), and a quote not in English comes with its translation."""
    if ev.translation is None and not _english(source.language):
        issues.append(
            located.issue(
                (*at, "translation"),
                f"source {source.id!r} is in {source.language!r}: the quote needs an English translation",
            )
        )
    days = ev.date.bounds() if ev.date is not None else None
    published = source.published_bounds()
    if days is None or published is None or days[0] <= published[1] or ev.status in PENDING:
        return
    assert ev.date is not None
    issues.append(
        located.issue(
            (*at, "date"),
            f"date {ev.date.value} is after its source {source.id!r} was published "
            f"({source.published_label()}); a thing still to come has status planned or expected",
        )
    )


def _english(language: str) -> bool:
    return language == "en" or language.startswith("en-")
