"""The curator-editable word lists of `suggest` (rules.yaml), loaded and checked once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stancegraph.schema.models import Bound

RULES_PATH = Path(__file__).with_name("rules.yaml")


class ByLanguage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()

    def of(self, language: str) -> tuple[str, ...]:
        return self.zh if is_chinese(language) else self.en


class Passive(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: dict[str, tuple[str, ...]]
    zh: tuple[str, ...]


class MapByLanguage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: dict[str, str] = Field(default_factory=dict)
    zh: dict[str, str] = Field(default_factory=dict)

    def of(self, language: str) -> dict[str, str]:
        return self.zh if is_chinese(language) else self.en


class Possessive(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    markers: ByLanguage
    pronouns: ByLanguage
    owned: dict[str, str]
    reach: dict[str, int]


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    abbreviations: tuple[str, ...]
    attribution: ByLanguage
    speaker_follows: ByLanguage
    via: ByLanguage
    hedges: ByLanguage
    anonymous: ByLanguage
    negation: ByLanguage
    negation_reach: dict[str, int]
    passive: Passive
    titles: ByLanguage
    title_predicates: dict[str, ByLanguage]
    title_gap: ByLanguage
    anaphora: MapByLanguage
    coordinators: ByLanguage
    possessive: Possessive
    complementizers: ByLanguage
    trailing_object: ByLanguage
    not_trailing_object: ByLanguage
    not_names: frozenset[str]
    name_joiners: frozenset[str]
    kind_words: dict[str, tuple[str, ...]]
    kind_words_zh: dict[str, tuple[str, ...]]
    transliteration: str
    bounds: MapByLanguage
    currencies: MapByLanguage
    counted: MapByLanguage
    future: ByLanguage

    @field_validator("bounds")
    @classmethod
    def _known_bounds(cls, value: MapByLanguage) -> MapByLanguage:
        known = set(get_args(Bound))
        for words in (value.en, value.zh):
            for word, bound in words.items():
                if bound not in known:
                    raise ValueError(f"bound {bound!r} of {word!r} is not one of {sorted(known)}")
        return value

    @field_validator("passive")
    @classmethod
    def _passive_parts(cls, value: Passive) -> Passive:
        if set(value.en) != {"auxiliaries", "agent"}:
            raise ValueError("passive.en has the keys auxiliaries and agent")
        return value


def is_chinese(language: str) -> bool:
    return language.split("-", 1)[0] == "zh"


@cache
def load_rules(path: Path = RULES_PATH) -> Rules:
    with path.open(encoding="utf-8") as handle:
        return Rules.model_validate(yaml.safe_load(handle))
