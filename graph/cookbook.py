"""The Cypher cookbook: named read queries kept in cookbook.yaml, rendered into docs/cypher.md.

A parameter's default is a value, or `{pick: NAME}`: an entity or claim picked from the loaded
graph (`graph.picks`), so no recipe names a dataset's ids. `python -m stancegraph.graph.cookbook`
rewrites docs/cypher.md with the picks of the shipped seeds; a test fails when it is stale.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from stancegraph.graph.picks import PICKS
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import InvalidParameterError

COOKBOOK_PATH = Path(__file__).with_name("cookbook.yaml")


class Recipe(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    title: str
    about: str
    params: dict[str, Any]
    cypher: str

    def bind(self, overrides: dict[str, str], store: GraphStore) -> dict[str, Any]:
        """The recipe's parameters: `overrides`, else the defaults (picks made in `store`);
        unknown names are refused."""
        unknown = sorted(set(overrides) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise InvalidParameterError(
                unknown[0], f"{self.name} takes no parameter {unknown[0]!r} (its parameters: {known})"
            )
        return {
            key: overrides[key] if key in overrides else _default(value, store)
            for key, value in self.params.items()
        }

    def picks(self) -> dict[str, str]:
        """The parameters whose default is picked from the graph, and the pick's name."""
        return {key: value["pick"] for key, value in self.params.items() if _is_pick(value)}

    @model_validator(mode="after")
    def _known_picks(self) -> Recipe:
        for key, pick in self.picks().items():
            if pick not in PICKS:
                raise ValueError(f"{self.name}.params.{key}: no pick {pick!r}; known: {', '.join(PICKS)}")
        return self


def _is_pick(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"pick"}


def _default(value: Any, store: GraphStore) -> Any:
    return PICKS[value["pick"]](store) if _is_pick(value) else value


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


def render_markdown(store: GraphStore) -> str:
    """The cookbook page, its picked defaults made in `store` (the shipped seeds, for the docs)."""
    lines = [
        "# Cypher cookbook",
        "",
        "Read queries over the Neo4j shape described in [neo4j.md](neo4j.md). Each runs as written",
        "in Neo4j Browser (set the parameters first with `:params`), through",
        "`stancegraph cypher NAME --param key=value`, or through `POST /v1/cypher`. A test runs",
        "every one on the seed graph and checks its answer. This page is generated from",
        "`graph/cookbook.yaml` (`python -m stancegraph.graph.cookbook`). Defaults marked *picked* are",
        "chosen from the loaded graph (the entity most claims name, the best-sourced claim, ...); the",
        "values shown are those of the shipped seeds.",
        "",
    ]
    for item in recipes().values():
        lines += [f"## {item.title}", "", item.about, "", f"`stancegraph cypher {item.name}`", ""]
        if item.params:
            lines += ["```", f":params {cypher_map(item.bind({}, store))}", "```", ""]
            picked = [f"`{key}` is picked: {pick.replace('_', ' ')}" for key, pick in item.picks().items()]
            if picked:
                lines += ["; ".join(picked) + ".", ""]
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
    from stancegraph.graph.memory import MemoryStore
    from stancegraph.schema.validate import validate_seeds

    seeds = validate_seeds(Path(__file__).resolve().parents[1] / "seeds")
    DOC_PATH.write_text(render_markdown(MemoryStore(seeds)), encoding="utf-8")
    print(DOC_PATH)
