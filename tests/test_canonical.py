"""One canonical JSON encoding feeds claim ids, content hashes and checksums."""

from __future__ import annotations

from stancegraph.graph.export import snapshot_checksum
from stancegraph.schema.canonical import canonical_json, content_hash
from stancegraph.schema.models import SeedSet, claim_id


def test_equal_data_equal_text_whatever_the_key_order() -> None:
    assert canonical_json({"b": 1, "a": ["公司", 2]}) == canonical_json({"a": ["公司", 2], "b": 1})
    assert "公司" in canonical_json({"a": "公司"})  # kept as written, not \\u-escaped


def test_a_qualified_claim_id_digests_the_canonical_encoding() -> None:
    qualifiers = {"scope": "unclassified", "instrument": "executive order"}
    ident = claim_id("openai", "contracts_with", "us-department-of-war", qualifiers)
    assert ident == "openai.contracts_with.us-department-of-war." + content_hash(qualifiers)[:8]


def test_the_snapshot_checksum_is_the_content_hash(seeds: SeedSet) -> None:
    assert snapshot_checksum(seeds) == content_hash(seeds.model_dump(mode="json"))
