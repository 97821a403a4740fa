"""Build hygiene: the wheel ships every file of the mapped folders, setuptools has nothing to warn
about, pytest turns warnings into errors, and the fast `unit` selection never needs Neo4j."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from stancegraph.settings import PROJECT_ROOT

# The import package's folders (setuptools' package-dir in pyproject.toml).
PACKAGE_DIRS = {
    "stancegraph": "stancegraph",
    "schema": "stancegraph/schema",
    "graph": "stancegraph/graph",
    "api": "stancegraph/api",
}

BUILD_WHEEL = """
import sys
from setuptools import build_meta
print(build_meta.build_wheel(sys.argv[1]))
"""


def tracked_files(folder: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", folder], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel setuptools builds from the project (as `pip install .` and the Docker image do),
    and everything the build printed on stderr, where setuptools writes its warnings."""
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-W", "always", "-c", BUILD_WHEEL, str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    return out / build.stdout.split()[-1], build.stderr


def test_the_wheel_ships_every_file_of_the_package_folders(built_wheel: tuple[Path, str]) -> None:
    wheel, _ = built_wheel
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    expected = {
        f"{PACKAGE_DIRS[folder]}/{path.removeprefix(folder + '/')}"
        for folder in PACKAGE_DIRS
        for path in tracked_files(folder)
    }
    assert not expected - shipped, "add the folders to [tool.setuptools] packages in pyproject.toml"


def test_setuptools_builds_without_a_warning(built_wheel: tuple[Path, str]) -> None:
    _, printed = built_wheel
    warnings = [line for line in printed.splitlines() if "Warning" in line]
    assert not warnings, "\n".join(warnings)


@pytest.mark.slow  # a pytest in a subprocess: seconds of plugin loading
def test_a_warning_in_a_test_fails_it(tmp_path: Path) -> None:
    """pyproject.toml's filterwarnings makes a warning our code raises an error."""
    test_file = tmp_path / "test_warns.py"
    test_file.write_text(
        textwrap.dedent(
            """
            import warnings

            def test_warns() -> None:
                warnings.warn("an old way", DeprecationWarning, stacklevel=1)
            """
        ),
        encoding="utf-8",
    )
    config = [
        "-c",
        str(PROJECT_ROOT / "pyproject.toml"),
        "--rootdir",
        str(tmp_path),
        "-p",
        "no:cacheprovider",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *config, "-q", str(test_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout
    assert "DeprecationWarning: an old way" in run.stdout


AUDIT = """
import json, sys
import pytest

class Audit:
    items: list = []

    def pytest_collection_finish(self, session):
        self.items = [[item.nodeid, sorted(getattr(item, "fixturenames", ()))] for item in session.items]

audit = Audit()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-m", "unit", "tests"], plugins=[audit])
print("AUDIT " + json.dumps(audit.items))
sys.exit(code)
"""


@pytest.mark.slow  # collects the whole suite (~10 s)
def test_the_unit_selection_needs_no_neo4j() -> None:
    """`-m unit` (the fast loop) holds no test of the neo4j store kind and none asking for a
    Neo4j fixture, so it runs without Java."""
    run = subprocess.run(
        [sys.executable, "-c", AUDIT], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    items: list[tuple[str, list[str]]] = json.loads(run.stdout.split("AUDIT ", 1)[1])
    assert any("[memory" in nodeid for nodeid, _ in items), "the contract suite's memory kind is a unit test"
    neo4j_kind = [nodeid for nodeid, _ in items if re.search(r"\[(?:.*-)?neo4j(?:-.*)?\]", nodeid)]
    assert not neo4j_kind
    asking = [nodeid for nodeid, fixtures in items if any(name.startswith("neo4j") for name in fixtures)]
    assert not asking
