"""Validated records: Entity, Source, Claim, Evidence and the typed values they carry.

These models check everything that can be checked on one record alone. Checks that need the
whole seed set (references, vocabulary between kinds, quotes against source text, duplicates)
live in `validate.py`.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from stancegraph.schema.vocabulary import Polarity

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
MAX_QUOTE_CHARS = 300


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_invisible(value: str) -> str:
    for char in value:
        if unicodedata.category(char) in {"Cf", "Cc", "Co", "Cs"} and char not in "\n\t":
            raise ValueError(f"contains the invisible or control character U+{ord(char):04X}")
    return value


class Names(Record):
    """An entity's display names: English always; Chinese when a source gives one (none is
    invented: an English-only entity has no `zh`)."""

    en: NonEmpty
    zh: NonEmpty | None = None


# --- typed values --------------------------------------------------------------------------


class Money(Record):
    type: Literal["money"]
    amount: float = Field(ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    approximate: bool = False
    text: str | None = Field(default=None, description="The figure as the source writes it.")


class Count(Record):
    type: Literal["count"]
    value: int = Field(ge=0)
    approximate: bool = False
    text: str | None = None


class Duration(Record):
    type: Literal["duration"]
    iso: Annotated[str, StringConstraints(pattern=r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?)?$")]
    text: str | None = None


# ISO 8601 date-time; the offset is optional because a "local" moment has none (JSON Schema's
# `format: date-time` demands one, so the schema says what the values really are).
LocalOrZonedDateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$",
            "examples": ["2026-02-27T17:01:00", "2026-02-27T17:01:00-05:00"],
        }
    ),
]


class Moment(Record):
    """A point in time, with the time zone as the source gives it ("local" when it says so)."""

    type: Literal["datetime"]
    value: LocalOrZonedDateTime
    timezone: str | None = None
    text: str | None = None


class Text(Record):
    type: Literal["text"]
    value: NonEmpty


Value = Annotated[Money | Count | Duration | Moment | Text, Field(discriminator="type")]
Properties = dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], Value]


# --- dates with precision -------------------------------------------------------------------

Precision = Literal["day", "month", "year", "unknown"]
_DATE_FORMS: list[tuple[re.Pattern[str], Precision]] = [
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "day"),
    (re.compile(r"^\d{4}-\d{2}$"), "month"),
    (re.compile(r"^\d{4}$"), "year"),
]


class ClaimDate(Record):
    """When a claim happened: an ISO date prefix whose length is its precision."""

    value: str | None = None
    precision: Precision = "unknown"

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, data: Any) -> Any:
        if data is None or data == "unknown":
            return {"value": None, "precision": "unknown"}
        if isinstance(data, date):
            return {"value": data.isoformat(), "precision": "day"}
        if isinstance(data, int):
            data = str(data)
        if isinstance(data, str):
            for pattern, precision in _DATE_FORMS:
                if pattern.match(data):
                    return {"value": data, "precision": precision}
            raise ValueError(f"date {data!r} is not YYYY-MM-DD, YYYY-MM, YYYY or 'unknown'")
        return data

    @model_validator(mode="after")
    def _real_date(self) -> ClaimDate:
        if self.precision == "unknown":
            if self.value is not None:
                raise ValueError("a date with precision 'unknown' has no value")
            return self
        if self.value is None:
            raise ValueError(f"a date with precision {self.precision!r} needs a value")
        expected = {"day": 10, "month": 7, "year": 4}[self.precision]
        if len(self.value) != expected:
            raise ValueError(f"date {self.value!r} does not have precision {self.precision!r}")
        self.bounds()  # raises on impossible dates such as 2026-02-30
        return self

    def bounds(self) -> tuple[date, date] | None:
        """The first and last day the date may denote, or None when unknown."""
        if self.value is None:
            return None
        parts = [int(p) for p in self.value.split("-")]
        try:
            if self.precision == "day":
                day = date(parts[0], parts[1], parts[2])
                return day, day
            if self.precision == "month":
                last = calendar.monthrange(parts[0], parts[1])[1]
                return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        except (ValueError, calendar.IllegalMonthError) as exc:
            raise ValueError(f"date {self.value!r} does not exist") from exc


# --- records -----------------------------------------------------------------------------------


class Entity(Record):
    id: Slug
    kind: str
    names: Names
    aliases: list[NonEmpty] = Field(default_factory=list)
    description: NonEmpty | None = None
    properties: Properties = Field(default_factory=dict)

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, aliases: list[str]) -> list[str]:
        for alias in aliases:
            _no_invisible(alias)
        return aliases

    def flat(self) -> dict[str, Any]:
        """One level of JSON-able fields (the names as name_en / name_zh): the shape exports and
        Neo4j nodes use."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name_en": self.names.en,
            "name_zh": self.names.zh,
            "aliases": list(self.aliases),
            "description": self.description,
            "properties": {k: v.model_dump(mode="json") for k, v in self.properties.items()},
        }

    @classmethod
    def from_flat(cls, row: Mapping[str, Any]) -> Entity:
        """The inverse of `flat` (extra keys, such as a stored hash, are ignored)."""
        return cls(
            id=row["id"],
            kind=row["kind"],
            names=Names(en=row["name_en"], zh=row.get("name_zh")),
            aliases=row.get("aliases") or [],
            description=row.get("description"),
            properties=row.get("properties") or {},
        )

    def all_names(self) -> list[str]:
        """English name, Chinese name, then aliases; each once."""
        out: list[str] = []
        for name in (self.names.en, self.names.zh, *self.aliases):
            if name is not None and name not in out:
                out.append(name)
        return out


