"""`stancegraph source add`: a captured article becomes a source text and its source block.

From a text file, an HTML page or standard input: the text is normalised (Unix line endings,
NFC) and written as `sources/<id>.<lang>.txt` under the seeds; its sha256, its language, its
outlet (an existing entity found by name, alias or URL host, else a proposed new one) and the
lines of page chrome are worked out; and the source block goes to `sources/<id>.yaml`. What the
curator passes (--title, --outlet, ...) wins over what was extracted. Nothing is written unless
every record validates; each file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from stancegraph.curation.language import detect_language
from stancegraph.graph.search import normalize
from stancegraph.schema.errors import AmbiguousNameError, Candidate, ConflictError, InvalidParameterError
from stancegraph.schema.models import Entity, Source
from stancegraph.schema.validate import RawSeeds, read_seeds
from stancegraph.schema.yamlfile import write_atomically

Capture = Literal["full", "excerpts"]
# Longest title kept when it is taken from the text's first line (no --title, no HTML title).
MAX_FALLBACK_TITLE = 120
MAX_ID = 80  # schema/models.py's Slug


@dataclass(frozen=True)
class ChromeRule:
    rule: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class SourceRules:
    """The curator-editable rules of source_rules.yaml."""

    languages: tuple[str, ...]
    chrome: tuple[ChromeRule, ...]
    slug_stopwords: frozenset[str]
    slug_words: int


@cache
def load_rules() -> SourceRules:
    text = resources.files("stancegraph.curation").joinpath("source_rules.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return SourceRules(
        languages=tuple(data["languages"]),
        chrome=tuple(
            ChromeRule(item["rule"], re.compile(item["pattern"], re.IGNORECASE)) for item in data["chrome"]
        ),
        slug_stopwords=frozenset(data["slug_stopwords"]),
        slug_words=int(data["slug_words"]),
    )


@dataclass(frozen=True)
class Overrides:
    """What the curator passes; None means: use what was extracted or derived."""

    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    title: str | None = None
    based_on: str | None = None
    capture: Capture = "full"


@dataclass(frozen=True)
class Extracted:
    """A page's text and the metadata it states (None: not stated)."""

    text: str
    html: bool
    title: str | None = None
    published: str | None = None
    url: str | None = None
    site_name: str | None = None


@dataclass(frozen=True)
class Chrome:
    line: str
    rule: str


@dataclass(frozen=True)
class Added:
    """What `add_source` did: `created` is False when the same text was already this source."""

    id: str
    created: bool
    yaml_path: Path
    text_path: Path
    language: str
    outlet: str
    new_outlet: bool
    published: str
    chrome: list[Chrome] = field(default_factory=list)


# --- reading the input ---------------------------------------------------------------------


def looks_like_html(data: bytes, name: str) -> bool:
    if Path(name).suffix.lower() in {".html", ".htm", ".xhtml"}:
        return True
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<!doctype html", b"\xef\xbb\xbf<html"))


