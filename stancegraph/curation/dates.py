"""A date guess for a quote, resolved against its source's publication day.

"on Friday" is the most recent Friday before publication (the coming one when the sentence is in
the future tense), "last week" the Monday-to-Sunday week before, 2月26日 and "Feb. 26" a day of the
publication's year (the year before when that day would follow publication). The wording is kept,
so the curator sees what the date was read from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from stancegraph.curation.mentions import simplified_aligned
from stancegraph.schema.models import ClaimDate

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Chinese digits, for dates here and figures in curation.figures.
ZH_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_NUMBER = "〇零一二两三四五六七八九十廿卅"

_MONTH_NAME = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "month-day",
        re.compile(_MONTH_NAME + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?", re.I),
    ),
    (
        "day-month",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_NAME + r"(?:,?\s+(?P<year>\d{4}))?", re.I
        ),
    ),
    ("month-year", re.compile(r"\b" + _MONTH_NAME + r"\s+(?P<year>\d{4})\b", re.I)),
    (
        "in-month",
        re.compile(r"\b(?:in|since|until|by|early|late|mid-?)\s+" + _MONTH_NAME + r"(?!\s*\d)", re.I),
    ),
    ("weekday", re.compile(r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")(?:'s)?\b", re.I)),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>yesterday|today|tonight|this morning|last week|this week|last month"
            r"|earlier this month|this month|last year)\b",
            re.I,
        ),
    ),
]
_ZH_NUM = f"(?:\\d{{1,2}}|[{_ZH_NUMBER}]{{1,3}})"
_ZH_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("zh-full", re.compile(r"(?P<year>\d{4})年(?P<m>" + _ZH_NUM + r")月(?P<d>" + _ZH_NUM + r")[日号]")),
    ("zh-month-day", re.compile(r"(?P<m>" + _ZH_NUM + r")月(?P<d>" + _ZH_NUM + r")[日号]")),
    ("zh-weekday", re.compile(r"(?P<which>上|本|这|下)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])")),
    ("zh-day", re.compile(r"(?<![月\d])(?P<d>\d{1,2}|[一二三四五六七八九十廿卅]{1,3})[日号]")),
    ("zh-year-month", re.compile(r"(?P<year>\d{4})年(?P<m>" + _ZH_NUM + r")月")),
    ("zh-season", re.compile(r"(?P<year>\d{4})年(?P<season>春|夏|秋|冬)[天季]?")),
    ("zh-year", re.compile(r"(?P<year>\d{4})年")),
    ("zh-relative", re.compile(r"(?P<rel>上周|上星期|本周|这周|昨天|昨日|今天|今日|上月|上个月|本月|去年)")),
]
_SEASONS = {"春": (3, 5), "夏": (6, 8), "秋": (9, 11), "冬": (12, 2)}


def chinese_number(text: str) -> int | None:
    """1 to 99 written in digits or Chinese numerals (九, 十五, 廿七, 二十七)."""
    if text.isdigit():
        return int(text)
    tens = {"廿": 20, "卅": 30}
    total = 0
    rest = text
    if rest and rest[0] in tens:
        total, rest = tens[rest[0]], rest[1:]
    elif "十" in rest:
        before, _, rest = rest.partition("十")
        total = (ZH_DIGITS.get(before, -100) if before else 1) * 10
    if rest:
        if len(rest) != 1 or rest not in ZH_DIGITS:
            return None
        total += ZH_DIGITS[rest]
    return total if 0 < total < 100 else None


@dataclass(frozen=True)
class DateContext:
    published: tuple[date, date] | None
    future: Callable[[int], bool]
    """Whether the sentence around a position is in the future tense."""


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _in_publication_year(ctx: DateContext, month: int, day: int) -> date | None:
    if ctx.published is None:
        return None
    last = ctx.published[1]
    found = _day(last.year, month, day)
    if found is not None and found > last:
        found = _day(last.year - 1, month, day)
    return found


def _weekday(ctx: DateContext, weekday: int, at: int, which: str | None = None) -> date | None:
    if ctx.published is None or ctx.published[0] != ctx.published[1]:
        return None
    published = ctx.published[0]
    monday = published - timedelta(days=published.weekday())
    if which in {"本", "这"}:
        return monday + timedelta(days=weekday)
    if which == "上":
        return monday - timedelta(days=7) + timedelta(days=weekday)
    if which == "下":
        return monday + timedelta(days=7 + weekday)
    back = (published.weekday() - weekday) % 7 or 7
    if ctx.future(at):
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    return published - timedelta(days=back)


def _relative(ctx: DateContext, word: str) -> ClaimDate | None:
    if ctx.published is None or ctx.published[0] != ctx.published[1]:
        return None
    day = ctx.published[0]
    monday = day - timedelta(days=day.weekday())
    first = day.replace(day=1)
    previous_month = first - timedelta(days=1)
    key = word.casefold()
    if key in {"yesterday", "昨天", "昨日"}:
        return ClaimDate(value=(day - timedelta(days=1)).isoformat(), wording=word)
    if key in {"today", "tonight", "this morning", "今天", "今日"}:
        return ClaimDate(value=day.isoformat(), wording=word)
    if key in {"last week", "上周", "上星期"}:
        start = monday - timedelta(days=7)
        return ClaimDate.model_validate({"between": [start, start + timedelta(days=6)], "wording": word})
    if key in {"this week", "本周", "这周"}:
        return ClaimDate.model_validate({"between": [monday, day], "wording": word})
    if key in {"last month", "上月", "上个月"}:
        return ClaimDate(value=previous_month.strftime("%Y-%m"), wording=word)
    if key in {"this month", "本月"}:
        return ClaimDate(value=day.strftime("%Y-%m"), wording=word)
    if key == "earlier this month":
        return ClaimDate.model_validate({"between": [first, day], "wording": word})
    if key in {"last year", "去年"}:
        return ClaimDate(value=str(day.year - 1), wording=word)
    return None


def _resolve(kind: str, match: re.Match[str], wording: str, ctx: DateContext) -> ClaimDate | None:
    groups = match.groupdict()
    found: date | None = None
    if kind in {"iso", "zh-full"}:
        month, day = chinese_number(groups["m"]), chinese_number(groups["d"])
        found = _day(int(groups["year"]), month, day) if month and day else None
    elif kind in {"month-day", "day-month"}:
        month, day = _MONTHS[groups["month"].casefold()], int(groups["day"])
        year = groups.get("year")
        found = _day(int(year), month, day) if year else _in_publication_year(ctx, month, day)
    elif kind == "zh-month-day":
        month, day = chinese_number(groups["m"]), chinese_number(groups["d"])
        found = _in_publication_year(ctx, month, day) if month and day else None
    elif kind == "zh-day":
        number = chinese_number(groups["d"])
        if number is None or ctx.published is None or ctx.published[0] != ctx.published[1]:
            return None
        published = ctx.published[0]
        found = _day(published.year, published.month, number)
        if found is None or found > published:  # the 27th, read in early March: February's
            previous = published.replace(day=1) - timedelta(days=1)
            found = _day(previous.year, previous.month, number)
    elif kind == "weekday":
        found = _weekday(ctx, _WEEKDAYS.index(groups["weekday"].casefold()), match.start())
    elif kind == "zh-weekday":
        found = _weekday(ctx, _ZH_WEEKDAYS[groups["wd"]], match.start(), groups.get("which"))
    elif kind == "month-year":
        return ClaimDate(value=f"{groups['year']}-{_MONTHS[groups['month'].casefold()]:02d}", wording=wording)
    elif kind == "zh-year-month":
        month = chinese_number(groups["m"])
        return ClaimDate(value=f"{groups['year']}-{month:02d}", wording=wording) if month else None
    elif kind == "in-month":
        if ctx.published is None:
            return None
        month = _MONTHS[groups["month"].casefold()]
        last = ctx.published[1]
        year = last.year if month <= last.month else last.year - 1
        return ClaimDate(value=f"{year}-{month:02d}", wording=wording)
    elif kind == "zh-season":
        year = int(groups["year"])
        first_month, last_month = _SEASONS[groups["season"]]
        end_year = year + 1 if last_month < first_month else year
        return ClaimDate.model_validate(
            {"between": [f"{year}-{first_month:02d}", f"{end_year}-{last_month:02d}"], "wording": wording}
        )
    elif kind == "zh-year":
        return ClaimDate(value=groups["year"], wording=wording)
    elif kind in {"relative", "zh-relative"}:
        return _relative(ctx, groups["rel"])
    return ClaimDate(value=found.isoformat(), wording=wording) if found else None


def guess_date(text: str, start: int, end: int, *, chinese: bool, ctx: DateContext) -> ClaimDate | None:
    """The first date expression in text[start:end] that resolves, the most precise kinds first."""
    patterns: Sequence[tuple[str, re.Pattern[str]]] = _ZH_PATTERNS if chinese else _EN_PATTERNS
    haystack = simplified_aligned(text) if chinese else text
    taken: list[tuple[int, int]] = []
    for kind, pattern in patterns:
        for match in pattern.finditer(haystack, start, end):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            resolved = _resolve(kind, match, text[match.start() : match.end()], ctx)
            if resolved is not None:
                return resolved
    return None
