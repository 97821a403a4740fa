"""Limits on what one request may take: its body, its headers and how slowly it arrives, the hosts
it may name, how long its store call may run, and how many user Cypher queries run at once."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from stancegraph.api.problems import RETRY_AFTER_SECONDS, problem_response
from stancegraph.schema.errors import QueryTimeoutError, StoreBusyError

MAX_BODY_BYTES = 64 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
log = logging.getLogger("stancegraph.api")

P = ParamSpec("P")
R = TypeVar("R")


class BodySizeLimit:
    """Refuses a body over `max_bytes` with 413: at once when Content-Length says so, else as it streams."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = problem_response(Request(scope), 413, self._message())
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited_receive, send)

    def _message(self) -> str:
        return f"the request body is larger than {self.max_bytes} bytes"


# --- hosts --------------------------------------------------------------------------------------


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` -> `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class TrustedHosts:
    """Refuses a request whose Host is not one of `allowed` (400 problem+json): a web page that
    rebinds its own name to 127.0.0.1 still sends that name, so it cannot reach the API."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        host = host_name(Headers(scope=scope).get("host", ""))
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        detail = (
            f"Host {host or '(none)'!r} is not served here; add it to STANCEGRAPH_ALLOWED_HOSTS "
            f"(now {sorted(self.allowed)})"
        )
        await problem_response(Request(scope), 400, detail, slug="untrusted-host")(scope, receive, send)


# --- errors nobody expected ---------------------------------------------------------------------


class CatchAll:
    """Turns any exception a route did not map into a 500 problem+json, logged with its traceback.

    Starlette's own handler for `Exception` answers and then re-raises, so the server drops the
    keep-alive connection; here the exception ends with the response.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error in %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # part of a response is out; only closing the connection can say so
            response = problem_response(Request(scope), 500, "an unexpected error occurred")
            await response(scope, receive, send)


# --- time ---------------------------------------------------------------------------------------

_DEADLINE: ContextVar[float | None] = ContextVar("stancegraph_deadline", default=None)


class RequestDeadline:
    """Gives every request the deadline its store calls must meet (`in_thread`)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _DEADLINE.set(self.seconds)
        try:
            await self.app(scope, receive, send)
        finally:
            _DEADLINE.reset(token)


def _late(seconds: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"the store did not answer within {seconds:g} s (STANCEGRAPH_QUERY_TIMEOUT); it was cancelled"
    )


async def in_thread(call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a store call (blocking I/O) on the thread pool, off the event loop, within the request's
    deadline: past it the request answers 504 whatever the store does (the thread is left to end)."""
    deadline = _DEADLINE.get()
    job = functools.partial(call, *args, **kwargs)
    if deadline is None:
        return await anyio.to_thread.run_sync(job)
    with anyio.move_on_after(deadline):
        return await anyio.to_thread.run_sync(job, abandon_on_cancel=True)
    raise _late(deadline)


class CypherSlots:
    """At most `size` user Cypher queries at once, on threads of their own, so slow queries can
    never take the threads the other routes answer from. A slot stays taken until the query
    really returns, even after its request got a 504 at the deadline; with every slot taken a
    new query is refused at once (429) rather than queued."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = threading.BoundedSemaphore(size)
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="stancegraph-cypher")

    async def run(self, deadline: float, call: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        if not self._free.acquire(blocking=False):
            raise StoreBusyError(
                f"{self.size} Cypher queries are running already (STANCEGRAPH_CYPHER_CONCURRENCY); "
                "retry shortly"
            )
        try:
            future = self._pool.submit(call, *args, **kwargs)
        except BaseException:
            self._free.release()
            raise
        future.add_done_callback(lambda _: self._free.release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), deadline)
        except TimeoutError:
            raise _late(deadline) from None


class AdmissionLimit:
    """At most `limit` requests to `path` in the works at once (body parsing and checks included);
    past it a request gets 429 before any of its body is read. A burst of heavy requests then
    costs the event loop a bounded amount of work, and the other routes keep answering."""

    def __init__(self, app: ASGIApp, path: str, limit: int) -> None:
        self.app = app
        self.path = path
        self.limit = limit
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            detail = f"{self.limit} requests to {self.path} are in progress already; retry shortly"
            headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            response = problem_response(Request(scope), 429, detail, slug="busy", headers=headers)
            await response(scope, receive, send)
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


# --- the HTTP connection ------------------------------------------------------------------------


def guarded_http(max_header_bytes: int, client_timeout: float) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with two bounds it lacks: the bytes of a request's head
    (431 above) and the seconds a client may take to send a whole request (then it is closed)."""

    class GuardedHttpTools(HttpToolsProtocol):
        _head_bytes = 0
        _in_head = True
        _timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._in_head:
                self._head_bytes += len(data)
                if self._head_bytes > max_header_bytes:
                    self._refuse(431, f"the request head is larger than {max_header_bytes} bytes")
                    return
            if self._timer is None:
                self._arm()
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()
            self._in_head, self._head_bytes = True, 0
            super().on_message_complete()

        def _arm(self) -> None:
            self._timer = self.loop.call_later(client_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _too_slow(self) -> None:
            self._timer = None
            if self.cycle is None or self.cycle.response_complete:
                if not self.transport.is_closing():
                    self._refuse(408, f"the request did not arrive within {client_timeout:g} s")
            elif not self.cycle.response_started:
                self.transport.close()

        def _refuse(self, status: int, message: str) -> None:
            from http import HTTPStatus

            body = message.encode()
            head = (
                f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                "content-type: text/plain; charset=utf-8\r\n"
                f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
            )
            self.transport.write(head.encode() + body)
            self.transport.close()

    return GuardedHttpTools