def normalize_text(text: str) -> str:
    """Unix line endings, NFC, no BOM; nothing else changed (a capture is kept as it was), so
    offsets count the same code points on every machine and a text added twice is the same."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode_text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidParameterError(
            name, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8"
        ) from None


def extract_html(data: bytes) -> Extracted:
    """The page's main text and metadata, by trafilatura (boilerplate removal and metadata from
    meta tags, JSON-LD and the markup; the date by htmldate)."""
    import trafilatura  # a heavy import: only for HTML
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        # htmldate's extensive search guesses from free text: a footer's "© 2026" becomes
        # 2026-01-01 and a /2026/03/ address 2026-03-01. Only dates the markup states are kept.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(document, Document) or not document.text or not document.text.strip():
        raise InvalidParameterError(
            "FILE", "no article text found in the HTML page; save its text and add that"
        )
    return Extracted(
        text=document.text,
        html=True,
        title=_clean(document.title),
        published=_moment_of(document.date, data) if document.date else None,
        url=_clean(document.url),
        site_name=_clean(document.sitename),
    )


_MOMENT = re.compile(rb"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})")


def _moment_of(day: str, html: bytes) -> str:
    """The publication moment with its UTC offset when the page states one for that day (meta
    tags and JSON-LD carry `2026-03-12T09:30:00-04:00`); else the day alone, never a made-up time."""
    for match in _MOMENT.finditer(html):
        if match[1].decode() == day:
            offset = match[3].decode()
            offset = "+00:00" if offset == "Z" else offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
            return f"{day}T{match[2].decode()}{offset}"
    return day


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


# --- chrome ------------------------------------------------------------------------------------


def propose_chrome(text: str, names: list[str], rules: SourceRules) -> list[Chrome]:
    """The lines of `text` that are page chrome: a line that is the title or the site's name
    (pages repeat both around the article), or that a rule of source_rules.yaml matches."""
    named = {normalize(n) for n in names if n and normalize(n)}
    found: list[Chrome] = []
    seen: set[str] = set()
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line or line in seen:
            continue
        rule = "title-or-site-name" if normalize(line) in named else _matching_rule(line, rules)
        if rule is not None:
            seen.add(line)
            found.append(Chrome(line, rule))
    return found


def _matching_rule(line: str, rules: SourceRules) -> str | None:
    for rule in rules.chrome:
        if rule.pattern.fullmatch(line):
            return rule.rule
    return None


# --- outlets -----------------------------------------------------------------------------------


class EntityNames:
    """Entities by normalised id, name and alias (graph/search.py's normalisation, so "Axios",
    "axios.com" and "AXIOS" meet); outlets win over other kinds sharing a name."""

    def __init__(self, entities: list[Entity]) -> None:
        self.by_id = {e.id: e for e in entities}
        self.keys: dict[str, list[Entity]] = {}
        for entity in entities:
            for name in {entity.id, *entity.all_names()}:
                key = normalize(name)
                if key and entity not in self.keys.setdefault(key, []):
                    self.keys[key].append(entity)

    def find(self, name: str, parameter: str) -> Entity | None:
        found = self.keys.get(normalize(name), [])
        outlets = [e for e in found if e.kind == "outlet"] or found
        if len(outlets) > 1:
            raise AmbiguousNameError(parameter, name, tuple(Candidate(e.id, e.names.en) for e in outlets))
        return outlets[0] if outlets else None

    def find_host(self, url: str) -> Entity | None:
        """The entity whose alias is the URL's host or a parent domain of it."""
        for host in hosts_of(url):
            entity = self.find(host, "--url")
            if entity is not None:
                return entity
        return None


def hosts_of(url: str) -> list[str]:
    """`www.news.example.co.uk` -> news.example.co.uk, example.co.uk (a bare TLD is no host)."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] if len(labels) > 1 else []


_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", re.IGNORECASE)


def is_host(name: str) -> bool:
    """`exampleledger.com`, `www.udn.com`: a name that is a host, not a site's name."""
    return bool(_HOST.fullmatch(name))


_GENERIC_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"}


def _host_stem(url: str) -> str:
    """`newsable.asianetnews.com` -> `newsable-asianetnews`: a host without its public suffix."""
    hosts = hosts_of(url)
    if not hosts:
        return ""
    labels = hosts[0].split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _GENERIC_SECOND_LEVEL:
        labels = labels[:-1]
    return slugify(" ".join(labels))


@dataclass(frozen=True)
class Outlet:
    id: str
    new: Entity | None  # the proposed entity when no known one matched


