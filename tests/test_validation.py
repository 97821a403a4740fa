"""Seed validation: one test per class of error, each naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.schema.errors import Issue, SeedValidationError
from stancegraph.schema.locate import locate_evidence
from stancegraph.schema.validate import validate_seeds
from tests.conftest import SOURCE_ID

QUOTE = "此举遭到了 Anthropic 的拒绝"


def issues_of(root: Path) -> list[Issue]:
    with pytest.raises(SeedValidationError) as caught:
        validate_seeds(root)
    return caught.value.issues


def write_extra(root: Path, text: str) -> Path:
    (root / "extra.yaml").write_text(text, encoding="utf-8")
    return root


def issues_of_text(root: Path, text: str) -> list[Issue]:
    return issues_of(write_extra(root, text))


def only(issues: list[Issue]) -> Issue:
    assert len(issues) == 1, issues
    return issues[0]


def claim_block(
    source_text: str,
    *,
    subject: str = "openai",
    predicate: str = "opposes",
    obj: str = "anthropic",
    date: str = "2026-02",
    quote: str = QUOTE,
    start: int | None = None,
    extra: str = "",
) -> str:
    begin = source_text.index(quote) if start is None else start
    return f"""claims:
  - subject: {subject}
    predicate: {predicate}
    object: {obj}
{extra}    evidence:
      - source: {SOURCE_ID}
        quote: {quote}
        start: {begin}
        end: {begin + len(quote)}
        translation: a test translation
        speaker: {{type: narration}}
        certainty: stated
        date: {date}
