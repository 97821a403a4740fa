"""Validated records: Entity, Source, Claim, Evidence and the typed values they carry.

These models check everything that can be checked on one record alone. Checks that need the
whole seed set (references, vocabulary between kinds, quotes against source text, duplicates)
live in `validate.py`.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
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
from pydantic.json_schema import SkipJsonSchema

from stancegraph.schema.canonical import canonical_json
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

Bound = Literal["exact", "about", "at_least", "more_than", "at_most", "less_than", "nearly"]
"""How a figure is given: "more than 300" is (300, inf), "nearly 50" a little under 50."""


def _as_of(value: Any) -> Any:
    return _published(value) if value is not None else None


AsOf = Annotated[
    str | None,
    BeforeValidator(_as_of),
    Field(description="When the figure held, if the text says (a moment with offset, day, month or year)."),
]


class Money(Record):
    type: Literal["money"]
    amount: float = Field(ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    bound: Bound = "exact"
    text: str | None = Field(default=None, description="The figure as the source writes it.")
    as_of: AsOf = None


class Count(Record):
    type: Literal["count"]
    value: int = Field(ge=0)
    bound: Bound = "exact"
    text: str | None = None
    as_of: AsOf = None


class Duration(Record):
    type: Literal["duration"]
    iso: Annotated[str, StringConstraints(pattern=r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?)?$")]
    bound: Bound = "exact"
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
ValueKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Properties = dict[ValueKey, Value]

Status = Literal["planned", "expected", "happened", "not_yet", "called_off", "denied"]
"""Whether an event or agreement has happened, as one source tells it (certainty is how surely
the speaker asserts it; the two are independent)."""


# --- dates with precision -------------------------------------------------------------------

Precision = Literal["day", "month", "year", "range", "unknown"]
_DATE_FORMS: list[tuple[re.Pattern[str], Precision]] = [
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "day"),
    (re.compile(r"^\d{4}-\d{2}$"), "month"),
    (re.compile(r"^\d{4}$"), "year"),
]


def _date_form(text: str) -> Precision:
    for pattern, precision in _DATE_FORMS:
        if pattern.match(text):
            return precision
    raise ValueError(f"date {text!r} is not YYYY-MM-DD, YYYY-MM, YYYY or 'unknown'")


def _partial_bounds(text: str) -> tuple[date, date]:
    """The first and last day of a day, month or year written as an ISO prefix."""
    precision = _date_form(text)
    parts = [int(p) for p in text.split("-")]
    try:
        if precision == "day":
            day = date(parts[0], parts[1], parts[2])
            return day, day
        if precision == "month":
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise ValueError(f"date {text!r} does not exist") from exc


@lru_cache(maxsize=65536)
def _bounds(value: str) -> tuple[date, date]:
    """The days an ISO prefix or a FROM/TO range denotes (cached: valid time compares the same
    few thousand dates over and over)."""
    if "/" in value:
        start, end = value.split("/")
        return _partial_bounds(start)[0], _partial_bounds(end)[1]
    return _partial_bounds(value)


def _iso(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return str(value) if isinstance(value, int) else value


class ClaimDate(Record):
    """When something happened: an ISO date prefix whose length is its precision (day, month,
    year), a `range` `FROM/TO` when the text only bounds it, or unknown; with the wording as
    written ("on Friday", "last week") when a source gives one."""

    value: str | None = None
    precision: Precision = "unknown"
    wording: NonEmpty | None = Field(default=None, description="The date as the text words it.")

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, data: Any) -> Any:
        if data is None or data == "unknown":
            return {"value": None, "precision": "unknown"}
        data = _iso(data)
        if isinstance(data, str):
            return {"value": data, "precision": "range" if "/" in data else _date_form(data)}
        if isinstance(data, dict) and "precision" not in data:
            data = dict(data)
            between = data.pop("between", None)
            if between is not None:
                if not isinstance(between, list | tuple) or len(between) != 2:
                    raise ValueError("between is a list of two dates: [from, to]")
                if "value" in data:
                    raise ValueError("give either value or between, not both")
                data["value"] = "/".join(str(_iso(b)) for b in between)
            value = _iso(data.get("value"))
            if value is None or value == "unknown":
                data.update(value=None, precision="unknown")
            elif isinstance(value, str):
                data.update(value=value, precision="range" if "/" in value else _date_form(value))
        return data

    @model_validator(mode="after")
    def _real_date(self) -> ClaimDate:
        if self.precision == "unknown":
            if self.value is not None:
                raise ValueError("a date with precision 'unknown' has no value")
            return self
        if self.value is None:
            raise ValueError(f"a date with precision {self.precision!r} needs a value")
        if self.precision == "range":
            ends = self.value.split("/")
            if len(ends) != 2:
                raise ValueError(f"range {self.value!r} is not FROM/TO")
            if _partial_bounds(ends[0])[0] > _partial_bounds(ends[1])[1]:
                raise ValueError(f"range {self.value!r} ends before it starts")
            return self
        if _date_form(self.value) != self.precision:
            raise ValueError(f"date {self.value!r} does not have precision {self.precision!r}")
        _partial_bounds(self.value)  # raises on impossible dates such as 2026-02-30
        return self

    def bounds(self) -> tuple[date, date] | None:
        """The first and last day the date may denote, or None when unknown."""
        return None if self.value is None else _bounds(self.value)

    def plain(self) -> ClaimDate:
        """The same date without its wording (what a summary of several sources carries)."""
        return self if self.wording is None else self.model_copy(update={"wording": None})


# --- records -----------------------------------------------------------------------------------


_LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
LanguageTag = Annotated[str, StringConstraints(pattern=_LANGUAGE_TAG)]


class Entity(Record):
    id: Slug
    kind: str
    names: Names
    aliases: list[NonEmpty] = Field(
        default_factory=list,
        description="Every other name the sources use. In a seed file either a list, or a mapping "
        "of language to names ({en: [the Pentagon], zh-Hant: [五角大樓]}), which also fills "
        "aliases_by_language.",
    )
    aliases_by_language: dict[LanguageTag, list[NonEmpty]] = Field(
        default_factory=dict, description="The aliases whose language is known, by language tag."
    )
    description: NonEmpty | None = None
    properties: Properties = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _aliases_by_language(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("aliases"), dict):
            by_language = data["aliases"]
            for language in by_language:
                if not isinstance(language, str) or not re.fullmatch(_LANGUAGE_TAG, language):
                    raise ValueError(f"aliases: {language!r} is not a language tag such as en, zh, zh-Hant")
            if "aliases_by_language" in data:
                raise ValueError("give aliases as a mapping by language or aliases_by_language, not both")
            flat = [a for names in by_language.values() if isinstance(names, list) for a in names]
            data = {**data, "aliases": list(dict.fromkeys(flat)), "aliases_by_language": by_language}
        return data

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, aliases: list[str]) -> list[str]:
        for alias in aliases:
            _no_invisible(alias)
        return aliases

    @field_validator("aliases_by_language")
    @classmethod
    def _languages_in_order(cls, by_language: dict[str, list[str]]) -> dict[str, list[str]]:
        # By tag, as canonical JSON (Neo4j's copy) orders them: every store answers in one order.
        return dict(sorted(by_language.items()))

    @model_validator(mode="after")
    def _languages_name_aliases(self) -> Entity:
        known = set(self.aliases)
        for language, names in self.aliases_by_language.items():
            for name in names:
                if name not in known:
                    raise ValueError(f"aliases_by_language.{language}: {name!r} is not among the aliases")
        return self

    def flat(self) -> dict[str, Any]:
        """One level of JSON-able fields (the names as name_en / name_zh): the shape exports and
        Neo4j nodes use."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name_en": self.names.en,
            "name_zh": self.names.zh,
            "aliases": list(self.aliases),
            "aliases_by_language": {k: list(v) for k, v in self.aliases_by_language.items()},
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
            aliases_by_language=row.get("aliases_by_language") or {},
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


