"""Response examples for /docs, taken from the shipped seed graph."""

from __future__ import annotations

from typing import Any

from stancegraph.api.cursor import encode
from stancegraph.api.problems import Responses

SOURCE_ID = "jiqizhixin-2026-02-28-anthropic-ban"
ALTMAN = {"id": "sam-altman", "kind": "person", "name_en": "Sam Altman", "name_zh": "山姆・奥特曼"}
ANTHROPIC = {"id": "anthropic", "kind": "company", "name_en": "Anthropic", "name_zh": "Anthropic"}
WAR = {
    "id": "us-department-of-war",
    "kind": "agency",
    "name_en": "US Department of War",
    "name_zh": "美国战争部",
}
CLAIM: dict[str, Any] = {
    "id": "sam-altman.supports.anthropic",
    "subject": ALTMAN,
    "predicate": "supports",
    "object": ANTHROPIC,
    "polarity": 1,
    "relationship": "SUPPORTS",
    "certainty": "stated",
    "qualifiers": {},
    "date": {"value": "2026-02", "precision": "month", "wording": None},
    "properties": {},
    "status": None,
    "note": None,
    "evidence": [
        {
            "id": "ev-118e84f1435c",
            "source": SOURCE_ID,
            "quote": "山姆・奥特曼及 OpenAI 的员工们罕见地跨越了阵营,站在了 Anthropic 这一边",
            "start": 1765,
            "end": 1810,
            "translation": "In a rare move, Sam Altman and OpenAI's employees crossed camps and sided "
            "with Anthropic",
            "speaker": {"type": "narration", "entity": None, "name": None, "via": None},
            "certainty": "stated",
            "date": {"value": "2026-02", "precision": "month", "wording": None},
            "values": {},
            "status": None,
        }
    ],
    "sources": 1,
    "independent": 1,
    "first_reported": "2026-02-28T15:30:00+08:00",
    "last_reported": "2026-02-28T15:30:00+08:00",
    "outlets": ["jiqizhixin"],
}


def example(value: Any) -> Responses:
    return {200: {"content": {"application/json": {"example": value}}}}


CLAIM_EXAMPLE = example(CLAIM)
CLAIMS_EXAMPLE = example([CLAIM])
CLAIM_PAGE_EXAMPLE = example({"items": [CLAIM], "next_cursor": encode("a", CLAIM["id"])})
STANCES_EXAMPLE = example([{"entity": ALTMAN, "claims": [CLAIM]}])
SEARCH_EXAMPLE = example(
    {
        "items": [{"entity": WAR, "matched": "五角大楼", "match": "exact", "score": 100.0}],
        "next_cursor": encode("o", 1),
    }
)
