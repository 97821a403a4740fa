"""Typed errors shared by schema/, graph/ and api/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in the seeds, located as precisely as the input allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class StanceGraphError(Exception):
    """Base class of every error this package raises on purpose."""


class SeedValidationError(StanceGraphError):
    """The seeds failed validation; `issues` lists every problem found, not just the first."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.field, i.message))
        count = len(self.issues)
        summary = "\n".join(str(i) for i in self.issues[:50])
        more = f"\n... and {count - 50} more" if count > 50 else ""
        super().__init__(f"{count} problem(s) in the seeds:\n{summary}{more}")


@dataclass(frozen=True)
class Candidate:
    """An entity an unknown or ambiguous name may have meant: its id and its display name."""

    id: str
    name: str

    def __str__(self) -> str:
        return self.id if self.name == self.id else f"{self.id} ({self.name})"


def _listed(candidates: tuple[Candidate, ...]) -> str:
    return ", ".join(str(c) for c in candidates)


class NotFoundError(StanceGraphError):
    """An id (for entities: an id, name or alias) that names nothing in the graph; `candidates`
    are the closest entities, for "did you mean"."""

    def __init__(
        self, what: str, ident: str, parameter: str | None = None, candidates: tuple[Candidate, ...] = ()
    ) -> None:
        self.what = what
        self.ident = ident
        self.parameter = parameter
        self.candidates = candidates
        named = "id, name or alias" if what == "entity" else "id"
        hint = f"; did you mean {_listed(candidates)}?" if candidates else ""
        super().__init__(f"no {what} with {named} {ident!r}{hint}")


class AmbiguousNameError(StanceGraphError):
    """A name or alias that several entities share: the caller must pick one by id."""

    def __init__(self, parameter: str, name: str, candidates: tuple[Candidate, ...]) -> None:
        self.parameter = parameter
        self.name = name
        self.candidates = candidates
        super().__init__(
            f"{parameter}: {name!r} names {len(candidates)} entities: {_listed(candidates)}; give one by id"
        )


class InvalidParameterError(StanceGraphError):
    """A query parameter with a value the graph cannot answer for."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")


class StoreUnavailableError(StanceGraphError):
    """The backing database cannot be reached right now."""


class QueryRejectedError(StanceGraphError):
    """A user-supplied query that is not allowed (e.g. a write through the read-only endpoint)."""


class UnsupportedError(StanceGraphError):
    """An operation this store does not offer (e.g. Cypher on the embedded store)."""


class QueryTimeoutError(StanceGraphError):
    """A query that ran past its time limit and was cancelled."""


class QueryTooLargeError(StanceGraphError):
    """A query that needs more memory than the database allows one transaction."""


class StoreBusyError(StanceGraphError):
    """Every slot for this kind of request is taken (e.g. user Cypher); retry shortly."""


class StoreError(StanceGraphError):
    """The database failed on its side (not the request's fault, and not a timeout)."""


class ConflictError(StanceGraphError):
    """A write that would replace something different already there (an id another text has)."""
