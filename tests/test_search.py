"""Name search: the match tiers' definitions, and the in-memory index against a brute-force ranking.

The index may skip work (later tiers, longer keys, keys no piece of the query is in) only when
the skipped names cannot change the page; these tests compare its pages with `rank` over every
name on a generated graph.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from stancegraph.graph.results import EntityRef
from stancegraph.graph.search import (
    Candidate,
    NameIndex,
    fuzzy_edits,
    normalize,
    pieces,
    rank,
    score,
    words_of,
)
from stancegraph.graph.synthetic import iter_entities
from stancegraph.schema.models import Entity
from stancegraph.schema.vocabulary import load_vocabulary


def test_tiers_and_edit_budget() -> None:
    assert score("anthropic", "anthropic") == ("exact", 100.0)
    assert score("anth", "anthropic") == ("prefix", round(100 * 4 / 9, 3))
    assert score("thro", "anthropic") == ("substring", round(100 * 4 / 9, 3))
    assert score("antrhopic", "anthropic") == ("fuzzy", round(100 * (1 - 2 / 9), 3))  # a swap is 2 edits
    assert score("antrhopc", "anthropic") is None  # 3 edits
    assert score("opnai", "openai") == ("fuzzy", round(100 * (1 - 1 / 6), 3))  # 5 characters: 1 edit
    assert score("opnaj", "openai") is None
    assert score("xa", "xi") is None  # under 3 characters: no fuzzy matches
    assert [fuzzy_edits("x" * n) for n in range(8)] == [0, 0, 0, 1, 1, 1, 2, 2]
    # A Han character is a syllable: dropping one of three makes another name (阿莫迪 / 莫迪).
    assert [fuzzy_edits("莫" * n) for n in range(8)] == [0, 0, 0, 0, 1, 1, 1, 1]
    assert score("阿莫迪", "莫迪") is None
    words = words_of("Defense  Department")
    assert words == ("department", "defense")
    assert score("defensedepartment", "departmentofdefense", words) == ("words", round(100 * 17 / 19, 3))
    assert score("defensedepartment", "departmentofwar", words) is None
    assert words_of("Pentagon") == () and words_of("war war") == ()


@given(st.text(min_size=3, max_size=30), st.data())
def test_a_key_within_the_budget_holds_a_piece_of_the_query(query: str, data: st.DataObject) -> None:
    edits = fuzzy_edits(query)
    key = query
    for _ in range(data.draw(st.integers(0, edits))):
        i = data.draw(st.integers(0, len(key)))
        op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        char = data.draw(st.characters())
        if op == "insert":
            key = key[:i] + char + key[i:]
        elif key and i < len(key):
            key = key[:i] + (char if op == "replace" else "") + key[i + 1 :]
    assert Levenshtein.distance(query, key) <= edits
    parts = pieces(query, edits)
    assert "".join(parts) == query and len(parts) == edits + 1
    assert any(part in key for part in parts)


@pytest.fixture(scope="module")
def people() -> list[Entity]:
    entities = list(iter_entities(1500, 7, load_vocabulary()))
    # Crowds of near-identical names, short keys and one-letter names: the index's edge cases.
    extra = [f"Nexora {chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(80)] + ["Ox", "Oxa", "O", "谷歌"]
    for i, name in enumerate(extra):
        entities.append(Entity(id=f"company-x{i}", kind="company", names={"en": name, "zh": name}))
    return entities


def _queries(people: list[Entity], rng: random.Random) -> list[str]:
    """Query texts (words apart): keys, their typos and pieces, and names' words shuffled."""
    out = ["nexoraqq", "nexorqq", "o", "ox", "oxb", "谷", "歌", "谷歌x", "zzzz", "1", "12", "a nexora", "x o"]
    for entity in rng.sample(people, 60):
        assert entity.names.en is not None and entity.names.zh is not None  # people() gives both
        words = entity.names.en.split()
        out += [" ".join(reversed(words)), " ".join(w[:3] for w in words[::-1]), f"{words[-1]} zz"]
        key = normalize(entity.names.en)
        i = rng.randrange(len(key) - 1)
        out += [key, key[:6], key[:2], key[1:5], key[:i] + key[i + 1] + key[i] + key[i + 2 :]]
        out += [key[:i] + "q" + key[i + 1 :], key[:i] + key[i + 1 :], normalize(entity.names.zh)]
        zh = normalize(entity.names.zh)
        j = rng.randrange(len(zh))
        out += [zh[:j] + "华" + zh[j + 1 :], zh[:j] + zh[j + 1 :], zh[:j] + "华" + zh[j:]]
    return out


def test_index_pages_equal_ranking_every_name(people: list[Entity]) -> None:
    index = NameIndex(people)
    every = [Candidate(EntityRef.of(e), name, normalize(name)) for e in people for name in e.all_names()]
    rng = random.Random(5)
    for text in _queries(people, rng):
        query, words = normalize(text), words_of(text)
        ranking = rank(query, every, len(people), 0, words)  # an entity's best name does not depend on others
        for enough in (1, 5, 20, 60):
            found = index.candidates(query, words=words, enough=enough)
            assert rank(query, found, enough, 0, words) == ranking[:enough], text
        wanted = index.candidates(query, words=words, enough=10, wanted=lambda ref: ref.kind == "company")
        companies = [hit for hit in ranking if hit.entity.kind == "company"]
        assert rank(query, wanted, 10, 0, words) == companies[:10], text
        assert rank(query, index.candidates(query, words=words), len(people), 0, words) == ranking, text
    assert any(
        hit.match == "words"
        for text in _queries(people, random.Random(5))
        for hit in rank(normalize(text), every, 5, 0, words_of(text))
    ), "no query exercised the words tier"
