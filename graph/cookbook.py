"""The Cypher cookbook: named read queries kept in cookbook.yaml, rendered into docs/cypher.md.

`python -m stancegraph.graph.cookbook` rewrites docs/cypher.md; a test fails when it is stale.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from stancegraph.schema.errors import InvalidParameterError

COOKBOOK_PATH = Path(__file__).with_name("cookbook.yaml")


class Recipe(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    title: str
    about: str
    params: dict[str, Any]
    cypher: str

    def bind(self, overrides: dict[str, str]) -> dict[str, Any]:
        """The recipe's default parameters with `overrides` applied; unknown names are refused."""
        unknown = sorted(set(overrides) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise InvalidParameterError(
                unknown[0], f"{self.name} takes no parameter {unknown[0]!r} (its parameters: {known})"
            )
        return {**self.params, **overrides}


@cache
def recipes() -> dict[str, Recipe]:
    with COOKBOOK_PATH.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)["queries"]
    return {name: Recipe(name=name, **body) for name, body in raw.items()}


def recipe(name: str) -> Recipe:
    found = recipes().get(name)
    if found is None:
        raise InvalidParameterError("name", f"no cookbook query {name!r}; known: {', '.join(recipes())}")
    return found


def render_markdown() -> str:
    lines = [
        "# Cypher cookbook",
        "",
        "Read queries over the Neo4j shape described in [neo4j.md](neo4j.md). Each runs as written",
        "in Neo4j Browser (set the parameters first with `:params`), through",
        "`stancegraph cypher NAME --param key=value`, or through `POST /v1/cypher`. A test runs",
        "every one on the seed graph and checks its answer. This page is generated from",
        "`graph/cookbook.yaml` (`python -m stancegraph.graph.cookbook`).",
        "",
    ]
    for item in recipes().values():
        lines += [f"## {item.title}", "", item.about, "", f"`stancegraph cypher {item.name}`", ""]
        if item.params:
            lines += ["```", f":params {cypher_map(item.params)}", "```", ""]
        lines += ["```cypher", item.cypher.rstrip(), "```", ""]
    return "\n".join(lines)


def cypher_map(params: dict[str, Any]) -> str:
    """Parameters as a Cypher map literal, the form Browser's `:params` takes."""
    parts = [
        f"`{key}`: {json.dumps(value, ensure_ascii=False) if value is not None else 'null'}"
        for key, value in params.items()
    ]
    return "{" + ", ".join(parts) + "}"


DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "cypher.md"

if __name__ == "__main__":
    DOC_PATH.write_text(render_markdown(), encoding="utf-8")
    print(DOC_PATH)