"""


def test_shipped_seeds_pass(seeds_copy: Path) -> None:
    seeds = validate_seeds(seeds_copy)
    assert seeds.entities and seeds.claims


def test_malformed_yaml_names_line(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text("entities:\n  - id: x\n    names: {en: [unclosed\n")
    issue = only(issues_of(seeds_copy))
    assert issue.file == "seeds/extra.yaml"
    assert issue.line == 4
    assert "invalid YAML" in issue.message


def test_wrong_type_names_field(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text(
        "entities:\n  - id: newco\n    kind: company\n    names: {en: NewCo, zh: 新公司}\n"
        "    properties:\n      staff: {type: count, value: many}\n"
    )
    issue = only(issues_of(seeds_copy))
    assert (issue.file, issue.line, issue.field) == (
        "seeds/extra.yaml",
        6,
        "entities[0].properties.staff.count.value",
    )


def test_missing_required_field(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text("entities:\n  - id: newco\n    kind: company\n")
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field, issue.message) == (2, "entities[0].names", "required field is missing")


def test_unknown_field_is_reported(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text(
        "entities:\n  - id: newco\n    kind: company\n    names: {en: NewCo, zh: 新公司}\n    alias: [N]\n"
    )
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field, issue.message) == (5, "entities[0].alias", "unknown field")


def test_unknown_kind(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text(
        "entities:\n  - id: newco\n    kind: spaceship\n    names: {en: NewCo, zh: 新公司}\n"
    )
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field) == (3, "entities[0].kind")
    assert "unknown kind 'spaceship'" in issue.message


def test_unknown_predicate(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, predicate="adores"))
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field) == (3, "claims[0].predicate")
    assert "unknown predicate 'adores'" in issue.message


def test_a_predicate_typo_is_named_with_the_closest_predicate(seeds_copy: Path, source_text: str) -> None:
    """A typo in a claim that also writes its id: one error, the typo, not an id "mismatch"."""
    block = claim_block(source_text, predicate="suports", extra="    id: openai.supports.anthropic\n")
    issue = only(issues_of_text(seeds_copy, block))
    assert issue.field == "claims[0].predicate"
    assert issue.message == "unknown predicate 'suports'; did you mean 'supports'?"


def test_predicate_not_allowed_between_kinds(seeds_copy: Path, source_text: str) -> None:
    # `leads` takes a person as subject; a company cannot lead.
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, predicate="leads", obj="google"))
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field) == (2, "claims[0].subject")
    assert "'leads' does not take a company ('openai') as its subject" in issue.message


def test_dangling_reference(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, obj="nobody-at-all"))
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field, issue.message) == (
        4,
        "claims[0].object",
        "no entity with id 'nobody-at-all'",
    )


def test_duplicate_entity_id_across_files(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text(
        "entities:\n  - id: anthropic\n    kind: company\n    names: {en: Anthropic, zh: Anthropic}\n"
    )
    issues = issues_of(seeds_copy)
    issue = only(issues)
    assert issue.field == "entities[0].id"
    assert "duplicate entity id 'anthropic'; first defined at seeds/entities.yaml:" in issue.message


def test_duplicate_claim(seeds_copy: Path, source_text: str) -> None:
    block = claim_block(source_text, predicate="competes_with", subject="xai")
    second = (
        block.replace("claims:\n", "")
        .replace("subject: xai", "subject: openai")
        .replace("object: anthropic", "object: xai")
    )
    (seeds_copy / "extra.yaml").write_text(block.replace("object: anthropic", "object: openai") + second)
    issue = only(issues_of(seeds_copy))
    assert issue.line == 14
    assert "duplicate claim 'openai.competes_with.xai'" in issue.message


# The sentence before QUOTE in the seed article: a claim's second piece of evidence.
OTHER_QUOTE = "五角大楼要求 Anthropic 进一步提供对其 AI 系统的完全访问权限"


def _second_quote(source_text: str) -> str:
    assert OTHER_QUOTE in source_text
    return OTHER_QUOTE


def test_a_claim_written_in_two_files_is_one_claim(seeds_copy: Path, source_text: str) -> None:
    """Beside each of two sources, the same claim: one claim with the evidence of both blocks."""
    second = _second_quote(source_text)
    (seeds_copy / "a.yaml").write_text(claim_block(source_text, date="2026-02"))
    (seeds_copy / "b.yaml").write_text(
        claim_block(source_text, date="2026-02", quote=second, extra="    note: written beside b\n").replace(
            "certainty: stated", "certainty: attributed"
        )
    )
    claims = {c.id: c for c in validate_seeds(seeds_copy).claims}
    claim = claims["openai.opposes.anthropic"]
    assert [ev.quote for ev in claim.evidence] == [QUOTE, second]
    assert claim.note == "written beside b"
    assert claim.certainty == "stated"  # the strongest of the joined evidence
    assert claim.date.value == "2026-02"


def test_a_claim_in_two_files_must_agree_on_its_note(seeds_copy: Path, source_text: str) -> None:
    second = _second_quote(source_text)
    (seeds_copy / "a.yaml").write_text(claim_block(source_text, extra="    note: one note\n"))
    (seeds_copy / "b.yaml").write_text(
        claim_block(source_text, date="2026-01", quote=second, extra="    note: another note\n")
    )
    issue = only(issues_of(seeds_copy))  # the dates differ too, but each is its source's word
    assert (issue.file, issue.field) == ("seeds/b.yaml", "claims[0].note")
    assert "also written at seeds/a.yaml:2" in issue.message, issue


def test_sources_may_give_a_claim_different_dates(seeds_copy: Path, source_text: str) -> None:
    second = _second_quote(source_text)
    (seeds_copy / "a.yaml").write_text(claim_block(source_text, date="2026-02-26"))
    (seeds_copy / "b.yaml").write_text(claim_block(source_text, date="2026-02", quote=second))
    claim = {c.id: c for c in validate_seeds(seeds_copy).claims}["openai.opposes.anthropic"]
    assert sorted(str(ev.date and ev.date.value) for ev in claim.evidence) == ["2026-02", "2026-02-26"]
    assert claim.date.value == "2026-02-26"  # the narrowest date the others agree with


def test_the_same_evidence_in_two_files_is_an_error(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "a.yaml").write_text(claim_block(source_text))
    (seeds_copy / "b.yaml").write_text(claim_block(source_text))
    issue = only(issues_of(seeds_copy))
    assert (issue.file, issue.field) == ("seeds/b.yaml", "claims[0].evidence[0]")
    assert "already given" in issue.message and "seeds/a.yaml:2" in issue.message


def test_claim_id_must_match_its_triple(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "extra.yaml").write_text(
        claim_block(source_text, extra="    id: openai.supports.anthropic\n")
    )
    issue = only(issues_of(seeds_copy))
    assert issue.field == "claims[0].id"
    assert "expected 'openai.opposes.anthropic'" in issue.message


def test_quote_not_at_offsets(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, start=source_text.index(QUOTE) + 1))
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field) == (7, "claims[0].evidence[0].quote")
    assert f"the quote is at {source_text.index(QUOTE)}-" in issue.message


def test_quote_absent_from_source(seeds_copy: Path, source_text: str) -> None:
    block = claim_block(source_text).replace(QUOTE, "这句话不在原文里")
    (seeds_copy / "extra.yaml").write_text(block)
    issues = issues_of(seeds_copy)
    assert any("end - start" in i.message or "not in the source" in i.message for i in issues), issues


def test_quote_in_page_chrome(seeds_copy: Path, source_text: str) -> None:
    chrome = "AITNT-国内领先的一站式人工智能新闻资讯网站"
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, quote=chrome))
    issue = only(issues_of(seeds_copy))
    assert "page chrome" in issue.message


def test_source_text_changed(seeds_copy: Path) -> None:
    text_file = seeds_copy / "sources" / f"{SOURCE_ID}.zh.txt"
    text_file.write_text(text_file.read_text(encoding="utf-8") + "x", encoding="utf-8")
    issues = issues_of(seeds_copy)
    assert issues[0].file == f"seeds/sources/{SOURCE_ID}.yaml"
    assert issues[0].field == "sources[0].sha256"
    assert all(i.field == "sources[0].sha256" for i in issues)  # no cascade of quote errors


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "does not exist"),
        ("2026-13", "does not exist"),
        ("Feb 2026", "is not YYYY-MM-DD"),
        ("2027-01-01", "after its source"),
    ],
)
def test_bad_dates(seeds_copy: Path, source_text: str, value: str, message: str) -> None:
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, date=f'"{value}"'))
    issue = only(issues_of(seeds_copy))
    assert issue.line == 13
    assert issue.field == "claims[0].evidence[0].date"
    assert message in issue.message


def test_a_thing_still_to_come_may_be_dated_after_its_source(seeds_copy: Path, source_text: str) -> None:
    late = claim_block(source_text, date="2027-01-01")
    assert "after its source" in only(issues_of_text(seeds_copy, late)).message
    expected = late.replace("certainty: stated", "certainty: stated\n        status: expected")
    claims = {c.id: c for c in validate_seeds(write_extra(seeds_copy, expected)).claims}
    claim = claims["openai.opposes.anthropic"]
    assert (claim.status, claim.date.value) == ("expected", "2027-01-01")


def test_a_quote_not_in_english_needs_its_translation(seeds_copy: Path, source_text: str) -> None:
    block = claim_block(source_text).replace("        translation: a test translation\n", "")
    issue = only(issues_of_text(seeds_copy, block))
    assert (issue.line, issue.field) == (6, "claims[0].evidence[0].translation")  # its block
    assert "'zh'" in issue.message and "English translation" in issue.message


def test_a_claim_date_is_moved_to_its_evidence(seeds_copy: Path, source_text: str) -> None:
    block = claim_block(source_text).replace(
        "    object: anthropic\n", "    object: anthropic\n    date: 2026-02\n"
    )
    issue = only(issues_of_text(seeds_copy, block))
    assert (issue.line, issue.field) == (5, "claims[0].date")
    assert "evidence[].date" in issue.message


def test_claim_about_itself(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, obj="openai"))
    issue = only(issues_of(seeds_copy))
    assert issue.message == "subject and object are both 'openai'"


def test_invisible_character_in_id(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text(
        'entities:\n  - id: "new\u200bco"\n    kind: company\n    names: {en: NewCo, zh: 新公司}\n'
    )
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field) == (2, "entities[0].id")


def test_confusable_character_in_id(seeds_copy: Path) -> None:
    # Cyrillic "а" looks like Latin "a": ids are ASCII slugs, so it cannot pass.
    (seeds_copy / "extra.yaml").write_text(
        'entities:\n  - id: "\u0430nthropic"\n    kind: company\n    names: {en: A, zh: A}\n'
    )
    issue = only(issues_of(seeds_copy))
    assert issue.field == "entities[0].id"


def test_non_utf8_file(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_bytes("entities: []\n# é\n".encode("latin-1"))
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.message[:9]) == (2, "not UTF-8")


def test_bom_is_accepted(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_bytes(
        "\ufeffentities:\n  - id: newco\n    kind: company\n    names: {en: NewCo, zh: 新公司}\n".encode()
    )
    seeds = validate_seeds(seeds_copy)
    assert "newco" in {e.id for e in seeds.entities}


def test_empty_file(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text("\n  \n")
    issue = only(issues_of(seeds_copy))
    assert (issue.file, issue.message) == ("seeds/extra.yaml", "file is empty")


def test_yaml_alias_bomb_is_refused(seeds_copy: Path) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    (seeds_copy / "extra.yaml").write_text(bomb)
    issue = only(issues_of(seeds_copy))
    assert issue.line == 2
    assert "aliases" in issue.message


def test_deep_nesting_is_refused(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text("entities: " + "[" * 40 + "]" * 40 + "\n")
    issues = issues_of(seeds_copy)
    assert any("nested deeper than" in i.message for i in issues)


def test_duplicate_key_in_a_block(seeds_copy: Path) -> None:
    (seeds_copy / "extra.yaml").write_text(
        "entities:\n  - id: newco\n    kind: company\n    kind: person\n    names: {en: N, zh: N}\n"
    )
    issue = only(issues_of(seeds_copy))
    assert (issue.line, issue.field) == (4, "entities[0].kind")


def test_all_errors_reported_at_once(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "a.yaml").write_text(claim_block(source_text, obj="ghost"))
    (seeds_copy / "b.yaml").write_text(
        "entities:\n  - id: robo\n    kind: robot\n    names: {en: X, zh: X}\n"
    )
    (seeds_copy / "c.yaml").write_text("")
    files = {i.file for i in issues_of(seeds_copy)}
    assert files == {"seeds/a.yaml", "seeds/b.yaml", "seeds/c.yaml"}


@pytest.mark.parametrize("translated", [True, False], ids=["translated", "no translation line"])
def test_locate_fills_missing_offsets(seeds_copy: Path, source_text: str, translated: bool) -> None:
    block = claim_block(source_text)
    lines = [line for line in block.split("\n") if "start:" not in line and "end:" not in line]
    if not translated:  # an English source's evidence has none: offsets go in after the quote
        lines = [line for line in lines if "translation:" not in line]
    (seeds_copy / "extra.yaml").write_text("\n".join(lines))
    assert any("start and end are required" in i.message for i in issues_of(seeds_copy))
    results = locate_evidence(seeds_copy)
    filled = [r for r in results if r.outcome == "filled"]
    assert len(filled) == 1 and filled[0].file == "seeds/extra.yaml"
    assert filled[0].start == source_text.index(QUOTE)
    written = (seeds_copy / "extra.yaml").read_text().split("\n")
    assert written[written.index(f"        quote: {QUOTE}") + 1] == f"        start: {filled[0].start}"
    if translated:
        validate_seeds(seeds_copy)
    else:  # the offsets are in; the Chinese quote still wants its translation
        assert only(issues_of(seeds_copy)).field == "claims[0].evidence[0].translation"


def test_locate_repairs_wrong_offsets(seeds_copy: Path, source_text: str) -> None:
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, start=3))
    assert [r.outcome for r in locate_evidence(seeds_copy) if r.file == "seeds/extra.yaml"] == ["fixed"]
    validate_seeds(seeds_copy)
    assert [r.outcome for r in locate_evidence(seeds_copy) if r.file == "seeds/extra.yaml"] == ["ok"]


def test_locate_fails_on_absent_and_ambiguous_quotes(seeds_copy: Path, source_text: str) -> None:
    absent = claim_block(source_text).replace(QUOTE, "原文里没有这句话")
    ambiguous = claim_block(source_text, quote="Anthropic", start=0).replace("claims:\n", "")
    (seeds_copy / "extra.yaml").write_text(absent + ambiguous)
    with pytest.raises(SeedValidationError) as caught:
        locate_evidence(seeds_copy)
    messages = [(i.line, i.message) for i in caught.value.issues]
    assert messages[0][0] == 7 and "quote not found" in messages[0][1]
    assert messages[1][0] == 19 and "occurs" in messages[1][1]
    assert "start: 0" in (seeds_copy / "extra.yaml").read_text()  # nothing was written


def _published(seeds_copy: Path, value: str) -> None:
    sources = seeds_copy / "sources" / f"{SOURCE_ID}.yaml"
    text = sources.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.strip().startswith("published:"))
    sources.write_text(text.replace(line, f"    published: {value}"), encoding="utf-8")


@pytest.mark.parametrize(
    ("published", "claim_date", "ok"),
    [
        ("unknown", "2027-01-01", True),  # nothing to compare with: never a made-up date
        ('"2026-02"', "2026-02", True),
        ('"2026-02"', "2026-03-01", False),
        ("2026-02-28", "2026-02-28", True),
        ("2026-02-28", "2026-03", False),
        ('"2026"', "2026-12-31", True),
        ("2026-02-28T23:30:00-05:00", "2026-02-28", True),  # the day where it was published
    ],
)
def test_published_has_a_precision(
    seeds_copy: Path, source_text: str, published: str, claim_date: str, ok: bool
) -> None:
    _published(seeds_copy, published)
    (seeds_copy / "extra.yaml").write_text(claim_block(source_text, date=f'"{claim_date}"'))
    if ok:
        sources = {s.id: s for s in validate_seeds(seeds_copy).sources}
        assert sources[SOURCE_ID].published == published.strip('"')
    else:
        assert "after its source" in only(issues_of(seeds_copy)).message


@pytest.mark.parametrize(
    ("published", "message"),
    [
        ("2026-02-28T15:30:00", "needs its UTC offset"),
        ('"Feb 2026"', "is not YYYY-MM-DD"),
        ('"2026-02-30"', "does not exist"),
        ('"2026-02-28T25:00:00+08:00"', "is not an ISO 8601 moment"),
    ],
)
def test_bad_published(seeds_copy: Path, published: str, message: str) -> None:
    _published(seeds_copy, published)
    issue = only(issues_of(seeds_copy))
    assert (issue.file, issue.field) == (f"seeds/sources/{SOURCE_ID}.yaml", "sources[0].published")
    assert message in issue.message, issue.message


def test_a_broken_block_is_reported_alone(seeds_copy: Path) -> None:
    """An entity block that does not parse is one error; the claims that name it are not each
    reported again as naming no entity."""
    entities = seeds_copy / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    block = "  - id: anthropic\n    kind: company\n"
    assert block in text
    entities.write_text(text.replace(block, block + "    colour: red\n"))
    issue = only(issues_of(seeds_copy))
    assert issue.file == "seeds/entities.yaml"
    assert issue.field.startswith("entities[") and issue.field.endswith("].colour"), issue.field
    assert issue.message == "unknown field"


def _source_field(seeds_copy: Path, line: str) -> None:
    """Add `line` to the shipped source's block (after its `published:`)."""
    sources = seeds_copy / "sources" / f"{SOURCE_ID}.yaml"
    text = sources.read_text(encoding="utf-8")
    published = next(x for x in text.splitlines() if x.strip().startswith("published:"))
    sources.write_text(text.replace(published, f"{published}\n    {line}"), encoding="utf-8")


