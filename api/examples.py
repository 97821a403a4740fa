"""Examples for /docs, taken from the graph the API serves: the entity most claims name, the
best-sourced claim, the best-sourced rivalry (graph/picks.py), never a dataset's ids; and the
vocabulary's kinds and predicates as the enums of the parameters that take them. They are
filled into the OpenAPI document when it is first built with a store open."""

from __future__ import annotations

from typing import Any

from stancegraph.api.cursor import encode
from stancegraph.graph import picks
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import StanceGraphError

# Parameters named so take an entity id, a claim id or a source id: which pick shows them.
_ENTITY_PARAMETERS = {"entity_id", "subject", "a", "entity", "from"}
_OTHER_END_PARAMETERS = {"object", "b", "to"}


def fill(schema: dict[str, Any], store: GraphStore) -> bool:
    """Put examples from `store` into the OpenAPI `schema`; False (and nothing filled) when the
    store cannot answer now or holds nothing to show."""
    try:
        found = _examples(store)
    except StanceGraphError:
        return False
    if found is None:
        return False
    values, responses = found
    kinds = store.vocabulary.kinds
    allowed = {"kind": sorted(kinds), "predicate": sorted(store.vocabulary.predicates)}
    actor_kinds = sorted(k for k, v in kinds.items() if v.actor)
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                value = values.get(parameter.get("name"))
                if value is not None and not _takes_date(parameter["schema"]):
                    parameter["example"] = value
                if parameter.get("name") in allowed:
                    # A parameter marked x-actor-kinds (coalitions) takes actor kinds only.
                    actors = parameter["schema"].get("x-actor-kinds", False)
                    _enumerate(parameter["schema"], actor_kinds if actors else allowed[parameter["name"]])
            example = responses.get(path)
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            if example is not None and "application/json" in content:
                content["application/json"]["example"] = example
    return True


def _enumerate(schema: dict[str, Any], values: list[str]) -> None:
    """Give a free string parameter (`kind`, `predicate`), or a list of them, the vocabulary's
    values as its enum, so the document says which are valid; one with an enum keeps it."""
    for branch in schema.get("anyOf", [schema]):
        target = branch.get("items", {}) if branch.get("type") == "array" else branch
        if target.get("type") == "string" and "enum" not in target:
            target["enum"] = values


def _takes_date(schema: dict[str, Any]) -> bool:
    """A date parameter (`from` of /v1/coalitions/compare) gets no entity id as its example."""
    return any(branch.get("format") == "date" for branch in schema.get("anyOf", [schema]))


def _examples(store: GraphStore) -> tuple[dict[str, str], dict[str, Any]] | None:
    centre = picks.central_entity(store)
    claim = picks.best_sourced(store)
    if centre is None or claim is None:
        return None
    pair = picks.rivals(store) or (claim.subject.id, claim.object.id)
    sources = store.sources()
    entity = store.entity(centre).entity
    values = {name: centre for name in _ENTITY_PARAMETERS}
    values |= {name: claim.object.id for name in _OTHER_END_PARAMETERS}
    values |= {"from": pair[0], "to": pair[1], "claim_id": claim.id, "q": entity.names.zh or entity.names.en}
    if sources:
        values["source_id"] = sources[0].source.id
    view = claim.model_dump(mode="json")
    hits = store.search(values["q"], limit=1)
    supporters = store.supporters(centre)[:1]
    responses: dict[str, Any] = {
        "/v1/claims/{claim_id}": store.claim_detail(claim.id).model_dump(mode="json"),
        "/v1/claims": {"items": [view], "next_cursor": encode("a", claim.id)},
        "/v1/between": [view],
        "/v1/timeline": [view],
        "/v1/entities/{entity_id}/supporters": [s.model_dump(mode="json") for s in supporters],
        "/v1/entities": {"items": [h.model_dump(mode="json") for h in hits], "next_cursor": encode("o", 1)},
    }
    conflicts = store.conflicts(limit=1)
    if conflicts:
        responses["/v1/conflicts"] = {
            "items": [c.model_dump(mode="json") for c in conflicts],
            "next_cursor": encode("a", conflicts[0].id),
        }
    return values, responses
