"""Fuzzing: schemathesis against the API's own OpenAPI document (both stores), and Hypothesis
properties for seed validation, search and the Cypher text check: never a crash, always a typed error.

Example counts are bounded so the default run stays short; raise FUZZ_EXAMPLES for a longer hunt.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancegraph.api.app import create_app
from stancegraph.graph.cypher_check import check_statement
from stancegraph.graph.store import GraphStore
from stancegraph.schema.errors import InvalidParameterError, QueryRejectedError, SeedValidationError
from stancegraph.schema.models import SeedSet
from stancegraph.schema.validate import validate_seeds
from stancegraph.settings import Settings
from tests.conftest import SEEDS

# Minutes of examples in all: not the fast `unit` loop.
pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# --- schemathesis -------------------------------------------------------------------------------


def _app(store: GraphStore) -> FastAPI:
    return create_app(Settings(seeds=SEEDS, store=store.kind), store=store)


def _operations() -> list[str]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(seeds=SEEDS)))
    return sorted(_operation(result).label for result in schema.get_all_operations())


def _operation(result: Any) -> Any:
    """The operation of a schema's result (an Ok; a schema error would fail here, loudly)."""
    return result.ok()


OPERATIONS = _operations()


NO_CYPHER = "POST /v1/cypher"  # the memory store answers 501 Not Implemented, as documented

# Schema-valid values the graph still refuses, each a 422 naming it: an opaque cursor the API did
# not issue, a search without letters, an id the data does not hold (kinds and predicates are
# enums from the vocabulary in the document, api/examples.py), the pairs
# the schema cannot relate (a == b, from == to, until before since), and a Cypher parameter Neo4j
# cannot store (an integer past 64 bits). A schema-valid request is refused for nothing else
# (`_only_data_refusals`, with positive_data_acceptance).
DATA_PARAMETERS = {"cursor", "q", "a", "b", "from", "to", "until", "since", "params"}


# Any string is a schema-valid Cypher query; one Neo4j cannot parse, or that is not read-only, is
# refused as such (400 query-rejected), never otherwise.
QUERY_REJECTED = "tag:stancegraph,2026:problem:query-rejected"


def _only_data_refusals(ctx: Any, response: Any, case: Any) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code == 422:
        named = {e["parameter"].split(".", 1)[0] for e in response.json().get("errors", [])}  # params.x
        assert named and named <= DATA_PARAMETERS, f"a schema-valid request was refused: {response.text}"
    if response.status_code == 400:
        assert case.operation.label == NO_CYPHER, response.text
        assert response.json()["type"] == QUERY_REJECTED, response.text
    return None


def _fuzz_operation(store: GraphStore, label: str) -> None:
    """Every check schemathesis has: no 5xx; status, content type, headers and body as documented;
    schema-valid requests accepted, invalid ones rejected."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", _app(store))
    checks = schema.config.checks
    checks.positive_data_acceptance.expected_statuses = [
        *checks.positive_data_acceptance.expected_statuses,
        "422",  # only for DATA_PARAMETERS: _only_data_refusals checks which parameter
        *(["400"] if label == NO_CYPHER else []),  # only a refused query text, checked likewise
    ]
    if store.kind == "memory" and label == NO_CYPHER:
        # Documented and expected here: not a server error but the store's answer.
        checks.not_a_server_error.expected_statuses = ["2xx", "3xx", "4xx", "501"]
    operation = next(op for op in map(_operation, schema.get_all_operations()) if op.label == label)

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(additional_checks=[_only_data_refusals])

    run()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_api_memory_store(memory_store: GraphStore, operation: str) -> None:
    _fuzz_operation(memory_store, operation)


@pytest.mark.neo4j
@pytest.mark.parametrize("operation", OPERATIONS)
def test_api_neo4j_store(neo4j_store: GraphStore, operation: str) -> None:
    _fuzz_operation(neo4j_store, operation)


# --- Hypothesis: seed validation ------------------------------------------------------------------

FIELDS = [
    "sources",
    "entities",
    "claims",
    "id",
    "kind",
    "names",
    "en",
    "zh",
    "aliases",
    "subject",
    "predicate",
    "object",
    "date",
    "evidence",
    "source",
    "quote",
    "start",
    "end",
    "translation",
    "speaker",
    "type",
    "certainty",
    "properties",
    "value",
    "qualifiers",
    "sha256",
    "path",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["anthropic", "openai", "supports", "company", "2026-02", "narration", "stated"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=30,
)


def _validate_file(folder: Path, data: bytes) -> None:
    """Validation of the shipped seeds plus one file: a SeedSet or a SeedValidationError, never else."""
    (folder / "extra.yaml").write_bytes(data)
    try:
        result = validate_seeds(folder)
    except SeedValidationError as exc:
        assert exc.issues and all(isinstance(i.message, str) and i.file for i in exc.issues)
    else:
        assert isinstance(result, SeedSet)


@pytest.fixture(scope="module")
def fuzz_seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    import shutil

    folder = tmp_path_factory.mktemp("fuzz") / "seeds"
    shutil.copytree(SEEDS, folder)
    yield folder


@FUZZ
@given(data=documents)
def test_validation_of_any_yaml_structure(fuzz_seeds: Path, data: Any) -> None:
    _validate_file(
        fuzz_seeds, yaml.safe_dump({"entities": [data], "claims": [data]}, allow_unicode=True).encode()
    )


@FUZZ
@given(text=st.text(max_size=300))
def test_validation_of_any_text(fuzz_seeds: Path, text: str) -> None:
    _validate_file(fuzz_seeds, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=300))
def test_validation_of_any_bytes(fuzz_seeds: Path, data: bytes) -> None:
    _validate_file(fuzz_seeds, data)


# --- Hypothesis: search and the Cypher text check -----------------------------------------------------


def _search(store: GraphStore, q: str, kind: str | None, limit: int, offset: int) -> None:
    try:
        hits = store.search(q, kind=kind, limit=limit, offset=offset)
    except InvalidParameterError as exc:
        assert exc.parameter
    else:
        assert isinstance(hits, list) and len(hits) <= limit


search_args = {
    "q": st.text(max_size=60),
    "kind": st.one_of(st.none(), st.sampled_from(["company", "person", "spaceship", ""])),
    "limit": st.integers(min_value=-2, max_value=120),
    "offset": st.integers(min_value=-2, max_value=50),
}


@FUZZ
@given(**search_args)
def test_search_memory_never_crashes(
    memory_store: GraphStore, q: str, kind: str | None, limit: int, offset: int
) -> None:
    _search(memory_store, q, kind, limit, offset)


@pytest.mark.neo4j
@FUZZ
@given(**search_args)
def test_search_neo4j_never_crashes(
    neo4j_store: GraphStore, q: str, kind: str | None, limit: int, offset: int
) -> None:
    _search(neo4j_store, q, kind, limit, offset)


@FUZZ
@given(q=st.text(max_size=60))
def test_search_endpoint_is_200_or_422(memory_store: GraphStore, q: str) -> None:
    with TestClient(_app(memory_store)) as client:
        response = client.get("/v1/entities", params={"q": q})
    assert response.status_code in {200, 422}, response.text


@FUZZ
@given(
    query=st.text(
        alphabet=st.sampled_from(list("CREATE LOAD CSV ;'\"`/*\\u0027\n")) | st.characters(), max_size=80
    )
)
def test_cypher_text_check_never_crashes(query: str) -> None:
    try:
        check_statement(query)
    except QueryRejectedError as exc:
        assert str(exc)
