"""Run a real Neo4j 5.26 Community server locally, from Maven Central jars.

The jars are listed in ``neo4j/pom.xml`` (repo root) and copied once by Maven into a cache
outside the repo (``~/.cache/stancegraph/neo4j-5.26/lib`` unless ``STANCEGRAPH_NEO4J_CACHE``
is set). The server is ``org.neo4j.server.CommunityEntryPoint`` started as a detached JVM
whose state lives under one *home* directory:

* ``<home>/data``: the stores, ``<home>/logs``: Neo4j's own logs plus ``console.log``
  (the JVM's stdout/stderr),
* ``<home>/run/stancegraph-neo4j.pid`` and ``<home>/run/stancegraph-neo4j.json`` (pid, ports,
  start time),
* ``<home>/auth/neo4j-password``: the password of the ``neo4j`` user, generated at the first
  start and readable by the owner only (auth is always on: a web page the user opens can reach
  loopback ports, so an open server is a server anyone can write to),
* ``<home>/import``: an empty import folder (``LOAD CSV`` from file URLs is off anyway).

Nothing here prints; functions return values or raise :class:`LocalNeo4jError`, whose
message is written for people and names the log to read.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ENTRY_POINT",
    "LocalNeo4jError",
    "ServerConfig",
    "ServerStatus",
    "credentials",
    "default_cache_dir",
    "ensure_jars",
    "java_command",
    "server_settings",
    "start",
    "status",
    "stop",
]

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
"""Main class of the Neo4j Community server (in ``org.neo4j:neo4j``)."""
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
"""Main class of ``neo4j-admin`` (sets the initial password before the first start)."""
USER = "neo4j"

CACHE_ENV = "STANCEGRAPH_NEO4J_CACHE"
POM_PATH = Path(__file__).resolve().parent.parent / "neo4j" / "pom.xml"
_MARKER = ".stancegraph-jars.json"
_LOCK = ".lock"

# Exit codes of org.neo4j.server.NeoBootstrapper. In 5.26 most start-up failures (a port in
# use, a locked store, an unknown setting passed with -c) actually exit with 1, so the cause is
# read from the log; the codes are only a fallback.
# (1, WEB_SERVER_STARTUP_ERROR_CODE, is every other failure: nothing to map.)
_EXIT_STORE_LOCKED = 2  # GRAPH_DATABASE_STARTUP_ERROR_CODE
_EXIT_BAD_CONFIG = 3  # INVALID_CONFIGURATION_ERROR_CODE
# Log lines meaning the start failed even if the JVM lingers (after a Bolt bind failure it stays
# up ~60 s; after an HTTP bind failure it keeps running with Bolt only).
_FATAL_MARKERS = ("ERROR Failed to start Neo4j", 'Exception in thread "main"')
_PORT_MARKERS = ("already in use", "BindException")
_LOCK_MARKERS = ("FileLockException", "locked by another process")
_CONFIG_MARKERS = (
    "Unrecognized setting",
    "Error evaluating value for setting",
    "Invalid configuration",
    "strict_validation",
)
_LOG_TAIL_LINES = 20


class LocalNeo4jError(Exception):
    """The local Neo4j server (or its jars) could not be set up, started or stopped.

    ``log_path`` and ``exit_code`` are set when known.
    """

    def __init__(
        self,
        message: str,
        *,
        log_path: Path | None = None,
        exit_code: int | None = None,
        busy_port: int | None = None,
    ) -> None:
        super().__init__(message)
        self.log_path = log_path
        self.exit_code = exit_code
        self.busy_port = busy_port  # the port another process holds, when that is why


@dataclass(frozen=True)
class ServerConfig:
    """How to run one local server. All state lives under ``home``."""

    home: Path
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "512m"
    pagecache: str = "256m"
    # Neo4j's own cap on what one transaction may allocate (sorts, collects, hash joins): above
    # it the query fails with a memory error instead of taking the heap from everyone else.
    transaction_memory: str = "256m"
    extra_settings: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServerStatus:
    """What is known about the server of one home directory.

    ``running`` means the recorded process is alive (it does not probe Bolt).
    """

    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    log_path: Path
    password_file: Path

    @property
    def bolt_port(self) -> int:
        return int(self.bolt_uri.rsplit(":", 1)[1])

    @property
    def http_port(self) -> int:
        return int(self.http_url.rstrip("/").rsplit(":", 1)[1])


# --------------------------------------------------------------------------- jars


def default_cache_dir() -> Path:
    """``$STANCEGRAPH_NEO4J_CACHE`` or ``~/.cache/stancegraph/neo4j-5.26``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "stancegraph" / "neo4j-5.26"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cache_is_valid(lib: Path, marker: Path, pom_sha: str) -> bool:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("pom_sha256") != pom_sha:
        return False
    try:
        jars = sum(1 for p in lib.iterdir() if p.suffix == ".jar")
    except OSError:
        return False
    return bool(jars) and jars == data.get("jars")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock so two processes never fill the cache at once."""
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def ensure_jars(cache_dir: Path | None = None, on_progress: Callable[[str], None] | None = None) -> Path:
    """Make sure the Neo4j jars are in ``<cache_dir>/lib`` and return that directory.

    The first call runs Maven (``dependency:copy-dependencies`` on ``neo4j/pom.xml``) and then
    writes a marker holding the pom's sha256 and the jar count. Later calls only read the
    marker; a changed pom (or a damaged lib dir) triggers a fresh copy.
    """
    cache = (cache_dir or default_cache_dir()).expanduser().resolve()
    lib = cache / "lib"
    marker = cache / _MARKER
    if not POM_PATH.is_file():
        raise LocalNeo4jError(
            f"Cannot find {POM_PATH}: the Neo4j jar list ships with the stancegraph source "
            "tree (use an editable install of the repo)."
        )
    pom_sha = _sha256(POM_PATH)
    if _cache_is_valid(lib, marker, pom_sha):
        return lib

    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / _LOCK):
        if _cache_is_valid(lib, marker, pom_sha):  # filled by another process meanwhile
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise LocalNeo4jError(
                "Maven ('mvn') is not on PATH; it is needed once to download the Neo4j jars "
                f"into {lib}. Install Maven 3.8+ (e.g. 'apt-get install maven') and retry."
            )
        if on_progress is not None:
            on_progress(f"Downloading Neo4j jars with Maven into {lib} (first run only) ...")
        partial = cache / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        marker.unlink(missing_ok=True)
        cmd = [
            mvn,
            "-B",
            "-q",
            "-Dstyle.color=never",
            "-f",
            str(POM_PATH),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={partial}",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
        except OSError as exc:
            raise LocalNeo4jError(f"Could not run Maven ({mvn}): {exc}") from exc
        jars = sorted(partial.glob("*.jar")) if partial.is_dir() else []
        if proc.returncode != 0 or not jars:
            shutil.rmtree(partial, ignore_errors=True)
            output = _tail(proc.stdout + "\n" + proc.stderr)
            raise LocalNeo4jError(
                f"Maven could not fetch the Neo4j jars (exit code {proc.returncode}).\n"
                f"Command: {' '.join(cmd)}\n{output}"
            )
        shutil.rmtree(lib, ignore_errors=True)
        partial.rename(lib)
        marker.write_text(
            json.dumps({"pom_sha256": pom_sha, "jars": len(jars), "created": time.time()}),
            encoding="utf-8",
        )
        if on_progress is not None:
            on_progress(f"Neo4j jars ready: {len(jars)} jars in {lib}")
    return lib


# --------------------------------------------------------------------------- command line


def server_settings(config: ServerConfig) -> dict[str, str]:
    """The ``-c key=value`` settings passed to the server (``extra_settings`` win).

    Safe by default: loopback only, auth on, HTTP access control limited to the Browser's own
    origin, no ``LOAD CSV`` from files or from any network address, no query collection (whose
    texts and parameters ``db.stats.retrieve`` would show to every client), a memory cap per
    transaction, and a short Bolt keep-alive so that a client waiting on a worker that died
    gives up within seconds rather than minutes.
    """
    from stancegraph.graph.cypher_check import READ_PROCEDURES

    home = config.home.expanduser().resolve()
    bolt = f"127.0.0.1:{config.bolt_port}"
    http = f"127.0.0.1:{config.http_port}"
    settings = {
        "server.bolt.listen_address": bolt,
        "server.bolt.advertised_address": bolt,
        "server.http.listen_address": http,
        "server.http.advertised_address": http,
        "server.https.enabled": "false",
        "dbms.routing.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "dbms.security.http_access_control_allow_origin": f"http://{http}",
        "dbms.security.allow_csv_import_from_file_urls": "false",
        "server.directories.import": str(home / "import"),
        # Internal but declared: LOAD CSV and URL loading refuse every address.
        "internal.dbms.cypher_ip_blocklist": "0.0.0.0/0,::/0",
        # Only plugin procedures obey this list (built-in ones cannot be switched off in
        # Community); no plugin outside the API's read-only allow-list is ever loaded.
        "dbms.security.procedures.allowlist": ",".join(sorted(READ_PROCEDURES)),
        "internal.datacollector.max_recent_query_count": "0",
        "internal.datacollector.max_query_text_size": "0",
        "db.memory.transaction.max": config.transaction_memory,
        "server.bolt.connection_keep_alive": "5s",
        "server.bolt.connection_keep_alive_streaming_scheduling_interval": "5s",
        "dbms.usage_report.enabled": "false",
        "server.memory.pagecache.size": config.pagecache,
        # Internal (but declared, so strict validation accepts it): Netty's graceful shutdown
        # waits a 5 s quiet period per event loop group, which made every stop take ~10 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    settings.update(config.extra_settings)
    return settings


def java_command(config: ServerConfig, lib: Path, java: str = "java") -> list[str]:
    """The exact argv used to start the server (``java`` may be an absolute path)."""
    cmd = [
        java,
        f"-Xms{config.heap}",
        f"-Xmx{config.heap}",
        "--add-opens",
        "java.base/java.nio=ALL-UNNAMED",
        "--add-opens",
        "java.base/java.io=ALL-UNNAMED",
        "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-cp",
        f"{lib}/*",
        ENTRY_POINT,
        f"--home-dir={config.home}",
        "--console-mode",
    ]
    for key, value in server_settings(config).items():
        cmd += ["-c", f"{key}={value}"]
    return cmd


def _find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise LocalNeo4jError(
            "Java is not on PATH (and JAVA_HOME does not point at a JDK). Neo4j 5.26 needs "
            "Java 17 or 21, e.g. 'apt-get install openjdk-17-jre-headless'."
        )
    return found


# --------------------------------------------------------------------------- process state


def _paths(home: Path) -> tuple[Path, Path, Path]:
    run = home / "run"
    # Not run/neo4j.pid: Neo4j itself writes and deletes that file (even a second instance that
    # fails to start on the same home deletes it), so ours gets its own name.
    return (
        run / "stancegraph-neo4j.pid",
        run / "stancegraph-neo4j.json",
        home / "logs" / "console.log",
    )


# Popen objects of servers started by this process, so exited children get reaped (no zombies
# that would look alive) and Python does not warn about still-running subprocesses.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _reap(pid: int) -> None:
    """Forget a server this process started and has stopped, collecting its exit status: a
    Popen dropped before that warns that its subprocess is still running (a zombie is)."""
    child = _CHILDREN.pop(pid, None)
    if child is None:
        return
    try:
        child.wait(timeout=10.0)
    except subprocess.TimeoutExpired:
        _CHILDREN[pid] = child  # still alive after all: keep it referenced


def _is_our_server(pid: int, home: Path) -> bool:
    """True if ``pid`` is alive and (where /proc exists) is a Neo4j server for ``home``."""
    child = _CHILDREN.get(pid)
    if child is not None and child.poll() is not None:
        del _CHILDREN[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists but belongs to someone else; the cmdline check decides
    proc = Path("/proc") / str(pid)
    if not Path("/proc/self").exists():
        return True
    try:
        stat = (proc / "stat").read_text()
        if stat.rsplit(")", 1)[-1].split()[0] == "Z":
            return False
        argv = (proc / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    wanted = f"--home-dir={home}".encode()
    return ENTRY_POINT.encode() in argv and wanted in argv


def _read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def _read_state(state_file: Path) -> dict[str, Any]:
    try:
        data = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _status(home: Path, bolt_port: int, http_port: int, pid: int | None) -> ServerStatus:
    return ServerStatus(
        running=pid is not None,
        pid=pid,
        bolt_uri=f"bolt://127.0.0.1:{bolt_port}",
        http_url=f"http://127.0.0.1:{http_port}/",
        log_path=_paths(home)[2],
        password_file=password_file(home),
    )


# --------------------------------------------------------------------------- credentials


def password_file(home: Path) -> Path:
    """Where the ``neo4j`` user's password of the server of ``home`` is kept."""
    return home.expanduser().resolve() / "auth" / "neo4j-password"


