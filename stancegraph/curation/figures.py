"""Figures in a quote: sums of money and counts, with the bound the text gives them.

"about $200 million" is Money(200000000, USD, about); "more than 300 employees" Count(300,
more_than); 近百人 Count(100, nearly); 高达2亿美元 Money(200000000, USD, at_most). The bound words,
currencies and counted nouns are data (rules.yaml).
"""

from __future__ import annotations

import re

from stancegraph.curation.dates import ZH_DIGITS
from stancegraph.curation.mentions import simplified_aligned
from stancegraph.curation.rules import Rules
from stancegraph.schema.models import Count, Money, Value

_EN_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
}
_EN_SCALE.update({"trillion": 1e12, "tn": 1e12})
_ZH_SCALE = {"千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_ZH_NUMERAL = {**ZH_DIGITS, "十": 10}
_ZH_BIG = {"十": 10, "百": 100, "千": 1000}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _zh_numeral(text: str) -> float | None:
    """百 = 100, 两百 = 200, 三千 = 3000; digits as they are."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        pass
    if len(text) == 1 and text in _ZH_BIG:
        return float(_ZH_BIG[text])
    if len(text) == 2 and text[0] in _ZH_NUMERAL and text[1] in _ZH_BIG:
        return float(_ZH_NUMERAL[text[0]] * _ZH_BIG[text[1]])
    return None


class FigureFinder:
    def __init__(self, rules: Rules) -> None:
        en_bounds = _alternation(list(rules.bounds.en))
        zh_bounds = _alternation(list(rules.bounds.zh))
        symbols = _alternation([c for c in rules.currencies.en if not c.isalpha()])
        words = _alternation([c for c in rules.currencies.en if c.isalpha()])
        counted = _alternation(list(rules.counted.en))
        number = r"\d[\d,]*(?:\.\d+)?"
        scale = r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?"
        bound = rf"(?:(?P<bound>{en_bounds})\s+)?"
        self.rules = rules
        self._en: list[tuple[str, re.Pattern[str]]] = [
            ("money", re.compile(rf"{bound}(?P<cur>{symbols})\s?(?P<num>{number}){scale}", re.I)),
            ("money", re.compile(rf"{bound}(?P<num>{number}){scale}\s+(?P<cur>{words})\b", re.I)),
            (
                "count",
                re.compile(rf"{bound}(?P<num>{number})\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{counted})\b", re.I),
            ),
        ]
        zh_number = r"\d+(?:\.\d+)?|[一两二三四五六七八九]?[十百千]"
        zh_scale = r"(?P<scale>百万|千万|[千万亿])?"
        zh_cur = _alternation(list(rules.currencies.zh))
        zh_counted = _alternation(list(rules.counted.zh))
        self._zh: list[tuple[str, re.Pattern[str]]] = [
            ("money", re.compile(rf"(?P<bound>{zh_bounds})?(?P<num>{zh_number}){zh_scale}(?P<cur>{zh_cur})")),
            (
                "count",
                re.compile(rf"(?P<bound>{zh_bounds})?(?P<num>{zh_number}){zh_scale}(?P<noun>{zh_counted})"),
            ),
        ]

    def find(self, text: str, start: int, end: int, *, chinese: bool) -> dict[str, Value]:
        values: dict[str, Value] = {}
        taken: list[tuple[int, int]] = []
        haystack = simplified_aligned(text) if chinese else text
        for kind, pattern in self._zh if chinese else self._en:
            for match in pattern.finditer(haystack, start, end):
                if any(match.start() < b and a < match.end() for a, b in taken):
                    continue
                value = self._value(kind, match, text[match.start() : match.end()], chinese=chinese)
                if value is None:
                    continue
                taken.append((match.start(), match.end()))
                key = "amount" if isinstance(value, Money) else self._count_key(match, chinese)
                values[_unused(values, key)] = value
        return values

    def _count_key(self, match: re.Match[str], chinese: bool) -> str:
        nouns = self.rules.counted.of("zh" if chinese else "en")
        return nouns.get(match["noun"].casefold(), nouns.get(match["noun"], "count"))

    def _value(self, kind: str, match: re.Match[str], written: str, *, chinese: bool) -> Value | None:
        bounds = self.rules.bounds.of("zh" if chinese else "en")
        word = match["bound"]
        bound = bounds.get(word.casefold(), bounds.get(word, "exact")) if word else "exact"
        if chinese:
            number = _zh_numeral(match["num"])
            scale = _ZH_SCALE.get(match.groupdict().get("scale") or "", 1.0)
        else:
            number = float(match["num"].replace(",", ""))
            scale = _EN_SCALE.get((match.groupdict().get("scale") or "").casefold(), 1.0)
        if number is None:
            return None
        amount = number * scale
        if kind == "money":
            currencies = self.rules.currencies.of("zh" if chinese else "en")
            currency = currencies.get(match["cur"], currencies.get(match["cur"].casefold(), "USD"))
            return Money.model_validate(
                {"type": "money", "amount": amount, "currency": currency, "bound": bound, "text": written}
            )
        if amount != int(amount):
            return None
        return Count.model_validate({"type": "count", "value": int(amount), "bound": bound, "text": written})


def _unused(values: dict[str, Value], key: str) -> str:
    if key not in values:
        return key
    n = 2
    while f"{key}_{n}" in values:
        n += 1
    return f"{key}_{n}"