def _published(value: Any) -> Any:
    """A moment with its UTC offset, or a ClaimDate form: a day, a month, a year, `unknown`."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a published moment needs its UTC offset, e.g. 2026-02-28T15:30:00+08:00")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return value  # str validation names the type
    if "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"published {value!r} is not an ISO 8601 moment") from None
        if moment.tzinfo is None:
            raise ValueError(f"published {value!r} needs its UTC offset, e.g. +08:00")
        return value
    ClaimDate.model_validate(value)  # a day, month, year or 'unknown'; names what is wrong
    return value


Published = Annotated[
    str,
    BeforeValidator(_published),
    Field(
        description="When it was published, as precisely as the page says: a moment with its UTC "
        "offset, a day, a month, a year, or `unknown` (never a made-up date).",
        examples=["2026-02-28T15:30:00+08:00", "2026-03-09", "2026-03", "unknown"],
    ),
]


class Source(Record):
    id: Slug
    title: NonEmpty
    title_en: NonEmpty | None = None
    outlet: Slug = Field(description="Entity id of the outlet that wrote the text.")
    publisher: Slug | None = Field(default=None, description="Entity id of the site it came from.")
    url: str | None = None
    published: Published
    capture: Literal["full", "excerpts"] = Field(
        default="full", description="The whole text as published, or excerpts of it."
    )
    based_on: Slug | None = Field(
        default=None,
        description="A source, or the entity id of an outlet, that this one rewrites or cites "
        "(e.g. a rewrite of a CBS News report): the two are not independent.",
    )
    note: NonEmpty | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]
    path: NonEmpty = Field(description="The captured text, relative to the seeds folder.")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    chrome: list[NonEmpty] = Field(
        default_factory=list,
        description="Lines of page chrome (site name, captions, keywords): never evidence.",
    )

    def published_bounds(self) -> tuple[date, date] | None:
        """The first and last day `published` may denote (local to its offset), or None."""
        if "T" in self.published:
            day = datetime.fromisoformat(self.published).date()
            return day, day
        return ClaimDate.model_validate(self.published).bounds()

    def published_label(self) -> str:
        """The publication day, month or year for people; 'date unknown' when the page has none."""
        if self.published == "unknown":
            return "date unknown"
        return self.published.split("T", 1)[0]


SpeakerType = Literal["narration", "person", "group", "organization", "outlet", "anonymous"]
Certainty = Literal["stated", "attributed", "unconfirmed"]
CERTAINTY_RANK: dict[str, int] = {"stated": 3, "attributed": 2, "unconfirmed": 1}


class Speaker(Record):
    """Who says it: the outlet's own narration, a named entity, or an anonymous attribution."""

    type: SpeakerType
    entity: Slug | None = None
    name: NonEmpty | None = Field(default=None, description="Who, when anonymous.")
    via: NonEmpty | None = Field(default=None, description="Where they said it (a show, X...).")

    @model_validator(mode="after")
    def _who(self) -> Speaker:
        if self.type in {"person", "group", "organization", "outlet"} and self.entity is None:
            raise ValueError(f"a speaker of type {self.type!r} names its entity")
        if self.type == "anonymous" and self.name is None:
            raise ValueError("an anonymous speaker is described by a name, e.g. 'legal experts'")
        if self.type in {"narration", "anonymous"} and self.entity is not None:
            raise ValueError(f"a speaker of type {self.type!r} has no entity")
        return self