def resolve_outlet(extracted: Extracted, overrides: Overrides, names: EntityNames) -> Outlet:
    """The outlet as the curator names it, else the one the page's site name or URL host
    names; when nothing known matches, a new outlet entity named after them."""
    url = overrides.url or extracted.url
    if overrides.outlet is not None:
        known = names.find(overrides.outlet, "--outlet")
        return Outlet(known.id, None) if known is not None else _new_outlet(overrides.outlet, url, names)
    if extracted.site_name:
        # trafilatura falls back to the host when a page names no site.
        site = extracted.site_name
        known = names.find_host(site) if is_host(site) else names.find(site, "--outlet")
        if known is not None:
            return Outlet(known.id, None)
    if url:
        known = names.find_host(url)
        if known is not None:
            return Outlet(known.id, None)
    hosts = hosts_of(url) if url else []
    name = extracted.site_name or (hosts[0] if hosts else None)
    if name is None:
        raise InvalidParameterError("--outlet", "the text names no outlet; pass --outlet NAME (or --url)")
    return _new_outlet(name, url, names)


def _new_outlet(name: str, url: str | None, names: EntityNames) -> Outlet:
    """A proposed outlet entity: its id the slug of its name (of the URL host for a name in
    Chinese or Japanese script), the host an alias so the next page from it finds it."""
    wide = any(unicodedata.east_asian_width(ch) in "WF" for ch in name)
    ident = _host_stem(name) if is_host(name) else slugify(name) or (_host_stem(url) if url else "")
    if not ident:
        raise InvalidParameterError(
            "--outlet", f"cannot make an id from {name!r}; pass --outlet in Latin letters"
        )
    if ident in names.by_id:  # "Axios!" is axios: the slug is a known entity's id
        return Outlet(ident, None)
    hosts = hosts_of(url) if url else hosts_of(name) if is_host(name) else []
    english = hosts[0] if hosts and (wide or is_host(name)) else name
    entity = Entity.model_validate(
        {
            "id": ident,
            "kind": "outlet",
            "names": {"en": english, "zh": name} if wide else {"en": english},
            # The host, so the next page from this site finds the outlet by its address.
            "aliases": [h for h in hosts[:1] if h != english],
        }
    )
    return Outlet(ident, entity)


# --- ids ---------------------------------------------------------------------------------------


def slugify(text: str, stopwords: frozenset[str] = frozenset(), limit: int | None = None) -> str:
    """Lowercase ASCII words joined by hyphens (accents folded, other scripts dropped)."""
    folded = unicodedata.normalize("NFKD", re.sub(r"['’]s\b", "", text))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in stopwords]
    return "-".join(words[:limit] if limit else words)


def derive_id(outlet: str, published: str, title: str, sha256: str, rules: SourceRules) -> str:
    """`<outlet>-<date or undated>-<slug of the title>`, as the seed ids are made
    (`axios-2026-03-09-executive-order-anthropic`); a title without Latin words gets the text's
    digest instead."""
    day = "undated" if published == "unknown" else published.split("T", 1)[0]
    words = slugify(title, rules.slug_stopwords, rules.slug_words) or sha256[:8]
    ident = f"{outlet}-{day}-{words}"
    while len(ident) > MAX_ID and "-" in ident:
        ident = ident.rsplit("-", 1)[0]
    return ident


# --- adding ------------------------------------------------------------------------------------

# Options by the Source field they set: a validation error names the option to fix.
_OPTION = {
    "id": "--id",
    "title": "--title",
    "url": "--url",
    "published": "--published",
    "language": "--language",
    "based_on": "--based-on",
    "outlet": "--outlet",
}