def test_a_source_says_what_it_rests_on(seeds_copy: Path) -> None:
    _source_field(seeds_copy, "based_on: jiqizhixin")  # an outlet
    _source_field(seeds_copy, "capture: excerpts")
    _source_field(seeds_copy, "note: a rewrite")
    source = {s.id: s for s in validate_seeds(seeds_copy).sources}[SOURCE_ID]
    assert (source.based_on, source.capture, source.note) == ("jiqizhixin", "excerpts", "a rewrite")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("based_on: no-such-thing", "no source or entity with id 'no-such-thing'"),
        (f"based_on: {SOURCE_ID}", "in a loop"),
        ("capture: some", "Input should be 'full' or 'excerpts'"),
    ],
)
def test_bad_source_fields(seeds_copy: Path, line: str, message: str) -> None:
    _source_field(seeds_copy, line)
    issue = only(issues_of(seeds_copy))
    assert issue.file == f"seeds/sources/{SOURCE_ID}.yaml" and issue.field.startswith("sources[0].")
    assert message in issue.message, issue.message


def test_aliases_by_language(seeds_copy: Path) -> None:
    entity = (
        "entities:\n  - id: newco\n    kind: company\n    names: {en: NewCo}\n"
        "    aliases:\n      en: [New Co, NC]\n      zh-Hant: [新公司]\n"
    )
    made = {e.id: e for e in validate_seeds(write_extra(seeds_copy, entity)).entities}["newco"]
    assert made.aliases == ["New Co", "NC", "新公司"]  # every name, for search
    assert made.aliases_by_language == {"en": ["New Co", "NC"], "zh-Hant": ["新公司"]}
    # Languages in tag order whatever the file's order, as both stores answer them.
    swapped = entity.replace(
        "      en: [New Co, NC]\n      zh-Hant: [新公司]\n",
        "      zh-Hant: [新公司]\n      en: [New Co, NC]\n",
    )
    assert swapped != entity
    made = {e.id: e for e in validate_seeds(write_extra(seeds_copy, swapped)).entities}["newco"]
    assert list(made.aliases_by_language) == ["en", "zh-Hant"]
    assert made.names.zh is None  # other names are optional; none is invented
    bad_tag = entity.replace("zh-Hant:", "Chinese:")
    issue = only(issues_of_text(seeds_copy, bad_tag))
    assert (issue.line, issue.field) == (2, "entities[0]")
    assert "aliases: 'Chinese' is not a language tag" in issue.message