class Evidence(Record):
    source: Slug
    quote: Annotated[str, StringConstraints(min_length=2, max_length=MAX_QUOTE_CHARS)]
    start: int | None = Field(default=None, ge=0, description="Code point offset, inclusive.")
    end: int | None = Field(default=None, ge=0, description="Code point offset, exclusive.")
    translation: NonEmpty
    speaker: Speaker
    certainty: Certainty

    @model_validator(mode="after")
    def _offsets(self) -> Evidence:
        if self.start is None or self.end is None:
            raise ValueError("start and end are required (`stancegraph evidence locate` fills them)")
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"end - start = {self.end - self.start} but the quote has {len(self.quote)} code points"
            )
        return self


class Claim(Record):
    id: str | None = Field(default=None, description="Derived; if written it must match.")
    subject: Slug
    predicate: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    object: Slug
    qualifiers: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], NonEmpty] = Field(
        default_factory=dict
    )
    date: ClaimDate = Field(default_factory=ClaimDate)
    properties: Properties = Field(default_factory=dict)
    note: NonEmpty | None = None
    evidence: list[Evidence] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_reflexive(self) -> Claim:
        if self.subject == self.object:
            raise ValueError(f"subject and object are both {self.subject!r}")
        return self

    @property
    def certainty(self) -> Certainty:
        """The strongest certainty among the evidence."""
        best = max(self.evidence, key=lambda ev: CERTAINTY_RANK[ev.certainty])
        return best.certainty


def claim_id(
    subject: str,
    predicate: str,
    obj: str,
    qualifiers: dict[str, str] | None = None,
    *,
    symmetric: bool = False,
) -> str:
    """Deterministic claim id: readable triple, plus a short digest when qualifiers are present.

    For symmetric predicates the endpoints are ordered, so "A p B" and "B p A" share one id.
    """
    if symmetric and obj < subject:
        subject, obj = obj, subject
    base = f"{subject}.{predicate}.{obj}"
    if qualifiers:
        canonical = json.dumps(qualifiers, sort_keys=True, ensure_ascii=False)
        base += "." + _digest(canonical)[:8]
    return base


def evidence_id(claim: str, source: str, quote: str) -> str:
    return "ev-" + _digest(claim, source, quote)[:12]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class ValidatedClaim(Record):
    """A claim after whole-seed validation: its id derived, its predicate facts attached."""

    id: str
    subject: str
    predicate: str
    object: str
    polarity: Polarity
    relationship: str
    certainty: Certainty
    qualifiers: dict[str, str]
    date: ClaimDate
    properties: dict[str, Value]
    note: str | None
    evidence: list[EvidenceRecord]


class EvidenceRecord(Record):
    """Evidence with its derived id, as stored and served."""

    id: str
    source: str
    quote: str
    start: int
    end: int
    translation: str
    speaker: Speaker
    certainty: Certainty


class SeedSet(Record):
    """Everything the seeds hold, validated and cross-checked: what a store is built from."""

    sources: list[Source]
    entities: list[Entity]
    claims: list[ValidatedClaim]


ValidatedClaim.model_rebuild()
