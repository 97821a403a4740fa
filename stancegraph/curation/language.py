"""A text's language tag: lingua for the language, OpenCC for the script of Chinese.

lingua (lingua-language-detector) is restricted to a short list of languages (the rules file's,
and those the seeds' sources use): fewer candidates make it faster and keep a short text from
being taken for a rare language. lingua says "Chinese" for both scripts, so the script is told
by an OpenCC round trip: characters that simplifying changes are traditional ones, characters
that converting to traditional changes are simplified ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import opencc
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from stancegraph.schema.errors import InvalidParameterError

# Below this, lingua's best guess is not worth a tag: the curator says (--language).
MIN_CONFIDENCE = 0.5
# From this length on, lingua's low-accuracy mode (trigrams only) is as good as the full one,
# its documentation says, and loads in a tenth of a second instead of seconds.
LONG_TEXT = 120


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _detector(codes: frozenset[str], low_accuracy: bool) -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in sorted(codes)]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def supported(codes: Iterable[str]) -> frozenset[str]:
    """The ISO 639-1 codes among `codes` that lingua knows (a primary subtag each)."""
    out: set[str] = set()
    for code in codes:
        primary = code.split("-", 1)[0].lower()
        try:
            IsoCode639_1.from_str(primary)
        except ValueError:
            continue
        out.add(primary)
    return frozenset(out)


def chinese_script(text: str) -> str:
    """`zh-Hant` or `zh-Hans` by which script's own characters are more numerous; `zh` when the
    text has none of either (its characters are written alike in both)."""
    traditional = _changed(text, _converter("t2s").convert(text))
    simplified = _changed(text, _converter("s2t").convert(text))
    if traditional == simplified == 0:
        return "zh"
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def _changed(before: str, after: str) -> int:
    # t2s and s2t map character for character (the phrase tables keep lengths), so position-wise
    # comparison counts the characters of the other script; a length change counts as one.
    if len(before) != len(after):
        return 1 + sum(a != b for a, b in zip(before, after, strict=False))
    return sum(a != b for a, b in zip(before, after, strict=True))


def detect_language(text: str, codes: Iterable[str]) -> str:
    """The language tag of `text` (`en`, `zh-Hant`, ...), chosen among `codes`; an
    InvalidParameterError naming --language when lingua cannot tell."""
    candidates = supported(codes)
    if len(candidates) < 2:
        raise InvalidParameterError("--language", "fewer than two languages to choose from; pass --language")
    detector = _detector(candidates, len(text) >= LONG_TEXT)
    confidences = detector.compute_language_confidence_values(text)
    best = confidences[0] if confidences else None
    if best is None or best.value < MIN_CONFIDENCE:
        raise InvalidParameterError(
            "--language",
            "cannot tell the text's language with confidence; pass --language (e.g. en, zh-Hant)",
        )
    code = best.language.iso_code_639_1.name.lower()
    return chinese_script(text) if code == "zh" else code
