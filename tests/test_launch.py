"""stancegraph.launch, the one way tests and benchmarks start the API."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from stancegraph import launch

PRINT_SETTINGS = "import os; print(sorted(k for k in os.environ if k.startswith('STANCEGRAPH_')))"


def test_free_port_can_be_bound() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", launch.free_port()))


def test_a_server_that_exits_is_reported_with_its_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The failure quotes what the process printed, and the process saw only the settings it
    was given (the developer's own STANCEGRAPH_* stay out) plus its port."""
    monkeypatch.setenv("STANCEGRAPH_STORE", "neo4j")
    command = [sys.executable, "-c", PRINT_SETTINGS]
    with (
        pytest.raises(RuntimeError, match=r"exited with 0:\n\['STANCEGRAPH_PORT', 'STANCEGRAPH_SEEDS'\]"),
        launch.api_process(launch.free_port(), {"STANCEGRAPH_SEEDS": "/nowhere"}, command),
    ):
        pass


def test_a_server_that_never_answers_is_stopped(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    command = [
        sys.executable,
        "-c",
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "print('no HTTP here', flush=True)\ntime.sleep(60)",
    ]
    with (
        pytest.raises(RuntimeError, match=r"did not answer within 1 s:\nno HTTP here"),
        launch.api_process(launch.free_port(), command=command, timeout=1),
    ):
        pass
    with pytest.raises(ProcessLookupError):  # terminated and reaped, not left running
        os.kill(int(pid_file.read_text()), 0)