def add_source(
    seeds: Path, data: bytes, name: str, overrides: Overrides, *, html: bool | None = None
) -> Added:
    """Add the text or page `data` (read from `name`, `-` for stdin) as a source under `seeds`."""
    rules = load_rules()
    is_html = looks_like_html(data, name) if html is None else html
    extracted = extract_html(data) if is_html else Extracted(text=decode_text(data, name), html=False)
    text = normalize_text(extracted.text)
    if not text.strip():
        raise InvalidParameterError(name, "the text is empty")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not seeds.is_dir():
        raise InvalidParameterError("--seeds", f"{seeds} is not a folder of seeds; pass --seeds DIR")
    # Records one by one: a broken block elsewhere in the seeds does not stop a new source.
    raw = read_seeds(seeds)
    names = EntityNames([located.record for located in raw.entities])
    same = next((s for s in raw.sources if s.record.sha256 == digest), None)
    if same is not None:
        if overrides.id in (None, same.record.id):
            return _unchanged(seeds, same.record, same.display)
        raise ConflictError(
            f"--id: this text is already source {same.record.id!r} ({same.display}); nothing written"
        )

    if overrides.id is not None:
        _check_free(overrides.id, digest, raw)
    title = overrides.title or extracted.title or _first_line(text)
    published = overrides.published or extracted.published or "unknown"
    outlet = resolve_outlet(extracted, overrides, names)
    language = overrides.language or detect_language(text, (*rules.languages, *_seed_languages(raw)))
    based_on = _resolve_based_on(overrides.based_on, raw, names)
    ident = overrides.id or derive_id(outlet.id, published, title, digest, rules)
    _check_free(ident, digest, raw)
    text_rel = f"sources/{ident}.{language.split('-', 1)[0]}.txt"
    # A headline the page repeats is chrome; a title made from the first line is that line.
    headline = [title] if overrides.title or extracted.title else []
    chrome = propose_chrome(text, [*headline, extracted.site_name or "", *_names_of(outlet, names)], rules)
    try:
        source = Source.model_validate(
            {
                "id": ident,
                "title": title,
                "outlet": outlet.id,
                "url": overrides.url or extracted.url,
                "published": published,
                "language": language,
                "capture": overrides.capture,
                "based_on": based_on,
                "path": text_rel,
                "sha256": digest,
                "chrome": [c.line for c in chrome],
            }
        )
    except ValidationError as exc:
        raise _option_error(exc) from None
    yaml_path = seeds / "sources" / f"{ident}.yaml"
    text_path = seeds / text_rel
    if text_path.exists() and text_path.read_bytes() != text.encode("utf-8"):
        raise ConflictError(f"{text_path}: a different text is already there; remove it or pass another --id")
    if yaml_path.exists():  # a file of claims or entities without this source: never overwritten
        raise ConflictError(f"{yaml_path}: the file exists without this source; move it or pass another --id")
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(text_path, text)
    write_atomically(yaml_path, source_yaml(source, chrome, outlet.new, extracted, overrides))
    return Added(
        id=ident,
        created=True,
        yaml_path=yaml_path,
        text_path=text_path,
        language=language,
        outlet=outlet.id,
        new_outlet=outlet.new is not None,
        published=source.published,
        chrome=chrome,
    )


def _unchanged(seeds: Path, source: Source, display: str) -> Added:
    return Added(
        id=source.id,
        created=False,
        yaml_path=seeds.parent / display,
        text_path=seeds / source.path,
        language=source.language,
        outlet=source.outlet,
        new_outlet=False,
        published=source.published,
    )


def _check_free(ident: str, digest: str, raw: RawSeeds) -> None:
    for located in raw.sources:
        if located.record.id == ident:
            raise ConflictError(
                f"--id: source {ident!r} already exists in {located.display} with another text "
                f"(sha256 {located.record.sha256[:12]}…, this one {digest[:12]}…); pass another --id"
            )
    if ident in raw.invalid["sources"]:
        raise ConflictError(f"--id: a source block {ident!r} exists but does not validate; fix or remove it")


def _seed_languages(raw: RawSeeds) -> list[str]:
    return [located.record.language for located in raw.sources]


def _names_of(outlet: Outlet, names: EntityNames) -> list[str]:
    entity = outlet.new or names.by_id.get(outlet.id)
    return entity.all_names() if entity is not None else []


