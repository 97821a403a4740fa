"""The vocabulary (entity kinds and predicates), loaded from vocabulary.yaml."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")

Polarity = Literal[-1, 0, 1]

# The shapes of Neo4j names the vocabulary may give: kind labels and relationship types. The
# loader's Cypher splices them in (labels and types cannot be parameters), and checks them again
# with these same patterns.
NEO4J_REL_TYPE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")  # UPPER_SNAKE
NEO4J_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")  # PascalCase


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Kind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Label
    neo4j: str
    actor: bool
    definition: str = Field(min_length=1)

    @field_validator("neo4j")
    @classmethod
    def _label_shape(cls, value: str) -> str:
        if not NEO4J_LABEL.match(value):
            raise ValueError(f"Neo4j label {value!r} must be PascalCase")
        return value


CueText = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]


class Cues(BaseModel):
    """Words that signal a predicate in a sentence, by language (what `stancegraph suggest` reads)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: tuple[CueText, ...] = ()
    zh: tuple[CueText, ...] = ()

    def of(self, language: str) -> tuple[str, ...]:
        """The cues for a language tag: zh-Hant and zh-Hans read the zh cues."""
        return self.zh if language.split("-", 1)[0] == "zh" else self.en


class Predicate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Label
    polarity: Polarity
    subject: tuple[str, ...]
    object: tuple[str, ...]
    neo4j: str
    definition: str = Field(min_length=1)
    symmetric: bool = False
    lasting: bool = Field(
        default=False,
        description="A state that holds over time (supports, negotiates_with), not a dated act: "
        "sources that date it differently need not disagree.",
    )
    cues: Cues = Field(default_factory=Cues)
    negated: str | None = Field(
        default=None,
        description="The predicate a negated cue means ('will not support': opposes); none: dropped.",
    )
    ends: tuple[str, ...] = Field(
        default=(),
        description="Predicates whose claims between the same two entities a claim of this one ends "
        "from its date on (left ends works_for).",
    )

    @field_validator("neo4j")
    @classmethod
    def _type_shape(cls, value: str) -> str:
        if not NEO4J_REL_TYPE.match(value):
            raise ValueError(f"Neo4j relationship type {value!r} must be UPPER_SNAKE")
        return value


class Vocabulary(BaseModel):
    """Kinds and predicates; `subject`/`object` are already expanded to concrete kind ids."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kinds: dict[str, Kind]
    predicates: dict[str, Predicate]

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        kinds = {k: {"id": k, **v} for k, v in (data.get("kinds") or {}).items()}
        actors = [k for k, v in kinds.items() if v.get("actor")]
        groups = {"actors": actors, "any": list(kinds)}

        def expand(names: list[str]) -> list[str]:
            out: list[str] = []
            for name in names:
                for kind in groups.get(name, [name]):
                    if kind not in out:
                        out.append(kind)
            return out

        predicates = {
            p: {**v, "id": p, "subject": expand(v["subject"]), "object": expand(v["object"])}
            for p, v in (data.get("predicates") or {}).items()
        }
        return {"kinds": kinds, "predicates": predicates}

    @model_validator(mode="after")
    def _consistent(self) -> Vocabulary:
        for predicate in self.predicates.values():
            unknown = [k for k in (*predicate.subject, *predicate.object) if k not in self.kinds]
            if unknown:
                raise ValueError(f"predicate {predicate.id!r} names unknown kinds {unknown}")
        types = [p.neo4j for p in self.predicates.values()]
        if len(set(types)) != len(types):
            raise ValueError("two predicates share a Neo4j relationship type")
        for predicate in self.predicates.values():
            if predicate.negated is not None and predicate.negated not in self.predicates:
                raise ValueError(
                    f"predicate {predicate.id!r}: negated names the unknown predicate {predicate.negated!r}"
                )
        for predicate in self.predicates.values():
            unknown = [p for p in predicate.ends if p not in self.predicates]
            if unknown:
                raise ValueError(f"predicate {predicate.id!r}: ends names unknown predicates {unknown}")
        self._cues_unique()
        return self

    def _cues_unique(self) -> None:
        """A cue names one predicate per language, so a sentence's cue is never ambiguous."""
        for language in ("en", "zh"):
            owner: dict[str, str] = {}
            for predicate in self.predicates.values():
                for cue in getattr(predicate.cues, language):
                    key = cue.casefold()
                    first = owner.setdefault(key, predicate.id)
                    if first != predicate.id:
                        raise ValueError(
                            f"cue {cue!r} ({language}) is given for both {first!r} and {predicate.id!r}; "
                            "keep it under one predicate"
                        )


@cache
def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    with path.open(encoding="utf-8") as handle:
        return Vocabulary.model_validate(yaml.safe_load(handle))
