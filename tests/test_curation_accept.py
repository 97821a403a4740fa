"""`stancegraph accept DRAFT`: a reviewed draft merged into its source's seed file, all or
nothing, through the real CLI on a copy of the seeds with a small source of the test's own."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from stancegraph import cli
from stancegraph.schema.validate import validate_seeds
from tests.curation_source import DRAFT, SOURCE, TEXT, seed_file, seeds_with_test_source


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds folder of the test (a Path, in place of conftest's SeedSet): the shipped seeds plus
    the test source."""
    for name in [k for k in os.environ if k.startswith("STANCEGRAPH_")]:
        monkeypatch.delenv(name)
    return seeds_with_test_source(tmp_path / "seeds")


def write_draft(tmp_path: Path, text: str = DRAFT, name: str = "draft.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def accept(draft: Path, seeds: Path, *more: str, env: dict[str, str] | None = None) -> Result:
    args = ["accept", str(draft), *(["--seeds", str(seeds)] if seeds else []), *more]
    return CliRunner().invoke(cli.app, args, env=env)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error ")]


def test_accept_merges_claims_evidence_and_entities(seeds: Path, tmp_path: Path) -> None:
    result = accept(write_draft(tmp_path), seeds)
    assert result.exit_code == 0, result.output
    assert "1 claim(s), 2 evidence, 1 entity(ies)" in result.output

    merged = validate_seeds(seeds)  # valid after the merge
    claims = {c.id: c for c in merged.claims}
    opposes = claims["bob-sample.opposes.widget-corp"]
    assert [(e.quote, e.start, e.end) for e in opposes.evidence] == [
        ("Bob Sample opposes Widget Corp", TEXT.index("Bob Sample"), TEXT.index("Bob Sample") + 30)
    ]
    supports = claims["alice-example.supports.widget-corp"]
    assert sorted(e.quote for e in supports.evidence) == [
        "Alice Example said on Monday",
        "she backs Widget Corp",
    ]
    assert "bob-sample" in {e.id for e in merged.entities}

    written = seed_file(seeds).read_text(encoding="utf-8")
    assert "# A comment the curator wrote: accept must keep it." in written
    # New entities go into the file's entities section, before its claims.
    assert written.index("id: bob-sample") < written.index("claims:")
    # Evidence for the claim already there joins its block: the claim is written once.
    assert written.count("id: alice-example.supports.widget-corp") == 1
    # The draft's suggestion comments are not carried into the seeds.
    assert "confidence" not in written


def test_accepting_the_same_draft_again_adds_nothing(seeds: Path, tmp_path: Path) -> None:
    draft = write_draft(tmp_path)
    assert accept(draft, seeds).exit_code == 0
    before = snapshot(seeds)
    again = accept(draft, seeds)
    assert again.exit_code == 0, again.output
    assert "nothing new" in again.output
    assert snapshot(seeds) == before


@pytest.mark.parametrize(
    ("old", "new", "slack"),
    [
        pytest.param(
            "object: widget-corp\n    evidence",
            "object: no-such-entity\n    evidence",
            0,
            id="unknown-entity",
        ),
        pytest.param(
            '"Alice Example said on Monday"', '"Alice Example said on Friday"', 0, id="quote-not-in-text"
        ),
        pytest.param(
            "speaker: {type: narration}", "speaker: {type: person, entity: carol}", 0, id="unknown-speaker"
        ),
        pytest.param(
            "certainty: unconfirmed",
            "translation: 'TODO translate: Bob Sample opposes'\n        certainty: unconfirmed",
            0,
            id="translation-placeholder",
        ),
        # YAML notices an unclosed mapping where it next finds a key: a line or two further.
        pytest.param("names: {en: Bob Sample}", "names: {en: Bob Sample", 2, id="yaml-syntax"),
    ],
)
def test_a_bad_draft_is_one_error_at_its_line_and_changes_no_file(
    seeds: Path, tmp_path: Path, old: str, new: str, slack: int
) -> None:
    text = DRAFT.replace(old, new, 1)
    assert text != DRAFT
    draft = write_draft(tmp_path, text)
    before = snapshot(seeds)
    result = accept(draft, seeds)
    assert result.exit_code == 1
    found = errors(result)
    assert len(found) == 1, result.output
    assert found[0].startswith(f"error {draft}:"), found[0]
    reported = int(found[0].removeprefix(f"error {draft}:").split(":", 1)[0])
    line = line_of(text, new.splitlines()[0])
    assert line <= reported <= line + slack, found[0]
    assert snapshot(seeds) == before


def test_an_entity_already_in_the_seeds_must_be_identical(seeds: Path, tmp_path: Path) -> None:
    same = DRAFT.replace(
        "entities:\n", "entities:\n  - id: widget-corp\n    kind: company\n    names: {en: Widget Corp}\n", 1
    )
    assert accept(write_draft(tmp_path, same), seeds).exit_code == 0

    other = DRAFT.replace(
        "entities:\n", "entities:\n  - id: alice-example\n    kind: person\n    names: {en: Alice E.}\n", 1
    )
    before = snapshot(seeds)
    result = accept(write_draft(tmp_path, other, "other.yaml"), seeds)
    assert result.exit_code == 1
    (only,) = errors(result)
    assert f"other.yaml:{line_of(other, 'id: alice-example')}: entities[0].id" in only
    assert f"{SOURCE}.yaml" in only  # where the seeds define it
    assert snapshot(seeds) == before


def test_a_draft_of_another_source_than_its_evidence_is_refused(seeds: Path, tmp_path: Path) -> None:
    known = next(p.stem for p in sorted((seeds / "sources").glob("*.yaml")) if p.stem != SOURCE)
    text = DRAFT.replace(
        f'source: {SOURCE}\n        quote: "Alice', f'source: {known}\n        quote: "Alice'
    )
    result = accept(write_draft(tmp_path, text), seeds)
    assert result.exit_code == 1
    (only,) = errors(result)
    assert f":{line_of(text, f'source: {known}')}:" in only and "one source" in only


def test_check_reports_the_merge_and_writes_nothing(seeds: Path, tmp_path: Path) -> None:
    before = snapshot(seeds)
    result = accept(write_draft(tmp_path), seeds, "--check")
    assert result.exit_code == 0, result.output
    assert "would merge" in result.output
    assert snapshot(seeds) == before


def test_the_seeds_folder_comes_from_the_environment(seeds: Path, tmp_path: Path) -> None:
    draft = write_draft(tmp_path)
    result = CliRunner().invoke(cli.app, ["accept", str(draft)], env={"STANCEGRAPH_SEEDS": str(seeds)})
    assert result.exit_code == 0, result.output
    assert "bob-sample" in seed_file(seeds).read_text(encoding="utf-8")


def test_a_new_source_in_the_draft_gets_its_own_seed_file(seeds: Path, tmp_path: Path) -> None:
    ident = "test-wire-2026-03-02-widget-follow-up"
    text_path = seeds / "sources" / f"{ident}.en.txt"
    text_path.write_text("Widget Corp thanked Alice Example for her support.\n", encoding="utf-8")
    sha256 = hashlib.sha256(text_path.read_bytes()).hexdigest()
    draft = f"""\
sources:
  - id: {ident}
    title: "Widget follow-up (a test source)"
    outlet: test-wire
    published: 2026-03-02
    language: en
    path: sources/{ident}.en.txt
    sha256: {sha256}
claims:
  - subject: alice-example
    predicate: supports
    object: widget-corp
    evidence:
      - source: {ident}
        quote: "Widget Corp thanked Alice Example for her support"
        speaker: {{type: narration}}
        certainty: stated
"""
    result = accept(write_draft(tmp_path, draft), seeds)
    assert result.exit_code == 0, result.output
    assert (seeds / "sources" / f"{ident}.yaml").is_file()
    merged = validate_seeds(seeds)
    claim = next(c for c in merged.claims if c.id == "alice-example.supports.widget-corp")
    assert {e.source for e in claim.evidence} == {SOURCE, ident}


def test_a_draft_suggest_writes_is_accepted_as_written(seeds: Path, tmp_path: Path) -> None:
    """The two halves fit: `suggest --write` writes what `accept` takes (an English source, so
    there is no translation to write first), and what it merged is not merged twice."""
    draft = tmp_path / "suggested.yaml"
    written = CliRunner().invoke(cli.app, ["suggest", SOURCE, "--seeds", str(seeds), "--write", str(draft)])
    assert written.exit_code == 0, written.output
    result = accept(draft, seeds)
    assert result.exit_code == 0, result.output
    assert "merged into" in result.output
    validate_seeds(seeds)
    assert "nothing new" in accept(draft, seeds).output


def test_a_file_without_entities_gets_the_section_before_its_claims(seeds: Path, tmp_path: Path) -> None:
    """The source's entities moved to a file of their own: the new entity opens an `entities:`
    section in the source's file, in the seed files' order (sources, entities, claims)."""
    own = seed_file(seeds).read_text(encoding="utf-8")
    head, rest = own.split("entities:\n", 1)
    entities, claims = rest.split("claims:\n", 1)
    (seeds / "sources" / "test-entities.yaml").write_text("entities:\n" + entities, encoding="utf-8")
    seed_file(seeds).write_text(head + "\nclaims:\n" + claims, encoding="utf-8")
    validate_seeds(seeds)

    result = accept(write_draft(tmp_path), seeds)
    assert result.exit_code == 0, result.output
    written = seed_file(seeds).read_text(encoding="utf-8")
    assert (
        written.index("sha256:") < written.index("entities:\n  - id: bob-sample") < written.index("claims:")
    )
    assert "names: {en: Bob Sample}\n\nclaims:" in written  # set off by the blank line, as before
    validate_seeds(seeds)