def _resolve_based_on(value: str | None, raw: RawSeeds, names: EntityNames) -> str | None:
    if value is None:
        return None
    if value in {s.record.id for s in raw.sources}:
        return value
    entity = names.find(value, "--based-on")
    if entity is None:
        raise InvalidParameterError(
            "--based-on",
            f"{value!r} names no source id and no entity (id, name, alias or host); add it first",
        )
    return entity.id


def _first_line(text: str) -> str:
    line = next((" ".join(raw.split()) for raw in text.split("\n") if raw.strip()), "")
    if len(line) <= MAX_FALLBACK_TITLE:
        return line
    cut = line[:MAX_FALLBACK_TITLE]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _option_error(exc: ValidationError) -> InvalidParameterError:
    error = exc.errors()[0]
    field_name = str(error["loc"][0]) if error["loc"] else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    return InvalidParameterError(
        _OPTION.get(field_name, field_name or "FILE"), f"{error.get('input')!r}: {message}"
    )


# --- writing -----------------------------------------------------------------------------------


def scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when YAML reads it back as this very string, else
    double-quoted (JSON's escapes are YAML's)."""
    if "\n" not in value and value.strip() == value and value:
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def source_yaml(
    source: Source,
    chrome: list[Chrome],
    new_outlet: Entity | None,
    extracted: Extracted,
    overrides: Overrides,
) -> str:
    """The source file: its block, the proposed chrome with the rule of each line, and a new
    outlet entity; comments say what was derived, for the curator to check."""
    given = "given" if overrides.title else "the page's" if extracted.title else "the text's first line"
    lines = [
        f"# {' '.join(source.title.split())}",
        "# Added by `stancegraph source add`: check what it derived (see the comments) before adding",
        "# claims; `stancegraph suggest` proposes them.",
        "sources:",
        f"  - id: {scalar(source.id)}",
        f"    title: {scalar(source.title)}  # {given}",
        f"    outlet: {scalar(source.outlet)}",
    ]
    if source.url:
        lines.append(f"    url: {scalar(source.url)}")
    stated = "given" if overrides.published else "the page's" if extracted.published else "not stated"
    lines.append(f"    published: {scalar(source.published)}  # {stated}")
    how = "given" if overrides.language else "detected"
    lines.append(f"    language: {scalar(source.language)}  # {how}")
    lines.append(f"    capture: {source.capture}")
    if source.based_on:
        lines.append(f"    based_on: {scalar(source.based_on)}")
    lines += [f"    path: {scalar(source.path)}", f"    sha256: {source.sha256}"]
    if chrome:
        lines += [
            "    # Proposed page chrome (never citable), each with the rule that fired: delete a line",
            "    # that is reporting after all.",
            "    chrome:",
        ]
        lines += [f"      - {scalar(c.line)}  # {c.rule}" for c in chrome]
    if new_outlet is not None:
        lines += [
            "entities:",
            "  # A new outlet, proposed from the page: check its names and add a description.",
            *_entity_yaml(new_outlet),
        ]
    return "\n".join(lines) + "\n"


def _entity_yaml(entity: Entity) -> list[str]:
    # Block style throughout: a plain scalar safe in a block may not be in a flow mapping.
    out = [
        f"  - id: {entity.id}",
        f"    kind: {entity.kind}",
        "    names:",
        f"      en: {scalar(entity.names.en)}",
    ]
    if entity.names.zh:
        out.append(f"      zh: {scalar(entity.names.zh)}")
    if entity.aliases:
        out += ["    aliases:", *(f"      - {scalar(a)}" for a in entity.aliases)]
    return out


def describe(added: Added) -> dict[str, Any]:
    """What was done, JSON-able (the CLI's --json)."""
    return {
        "id": added.id,
        "created": added.created,
        "yaml": str(added.yaml_path),
        "text": str(added.text_path),
        "language": added.language,
        "outlet": added.outlet,
        "new_outlet": added.new_outlet,
        "published": added.published,
        "chrome": [{"line": c.line, "rule": c.rule} for c in added.chrome],
    }
