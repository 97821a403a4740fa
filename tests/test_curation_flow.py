"""A new article to served claims with the curation tools alone: `source add`, `suggest --write`,
an edit, `accept`, `validate`, then the API; no offsets or hashes written by hand."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stancegraph import cli
from stancegraph.api.app import create_app
from stancegraph.graph.memory import MemoryStore
from stancegraph.schema.validate import validate_seeds
from tests.conftest import SEEDS

# Two sentences naming entities the seeds know, each with a cue of a predicate.
TEXT = (
    "OpenAI said on Friday it supports Anthropic in its dispute with the Pentagon.\n"
    "Donald Trump banned Anthropic from federal agencies, the White House said.\n"
)


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli.app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_article_becomes_served_claims(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    added = invoke(
        "source", "add", str(article), "--outlet", "Example Ledger", "--title", "OpenAI backs Anthropic",
        "--published", "2026-03-02", "--seeds", str(seeds),
    )  # fmt: skip
    source_id = added.strip().splitlines()[-1]
    assert (seeds / "sources" / f"{source_id}.yaml").is_file()

    draft = tmp_path / "draft.yaml"
    invoke("suggest", source_id, "--write", str(draft), "--seeds", str(seeds))
    proposed: dict[str, Any] = yaml.safe_load(draft.read_text(encoding="utf-8"))
    # The curator's review: keep the support, reject everything else (new entities included).
    kept = [c for c in proposed["claims"] if c["predicate"] == "supports"]
    assert kept, f"no support proposed: {[c['id'] for c in proposed['claims']]}"
    for claim in kept:
        for evidence in claim["evidence"]:
            evidence.pop("start", None), evidence.pop("end", None)  # accept locates the quotes
    draft.write_text(yaml.safe_dump({"claims": kept}, allow_unicode=True, sort_keys=False), encoding="utf-8")

    merged = invoke("accept", str(draft), "--seeds", str(seeds))
    assert f"{len(kept)} claim(s)" in merged or "evidence" in merged, merged
    invoke("validate", "--seeds", str(seeds))

    client = TestClient(create_app(store=MemoryStore(validate_seeds(seeds))))
    served = client.get("/v1/claims", params={"source": source_id})
    assert served.status_code == 200, served.text
    by_id = {c["id"]: c for c in served.json()["items"]}
    for claim in kept:
        evidence = [e for e in by_id[claim["id"]]["evidence"] if e["source"] == source_id]
        assert [e["quote"] for e in evidence] == [e["quote"] for e in claim["evidence"]]
        for e in evidence:  # offsets point at the quote in the captured text
            assert TEXT[e["start"] : e["end"]] == e["quote"]
    assert client.get(f"/v1/sources/{source_id}/text").text == TEXT