@lru_cache(maxsize=65536)
def publication_date(published: str) -> ClaimDate:
    """A valid `published` as a date of its precision: a moment is its day (local to its offset)."""
    if "T" in published:
        return ClaimDate(value=datetime.fromisoformat(published).date().isoformat(), precision="day")
    return ClaimDate.model_validate(published)


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
    language: LanguageTag
    path: NonEmpty = Field(description="The captured text, relative to the seeds folder.")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    chrome: list[NonEmpty] = Field(
        default_factory=list,
        description="Lines of page chrome (site name, captions, keywords): never evidence.",
    )

    def published_bounds(self) -> tuple[date, date] | None:
        """The first and last day `published` may denote (local to its offset), or None."""
        return self.published_date().bounds()

    def published_date(self) -> ClaimDate:
        return publication_date(self.published)

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


def _refuse(message: str) -> Any:
    def refuse(value: Any) -> Any:
        raise ValueError(message)

    return BeforeValidator(refuse)


_MOVED = (
    "a claim's {} is what its sources say: put it on each evidence record ({}) so several sources can differ"
)
# Fields a claim had before evidence carried them: named so the error says where they went.
_RetiredDate = Annotated[SkipJsonSchema[None], _refuse(_MOVED.format("date", "`evidence[].date`"))]
_RetiredProperties = Annotated[
    SkipJsonSchema[None], _refuse(_MOVED.format("properties", "`evidence[].values`"))
]


# What one source says about a claim besides the quote: when, how much, whether it happened.
# Each is optional and is this source's word only: several sources may disagree.
AssertedDate = Annotated[ClaimDate | None, Field(description="When, by this source's account.")]
AssertedValues = Annotated[
    Properties, Field(description="Figures and facts as this source gives them, by name.")
]
AssertedStatus = Annotated[
    Status | None,
    Field(description="For events and agreements: whether it has happened, by this source."),
]


