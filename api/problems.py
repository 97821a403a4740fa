"""RFC 9457 problem details: every error the API returns is `application/problem+json`."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from stancegraph.open import Availability
from stancegraph.schema.errors import (
    AmbiguousNameError,
    Candidate,
    InvalidParameterError,
    NotFoundError,
    QueryRejectedError,
    QueryTimeoutError,
    QueryTooLargeError,
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
    UnsupportedError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "tag:stancegraph,2026:problem:"
RETRY_AFTER_SECONDS = 5


class ParameterError(BaseModel):
    parameter: str = Field(description="The query or path parameter at fault.", examples=["limit"])
    message: str = Field(examples=["Input should be less than or equal to 1000"])


class EntityCandidate(BaseModel):
    id: str = Field(examples=["pete-hegseth"])
    name: str = Field(examples=["Pete Hegseth"])


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(
        default="about:blank",
        description="Identifies the kind of problem.",
        examples=[TYPE_PREFIX + "invalid-parameter"],
    )
    title: str = Field(description="Short summary of the kind of problem.", examples=["Invalid parameter"])
    status: int = Field(description="The HTTP status code.", examples=[422])
    detail: str = Field(description="What went wrong this time.", examples=["limit: must be at most 1000"])
    instance: str = Field(description="The request path and query.", examples=["/v1/claims?limit=5000"])
    parameter: str | None = Field(default=None, description="The first parameter at fault, if any.")
    errors: list[ParameterError] | None = Field(default=None, description="Every parameter at fault.")
    candidates: list[EntityCandidate] | None = Field(
        default=None,
        description="Entities a name may have meant: those sharing an ambiguous name, or the closest "
        "to one that matches nothing.",
    )


def _instance(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[ParameterError] | None = None,
    headers: Mapping[str, str] | None = None,
    candidates: tuple[Candidate, ...] = (),
) -> Response:
    problem = Problem(
        type=TYPE_PREFIX + slug if slug else "about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=_instance(request),
        parameter=errors[0].parameter if errors else None,
        errors=errors,
        candidates=[EntityCandidate(id=c.id, name=c.name) for c in candidates] or None,
    )
    return Response(
        content=problem.model_dump_json(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _parameter_of(loc: tuple[int | str, ...]) -> str:
    """`("query", "limit")` -> "limit"; a body field keeps its dotted path."""
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in {"query", "path", "header", "body"} else []
    return ".".join(parts) or ".".join(str(p) for p in loc) or "request"


# The handlers are `async def` (they do no I/O) so that Starlette does not send them to the thread pool.


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        ParameterError(parameter=_parameter_of(tuple(e.get("loc", ()))), message=str(e.get("msg", "invalid")))
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e.parameter}: {e.message}" for e in errors)
    return problem_response(request, 422, detail, slug="invalid-parameter", errors=errors)


async def _on_invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidParameterError)
    errors = [ParameterError(parameter=exc.parameter, message=exc.message)]
    return problem_response(request, 422, str(exc), slug="invalid-parameter", errors=errors)


async def _on_not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFoundError)
    detail = f"{exc.parameter}: {exc}" if exc.parameter else str(exc)
    errors = [ParameterError(parameter=exc.parameter, message=str(exc))] if exc.parameter else None
    return problem_response(request, 404, detail, slug="not-found", errors=errors, candidates=exc.candidates)


async def _on_ambiguous(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AmbiguousNameError)
    errors = [ParameterError(parameter=exc.parameter, message=str(exc))]
    return problem_response(
        request, 422, str(exc), slug="ambiguous-name", errors=errors, candidates=exc.candidates
    )


async def _on_rejected(request: Request, exc: Exception) -> Response:
    return problem_response(request, 400, str(exc), slug="query-rejected")


async def _on_unsupported(request: Request, exc: Exception) -> Response:
    return problem_response(request, 501, str(exc), slug="unsupported")


async def _on_timeout(request: Request, exc: Exception) -> Response:
    return problem_response(request, 504, str(exc), slug="query-timeout")


async def _on_unavailable(request: Request, exc: Exception) -> Response:
    availability = getattr(request.app.state, "availability", None)
    detail = "the graph store is unavailable; retry shortly"
    if isinstance(availability, Availability):
        availability.mark_down(exc)  # the next requests fail fast instead of waiting as this one did
        detail = availability.describe(exc)
    return problem_response(
        request,
        503,
        detail,
        slug="store-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _on_too_large(request: Request, exc: Exception) -> Response:
    return problem_response(request, 400, str(exc), slug="query-too-large")


async def _on_busy(request: Request, exc: Exception) -> Response:
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return problem_response(request, 429, str(exc), slug="busy", headers=headers)


async def _on_store_error(request: Request, exc: Exception) -> Response:
    return problem_response(request, 502, str(exc), slug="store-error")


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if exc.status_code != 404 else f"no route {request.url.path}"
    return problem_response(request, exc.status_code, str(detail), headers=exc.headers)


# Anything else becomes a 500 in limits.CatchAll, which keeps the connection open (a handler for
# `Exception` here would run in Starlette's outermost middleware, which re-raises afterwards).


def install(app: FastAPI) -> None:
    handlers = {
        RequestValidationError: _on_validation,
        InvalidParameterError: _on_invalid,
        NotFoundError: _on_not_found,
        AmbiguousNameError: _on_ambiguous,
        QueryRejectedError: _on_rejected,
        UnsupportedError: _on_unsupported,
        QueryTimeoutError: _on_timeout,
        StoreUnavailableError: _on_unavailable,
        QueryTooLargeError: _on_too_large,
        StoreBusyError: _on_busy,
        StoreError: _on_store_error,
        StarletteHTTPException: _on_http,
    }
    for exc_class, handler in handlers.items():
        app.add_exception_handler(exc_class, handler)


Responses = dict[int | str, dict[str, Any]]

# What each error status means, for the OpenAPI document; every one is a Problem.
STATUS_MEANINGS: dict[int, str] = {
    400: "The request is refused: its Host is not one this server answers to (STANCEGRAPH_ALLOWED_HOSTS).",
    404: "No such entity, claim or source; `parameter` names it.",
    413: "The request body is larger than STANCEGRAPH_MAX_BODY_BYTES.",
    422: "A parameter is invalid or not one this operation takes; `parameter` and `errors` name it.",
    429: "Every slot for this kind of request is taken; see Retry-After.",
    500: "An unexpected error (logged on the server; the detail says nothing of its internals).",
    501: "The store serving the API does not offer this operation.",
    502: "The store answered with an error.",
    503: "The store is unreachable; see Retry-After.",
    504: "The store query ran past STANCEGRAPH_QUERY_TIMEOUT and was cancelled.",
}
# Statuses any operation may answer (the Host check, unknown query parameters, the catch-all),
# and those of any operation that asks the store.
EVERY_OPERATION = (400, 422, 500)
STORE_CALL = (502, 503, 504)


def problem_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def responses(
    *statuses: int, ok: dict[str, Any] | None = None, meanings: Mapping[int, str] | None = None
) -> Responses:
    """The `responses=` of an operation: `ok` for its 200 when it is not the default JSON, and a
    problem+json response for each of `statuses` and EVERY_OPERATION's (`meanings` overrides
    STATUS_MEANINGS for this operation). The one place the API's error responses are documented."""
    described = {**STATUS_MEANINGS, **(meanings or {})}
    documented: Responses = {200: ok} if ok is not None else {}
    for status in sorted({*EVERY_OPERATION, *statuses}):
        documented[status] = problem_content(described[status])
    return documented


UNAVAILABLE: Responses = responses(*STORE_CALL)
COMMON = UNAVAILABLE
WITH_404: Responses = responses(404, *STORE_CALL)


def add_problem_schemas(schema: dict[str, Any]) -> dict[str, Any]:
    """Register Problem (referenced by the error responses) in an OpenAPI document."""
    generated = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = generated.pop("$defs", {})
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(defs)
    schemas["Problem"] = generated
    return schema
