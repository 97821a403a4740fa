"""The vocabulary and the record models: schema as data, and the committed JSON Schema."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from stancegraph.schema.jsonschema import SCHEMA_DIR, render
from stancegraph.schema.models import ClaimDate, Evidence, Speaker, claim_id
from stancegraph.schema.vocabulary import Vocabulary, load_vocabulary


def test_committed_json_schema_is_current() -> None:
    for name, text in render().items():
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run python -m stancegraph.schema.jsonschema"
        assert json.loads(committed)["$schema"].endswith("2020-12/schema")


def test_vocabulary_covers_what_the_article_needs() -> None:
    vocab = load_vocabulary()
    needed = {
        "supports", "opposes", "contracts_with", "bans", "designates_as_risk", "orders", "demands",
        "refuses", "threatens_to_invoke", "negotiates_with", "agrees_to_terms_of", "depends_on",
        "leads", "works_for", "co_founded", "left", "signed", "competes_with", "met_with",
        "withdrew_from",
    }  # fmt: skip
    assert needed <= set(vocab.predicates)
    assert {"person", "group", "company", "agency", "document", "law", "program", "product", "event"} <= set(
        vocab.kinds
    )
    for predicate in vocab.predicates.values():
        assert predicate.label.en and predicate.label.zh and predicate.definition
        assert predicate.polarity in (-1, 0, 1)
        assert predicate.subject and predicate.object
    assert vocab.predicates["supports"].polarity == 1 and vocab.predicates["opposes"].polarity == -1
    assert vocab.predicates["supports"].neo4j == "SUPPORTS"


def test_group_names_expand_to_kinds() -> None:
    vocab = load_vocabulary()
    actors = {k for k, v in vocab.kinds.items() if v.actor}
    assert set(vocab.predicates["supports"].subject) == actors
    assert set(vocab.predicates["supports"].object) == set(vocab.kinds)


def test_vocabulary_refuses_unknown_kinds_and_bad_types() -> None:
    base = {"kinds": {"person": {"label": {"en": "P", "zh": "人"}, "neo4j": "Person", "actor": True,
                                 "definition": "d"}}}  # fmt: skip
    predicate = {"label": {"en": "x", "zh": "x"}, "polarity": 0, "subject": ["person"], "definition": "d"}
    with pytest.raises(ValidationError, match="unknown kinds"):
        Vocabulary.model_validate(
            {**base, "predicates": {"p": {**predicate, "object": ["robot"], "neo4j": "P"}}}
        )
    with pytest.raises(ValidationError, match="UPPER_SNAKE"):
        Vocabulary.model_validate(
            {**base, "predicates": {"p": {**predicate, "object": ["person"], "neo4j": "p"}}}
        )


@pytest.mark.parametrize(
    ("raw", "value", "precision", "bounds"),
    [
        ("2026-02-27", "2026-02-27", "day", ("2026-02-27", "2026-02-27")),
        ("2026-02", "2026-02", "month", ("2026-02-01", "2026-02-28")),
        (2018, "2018", "year", ("2018-01-01", "2018-12-31")),
        ("unknown", None, "unknown", None),
    ],
)
def test_dates_carry_their_precision(
    raw: object, value: str | None, precision: str, bounds: tuple[str, str] | None
) -> None:
    parsed = ClaimDate.model_validate(raw)
    assert (parsed.value, parsed.precision) == (value, precision)
    got = parsed.bounds()
    assert (None if got is None else (got[0].isoformat(), got[1].isoformat())) == bounds


def test_claim_ids_are_deterministic_and_symmetric_aware() -> None:
    assert claim_id("a", "supports", "b") == "a.supports.b"
    assert claim_id("b", "competes_with", "a", symmetric=True) == "a.competes_with.b"
    qualified = claim_id("a", "contracts_with", "b", {"status": "expected"})
    assert qualified.startswith("a.contracts_with.b.") and len(qualified.split(".")[-1]) == 8
    assert qualified == claim_id("a", "contracts_with", "b", {"status": "expected"})


def test_speaker_and_evidence_rules() -> None:
    with pytest.raises(ValidationError, match="names its entity"):
        Speaker(type="person")
    with pytest.raises(ValidationError, match="anonymous speaker"):
        Speaker(type="anonymous")
    evidence = {"source": "s", "quote": "一二三", "translation": "one two three",
                "speaker": {"type": "narration"}, "certainty": "stated"}  # fmt: skip
    with pytest.raises(ValidationError, match="start and end are required"):
        Evidence.model_validate(evidence)
    with pytest.raises(ValidationError, match="code points"):
        Evidence.model_validate({**evidence, "start": 0, "end": 4})
    with pytest.raises(ValidationError):
        Evidence.model_validate({**evidence, "quote": "长" * 301, "start": 0, "end": 301})
    assert Evidence.model_validate({**evidence, "start": 5, "end": 8}).end == 8
