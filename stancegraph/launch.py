"""Start the API for the tests and the benchmarks: a free port, then the API served in a thread
of this process or in a process of its own, handed over once ``/v1/health`` answers.

The one home of that knowledge, so the tests and ``bench`` start servers the same way.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from stancegraph.graph.store import GraphStore
    from stancegraph.settings import Settings

__all__ = ["API_MODULE", "api_process", "api_thread", "free_port"]

API_MODULE = [sys.executable, "-m", "stancegraph.api"]
"""The API as `python -m stancegraph.api` serves it: settings (the port too) from the environment."""

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/v1/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):  # not listening yet, or still loading the store
        return False


def _tail(log: IO[bytes], lines: int = 30) -> str:
    log.seek(0)
    return "\n".join(log.read().decode(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def api_process(
    port: int,
    env: Mapping[str, str] | None = None,
    command: Sequence[str] = API_MODULE,
    timeout: float = 60,
) -> Iterator[str]:
    """Run `command` (by default the API with STANCEGRAPH_PORT=`port`) in its own process and
    yield its base URL once /v1/health answers 200; it is terminated (killed if it lingers)
    on exit. Its output goes to a temporary file, quoted in the error when it does not start.

    Its settings are `env` only: this process's STANCEGRAPH_* variables are left out, so a
    developer's own settings (a store, a timeout) never change what a test or benchmark serves."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("STANCEGRAPH_")}
    process_env = {**inherited, **(env or {}), "STANCEGRAPH_PORT": str(port)}
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(list(command), env=process_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(base):
                if process.poll() is not None:
                    raise RuntimeError(f"the API exited with {process.returncode}:\n{_tail(log)}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the API did not answer within {timeout:g} s:\n{_tail(log)}")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def api_thread(settings: Settings, store: GraphStore, port: int, log_level: str = "warning") -> Iterator[str]:
    """The API over `store` served as `stancegraph serve` serves it (uvicorn with the guarded
    HTTP protocol) in a thread of this process on 127.0.0.1:`port`; yields its base URL."""
    import uvicorn

    from stancegraph.api.app import create_app, uvicorn_options

    options = uvicorn_options(settings) | {"host": HOST, "port": port, "log_level": log_level}
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store=store), lifespan="on", **options))
    thread = threading.Thread(target=server.run, name="uvicorn-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
