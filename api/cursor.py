"""Opaque page cursors: url-safe base64 of a tiny JSON object.

`{"o": offset}` pages a ranked search; `{"a": last_id}` pages a listing ordered by id.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Literal

from stancegraph.schema.errors import InvalidParameterError

CursorKey = Literal["o", "a"]
MAX_CURSOR_CHARS = 512


def encode(key: CursorKey, value: int | str) -> str:
    raw = json.dumps({key: value}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(cursor: str, key: CursorKey) -> object:
    if len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidParameterError("cursor", "is too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidParameterError("cursor", "is not a cursor this API issued") from None
    if not isinstance(data, dict) or set(data) != {key}:
        raise InvalidParameterError("cursor", "belongs to a different kind of listing")
    return data[key]


# An empty `cursor=` is the first page, as if absent: a client that echoes a null `next_cursor`
# as an empty string (and the OpenAPI document, which allows any string) expect that.


def decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    value = _decode(cursor, "o")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidParameterError("cursor", "holds no valid offset")
    return value


def decode_after(cursor: str | None) -> str | None:
    if not cursor:
        return None
    value = _decode(cursor, "a")
    if not isinstance(value, str) or not value:
        raise InvalidParameterError("cursor", "holds no valid position")
    return value
