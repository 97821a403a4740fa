"""Curation: mentions of known entities, and `stancegraph suggest` (claims, evidence, new entities)."""

from __future__ import annotations

import pytest

from stancegraph.curation.mentions import MentionIndex
from stancegraph.schema.models import Entity, Names
from stancegraph.schema.validate import validate_seeds
from tests.conftest import SEEDS


def _entity(ident: str, kind: str, en: str, *aliases: str, zh: str | None = None) -> Entity:
    return Entity(id=ident, kind=kind, names=Names(en=en, zh=zh), aliases=list(aliases))


@pytest.fixture(scope="module")
def index() -> MentionIndex:
    return MentionIndex(
        [
            _entity("hegseth", "person", "Pete Hegseth", "Hegseth", "赫塞斯", zh="海格塞斯"),
            _entity(
                "dow", "agency", "US Department of War", "War Department", "DoD", "美国国防部", "五角大楼"
            ),
            _entity("trump", "person", "Donald Trump", "Trump", "特朗普"),
        ]
    )


def _found(index: MentionIndex, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity) for m in index.find(text)]


def test_mentions_inside_longer_names_map_back_to_verbatim_spans(index: MentionIndex) -> None:
    text = "Defence Secretary Pete  Hegseth told the U.S. War Department."
    assert _found(index, text) == [("Pete  Hegseth", "hegseth"), ("War Department", "dow")]


def test_longest_alias_wins_and_mentions_do_not_overlap(index: MentionIndex) -> None:
    mentions = index.find("Pete Hegseth")
    assert [(m.start, m.end, m.alias) for m in mentions] == [(0, 12, "Pete Hegseth")]


def test_latin_aliases_match_whole_words_only(index: MentionIndex) -> None:
    assert _found(index, "Dodge trucks, a Trumpet, and the DoD.") == [("DoD", "dow")]


def test_traditional_and_simplified_characters_are_one_name(index: MentionIndex) -> None:
    assert _found(index, "美國國防部長赫塞斯與五角大樓") == [
        ("美國國防部", "dow"),
        ("赫塞斯", "hegseth"),
        ("五角大樓", "dow"),
    ]
    assert _found(index, "美国国防部长赫塞斯") == [("美国国防部", "dow"), ("赫塞斯", "hegseth")]


def test_han_names_need_no_word_boundaries(index: MentionIndex) -> None:
    assert _found(index, "特朗普表示") == [("特朗普", "trump")]


def test_regional_spellings_are_seed_aliases() -> None:
    """The regional transliterations the Chinese coverage uses are aliases in the seeds (data)."""
    seeds = validate_seeds(SEEDS)
    index = MentionIndex(seeds.entities)
    text = "川普與赫格塞斯、五角大廈"
    assert len(index.find(text)) == 3
    assert index.entity_of("川普") == index.entity_of("Donald Trump")
    assert index.entity_of("赫格塞斯") == index.entity_of("Pete Hegseth")


def test_an_empty_index_finds_nothing() -> None:
    assert MentionIndex([]).find("Pete Hegseth") == []
