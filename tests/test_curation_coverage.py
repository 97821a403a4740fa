"""`stancegraph coverage SOURCE`: the sentences no claim cites, with their mentions; sentence
splitting in English and Chinese; through the real CLI on seeds with a source of the tests' own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from stancegraph import cli
from stancegraph.curation.text import sentences
from tests.curation_source import DRAFT, SOURCE, TEXT, seeds_with_test_source


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds folder of the test (a Path, in place of conftest's SeedSet)."""
    for name in [k for k in os.environ if k.startswith("STANCEGRAPH_")]:
        monkeypatch.delenv(name)
    return seeds_with_test_source(tmp_path / "seeds")


def coverage(seeds: Path, *more: str) -> Result:
    return CliRunner().invoke(cli.app, ["coverage", SOURCE, "--seeds", str(seeds), *more])


def uncited(seeds: Path) -> list[dict[str, object]]:
    result = coverage(seeds, "--json")
    assert result.exit_code == 0, result.output
    listed: list[dict[str, object]] = json.loads(result.output)["uncited"]
    return listed


def test_english_sentences_keep_abbreviations_and_exact_offsets() -> None:
    text = 'The U.S. Senate met. Mr. Smith said "no." Then he left!\nA new line starts here'
    spans = [(s.start, s.end) for s in sentences(text, "en")]
    assert [text[a:b] for a, b in spans] == [
        "The U.S. Senate met.",
        'Mr. Smith said "no."',
        "Then he left!",
        "A new line starts here",
    ]


def test_chinese_sentences_end_at_chinese_punctuation_in_either_script() -> None:
    text = "他说：「我们不会让步。」随后离开！\n記者問他是否會上訴？他沒有回答。"
    spans = [(s.start, s.end) for s in sentences(text, "zh-Hant")]
    pieces = [text[a:b] for a, b in spans]
    assert pieces[0].startswith("他说") and pieces[-1] == "他沒有回答。"
    assert "記者問他是否會上訴？" in pieces
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)  # trimmed, still exact offsets


def test_uncited_sentences_are_listed_with_their_mentions(seeds: Path) -> None:
    (only,) = uncited(seeds)  # the first paragraph is cited, the second is not
    start = TEXT.index("Bob Sample")
    assert only["text"] == TEXT[start:].strip()
    assert (only["start"], only["end"]) == (start, len(TEXT.rstrip()))
    mentions = only["mentions"]
    assert isinstance(mentions, list)
    at = TEXT.index("Widget Corp", start)
    assert {
        "start": at,
        "end": at + len("Widget Corp"),
        "entity": "widget-corp",
        "alias": "Widget Corp",
    } in mentions


def test_a_sentence_is_no_longer_listed_once_a_claim_cites_it(seeds: Path, tmp_path: Path) -> None:
    assert uncited(seeds)
    draft = tmp_path / "draft.yaml"
    draft.write_text(DRAFT, encoding="utf-8")
    accepted = CliRunner().invoke(cli.app, ["accept", str(draft), "--seeds", str(seeds)])
    assert accepted.exit_code == 0, accepted.output
    assert uncited(seeds) == []


def test_the_table_numbers_each_sentence_and_names_its_mentions(seeds: Path) -> None:
    result = coverage(seeds)
    assert result.exit_code == 0, result.output
    assert "1 of 2 sentence(s) no claim cites" in result.output
    assert "widget-corp" in result.output and "Bob Sample" in result.output


def test_an_unknown_source_is_one_error_with_what_it_may_have_meant(seeds: Path) -> None:
    result = CliRunner().invoke(cli.app, ["coverage", SOURCE[:-1], "--seeds", str(seeds)])
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("error ")]
    assert repr(SOURCE[:-1]) in line and SOURCE in line