def credentials(home: Path) -> tuple[str, str] | None:
    """``("neo4j", password)`` for the server of ``home``, or None before its first start."""
    try:
        password = password_file(home).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return (USER, password) if password else None


def _new_password(home: Path) -> str:
    """Generate the password and write it readable by the owner only (the folder too)."""
    target = password_file(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.parent.chmod(0o700)
    # Hex, not url-safe base64: a password starting with "-" is read by neo4j-admin as an option
    # ("Missing required parameter: '<password>'"), one start in 32.
    password = secrets.token_hex(24)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def _system_database_exists(home: Path) -> bool:
    return (home / "data" / "databases" / "system").exists()


def _set_initial_password(home: Path, lib: Path, java: str, password: str) -> None:
    """``neo4j-admin dbms set-initial-password``: takes effect when the system database is made."""
    cmd = [java, "-cp", f"{lib}/*", ADMIN_TOOL, "dbms", "set-initial-password", password]
    env = {**os.environ, "NEO4J_HOME": str(home)}
    try:
        proc = subprocess.run(cmd, env=env, cwd=home, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise LocalNeo4jError(f"Could not run {java}: {exc}") from exc
    if proc.returncode != 0:
        output = _tail(proc.stdout + "\n" + proc.stderr).replace(password, "***")
        raise LocalNeo4jError(f"neo4j-admin could not set the initial password:\n{output}")


def _adopt_password(uri: str, password: str, home: Path) -> None:
    """A home made before auth was on has the default password ``neo4j`` (expired): replace it."""
    from neo4j import GraphDatabase, exceptions

    try:
        with GraphDatabase.driver(uri, auth=(USER, USER), connection_timeout=5.0) as driver:
            driver.execute_query(
                "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                old=USER,
                new=password,
                database_="system",
            )
    except exceptions.Neo4jError as exc:
        password_file(home).unlink(missing_ok=True)
        raise LocalNeo4jError(
            f"the database under {home / 'data'} has a password stancegraph does not know "
            f"({exc.code}); write it to {password_file(home)} or remove {home / 'data'}"
        ) from None


def status(home: Path) -> ServerStatus:
    """State of the server of ``home``; ports come from the last start (defaults otherwise)."""
    home = home.expanduser().resolve()
    pid_file, state_file, _ = _paths(home)
    state = _read_state(state_file)
    bolt_port = int(state.get("bolt_port", ServerConfig.bolt_port))
    http_port = int(state.get("http_port", ServerConfig.http_port))
    pid = _read_pid(pid_file)
    alive = pid if pid is not None and _is_our_server(pid, home) else None
    return _status(home, bolt_port, http_port, alive)


def _read_log(log: Path, offset: int) -> str:
    """Console output written since ``offset``."""
    try:
        with log.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _first_line_with(text: str, markers: tuple[str, ...]) -> str | None:
    for line in text.splitlines():
        if any(marker in line for marker in markers):
            return line.strip()
    return None


def _start_error(code: int | None, config: ServerConfig, log: Path, output: str) -> LocalNeo4jError:
    """Turn a failed start (exit code and/or log output) into a plain-words error."""
    markers: tuple[str, ...]
    ports = f"Bolt port {config.bolt_port} or HTTP port {config.http_port}"
    if _first_line_with(output, _PORT_MARKERS):
        what, markers = f"port in use: {ports} is already taken by another process", _PORT_MARKERS
    elif _first_line_with(output, _LOCK_MARKERS) or code == _EXIT_STORE_LOCKED:
        what = (
            f"store locked by another process: the database under {config.home / 'data'} is "
            "in use (another Neo4j on the same home?)"
        )
        markers = _LOCK_MARKERS
    elif _first_line_with(output, _CONFIG_MARKERS) or code == _EXIT_BAD_CONFIG:
        what = "bad configuration: a setting name or value was rejected (strict validation)"
        markers = _CONFIG_MARKERS
    else:
        shown = "" if code is None else f" (exit code {code})"
        what, markers = f"it failed while starting{shown}", _FATAL_MARKERS
    cause = _first_line_with(output, markers)
    cause_line = f"Cause: {cause}\n" if cause else ""
    tail = _tail(output, _LOG_TAIL_LINES) or "(no log output)"
    return LocalNeo4jError(
        f"Neo4j did not start: {what}.\n{cause_line}Log: {log}\nLast lines of the log:\n{tail}",
        log_path=log,
        exit_code=code,
    )


def _port_taken(port: int) -> bool:
    """True if something listens on 127.0.0.1:``port`` (TIME_WAIT leftovers do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _check_ports_free(config: ServerConfig, log: Path) -> None:
    if config.bolt_port == config.http_port:
        raise LocalNeo4jError(
            f"bad configuration: Bolt and HTTP cannot share port {config.bolt_port}.",
            log_path=log,
        )
    for name, port in (("Bolt", config.bolt_port), ("HTTP", config.http_port)):
        if _port_taken(port):
            raise LocalNeo4jError(
                f"Neo4j not started: port in use: {name} port {port} on 127.0.0.1 is already "
                f"taken by another process. Pick another port (nothing was written to the log "
                f"{log}).",
                log_path=log,
                busy_port=port,
            )


def _bolt_ready(uri: str, auth: tuple[str, str] | None) -> bool:
    # Imported lazily: the driver is only needed while waiting for a start.
    from neo4j import GraphDatabase, exceptions

    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=2.0) as driver:
            driver.verify_connectivity()
    except exceptions.AuthError:
        return True  # it answers; whether these credentials work is decided by the caller
    except (exceptions.DriverError, exceptions.Neo4jError, OSError):
        return False
    return True


def _http_ready(url: str, bolt_port: int) -> bool:
    """True if ``url`` is *this* Neo4j's discovery document (it names our Bolt port)."""
    try:
        with urllib.request.urlopen(url, timeout=2.0) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return isinstance(body, dict) and str(body.get("bolt_direct", "")).endswith(f":{bolt_port}")


def _terminate(pid: int, home: Path, timeout: float) -> None:
    """SIGTERM, wait up to ``timeout``, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_our_server(pid, home):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline and _is_our_server(pid, home):
        time.sleep(0.1)


def start(config: ServerConfig, timeout: float = 120.0) -> ServerStatus:
    """Start a detached server for ``config`` and wait until Bolt answers.

    If the server of ``config.home`` is already running, its status is returned unchanged.
    Raises :class:`LocalNeo4jError` if Java or the jars are missing, if the process exits early
    (port in use, store locked, bad configuration) or if Bolt is not ready within ``timeout``.
    """
    home = config.home.expanduser().resolve()
    config = ServerConfig(
        home=home,
        bolt_port=config.bolt_port,
        http_port=config.http_port,
        heap=config.heap,
        pagecache=config.pagecache,
        transaction_memory=config.transaction_memory,
        extra_settings=dict(config.extra_settings),
    )
    current = status(home)
    if current.running:
        return current

    java = _find_java()
    lib = ensure_jars()
    pid_file, state_file, log = _paths(home)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file.unlink(missing_ok=True)
    _check_ports_free(config, log)
    (home / "import").mkdir(parents=True, exist_ok=True)
    known = credentials(home)
    adopt: str | None = None
    if known is None:
        password = _new_password(home)
        if _system_database_exists(home):
            adopt = password
        else:
            _set_initial_password(home, lib, java, password)
        known = (USER, password)
    cmd = java_command(config, lib, java)

    with log.open("ab") as out:
        out.write(f"\n=== stancegraph start {time.strftime('%Y-%m-%d %H:%M:%S')} ===\n".encode())
        out.flush()
        offset = out.tell()
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise LocalNeo4jError(f"Could not run {java}: {exc}", log_path=log) from exc
    _CHILDREN[proc.pid] = proc
    pid_file.write_text(f"{proc.pid}\n")
    state_file.write_text(
        json.dumps(
            {
                "pid": proc.pid,
                "bolt_port": config.bolt_port,
                "http_port": config.http_port,
                "started": time.time(),
                "lib": str(lib),
            },
            indent=2,
        ),
        encoding="utf-8",
    )

    result = _status(home, config.bolt_port, config.http_port, proc.pid)
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        output = _read_log(log, offset)
        if code is None and any(marker in output for marker in _FATAL_MARKERS):
            try:  # usually exits by itself within a second or two; do not wait a minute
                code = proc.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                _terminate(proc.pid, home, 10.0)
                code = proc.poll()
            output = _read_log(log, offset)
        if code is not None:
            _reap(proc.pid)
            pid_file.unlink(missing_ok=True)
            raise _start_error(code, config, log, output)
        # HTTP first: it comes up last and proves the port is ours. Probing Bolt on a port some
        # other program listens on can hang the driver for a minute.
        if _http_ready(result.http_url, config.bolt_port) and _bolt_ready(result.bolt_uri, known):
            if adopt is not None:
                try:
                    _adopt_password(result.bolt_uri, adopt, home)
                except LocalNeo4jError:
                    _terminate(proc.pid, home, 10.0)
                    _reap(proc.pid)
                    pid_file.unlink(missing_ok=True)
                    raise
            return result
        if time.monotonic() >= deadline:
            _terminate(proc.pid, home, 10.0)
            _reap(proc.pid)
            pid_file.unlink(missing_ok=True)
            raise LocalNeo4jError(
                f"Neo4j did not answer on {result.bolt_uri} and {result.http_url} within "
                f"{timeout:.0f} s; stopped it.\nLog: {log}\nLast lines of the log:\n"
                f"{_tail(_read_log(log, offset), _LOG_TAIL_LINES)}",
                log_path=log,
            )
        time.sleep(0.25)


def stop(home: Path, timeout: float = 60.0) -> bool:
    """Stop the server of ``home`` (SIGTERM, then SIGKILL after ``timeout`` seconds).

    Removes the pid file. Returns whether a running server was stopped.
    """
    home = home.expanduser().resolve()
    pid_file, _, _ = _paths(home)
    pid = _read_pid(pid_file)
    if pid is None or not _is_our_server(pid, home):
        pid_file.unlink(missing_ok=True)
        return False
    _terminate(pid, home, timeout)
    if _is_our_server(pid, home):
        raise LocalNeo4jError(f"Neo4j (pid {pid}) is still running after SIGKILL.", log_path=_paths(home)[2])
    _reap(pid)
    pid_file.unlink(missing_ok=True)
    return True
