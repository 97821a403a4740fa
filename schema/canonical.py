"""Canonical JSON: the one encoding that claim ids, content hashes and snapshot checksums are
computed from, so equal data always gives equal text, ids and hashes.

Keys are sorted and non-ASCII characters kept as they are. The separators are json's defaults
(", " and ": "): claim ids with qualifiers carry a digest of this text and are published (in the
seeds, in URLs), so the encoding may not change.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(data: Any) -> str:
    """JSON text of `data` with sorted keys: equal data, equal text."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def content_hash(data: Any) -> str:
    """sha256 (hex) of the canonical JSON of `data`."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