class Evidence(Record):
    source: Slug
    quote: Annotated[str, StringConstraints(min_length=2, max_length=MAX_QUOTE_CHARS)]
    start: int | None = Field(default=None, ge=0, description="Code point offset, inclusive.")
    end: int | None = Field(default=None, ge=0, description="Code point offset, exclusive.")
    translation: NonEmpty | None = Field(
        default=None, description="English translation; required when the source is not in English."
    )
    speaker: Speaker
    certainty: Certainty
    date: AssertedDate = None
    values: AssertedValues = Field(default_factory=dict)
    status: AssertedStatus = None

    @model_validator(mode="after")
    def _offsets(self) -> Evidence:
        if self.start is None or self.end is None:
            raise ValueError("start and end are required (`stancegraph evidence locate` fills them)")
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"end - start = {self.end - self.start} but the quote has {len(self.quote)} code points"
            )
        return self


_MOVED = (
    "a claim's {} is what its sources say: put it on each evidence record ({}) so several sources can differ"
)


class Claim(Record):
    """An identity (subject, predicate, object, qualifiers) and the evidence that asserts it; its
    date, figures and status are summarised from the evidence."""

    id: str | None = Field(default=None, description="Derived; if written it must match.")
    subject: Slug
    predicate: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    object: Slug
    qualifiers: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], NonEmpty] = Field(
        default_factory=dict
    )
    note: NonEmpty | None = None
    evidence: list[Evidence] = Field(min_length=1)
    date: _RetiredDate = None
    properties: _RetiredProperties = None

    @model_validator(mode="after")
    def _not_reflexive(self) -> Claim:
        if self.subject == self.object:
            raise ValueError(f"subject and object are both {self.subject!r}")
        return self


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
        base += "." + _digest(canonical_json(qualifiers))[:8]
    return base


def evidence_id(claim: str, source: str, quote: str) -> str:
    return "ev-" + _digest(claim, source, quote)[:12]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class ClaimSummary(Record):
    """A claim's date, figures, status and certainty summarised from its evidence by
    `summary.summarize`: the one function every store and export uses."""

    certainty: Certainty
    date: ClaimDate
    properties: dict[str, Value]
    status: Status | None


EndReason = Literal["reversed", "ended", "called_off"]


class Ending(Record):
    """Evidence that a claim stopped holding (schema.validtime derives these from the whole seed set)."""

    reason: EndReason = Field(
        description="reversed: a later claim of the opposite sign between the same two; ended: a "
        "claim whose predicate ends this one (left ends works_for); called_off: its own evidence says so."
    )
    claim: str = Field(description="The claim whose evidence ends it (itself when called off).")
    evidence: str
    source: str
    date: ClaimDate = Field(description="When it ended: that evidence's date, else its source's publication.")
    published: str = Field(description="When that source was published (what `known_by` compares).")


class Interval(Record):
    """One span over which a claim held: from its evidence at `start` until its first ending after."""

    start: ClaimDate
    start_evidence: str = Field(description="The evidence that dates the start.")
    end: ClaimDate | None = Field(description="None: it still holds, as far as the sources tell.")
    ended_by: Ending | None


class Validity(Record):
    """When a claim held in the world (valid time), from its evidence and what ends it."""

    held: list[Interval] = Field(
        default_factory=list,
        description="In date order; empty when nothing dates the claim (no evidence date and no "
        "known publication).",
    )
    endings: list[Ending] = Field(
        default_factory=list,
        description="Every report that would end it, in date order; one after a start ends that interval.",
    )


class ValidatedClaim(Record):
    """A claim after whole-seed validation: its id derived, its predicate facts attached, and the
    fields of its ClaimSummary (certainty, date, properties, status) computed from the evidence."""

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
    status: Status | None
    note: str | None
    evidence: list[EvidenceRecord]
    valid: Validity = Field(default_factory=Validity, description="When it held (schema.validtime).")


class EvidenceRecord(Record):
    """Evidence with its derived id, as stored and served."""

    id: str
    source: str
    quote: str
    start: int
    end: int
    translation: str | None
    speaker: Speaker
    certainty: Certainty
    date: AssertedDate = None
    values: AssertedValues = Field(default_factory=dict)
    status: AssertedStatus = None


class SeedSet(Record):
    """Everything the seeds hold, validated and cross-checked: what a store is built from."""

    sources: list[Source]
    entities: list[Entity]
    claims: list[ValidatedClaim]
    # Kept in the store, so a store answers with the texts without the seeds folder (a Neo4j
    # deployment has none); empty for a graph built without them (tests, synthetic graphs).
    texts: dict[str, str] = Field(
        default_factory=dict,
        description="Each source's captured text by source id: what evidence offsets count code points of.",
    )


ValidatedClaim.model_rebuild()
