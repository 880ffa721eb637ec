"""A throw-away PostgreSQL cluster for the benchmark and the tests: ``initdb`` in a temporary folder, the server
on a free loopback port (and a Unix socket in that folder), stopped and removed at the end.

PostgreSQL refuses to run as root: as root, the folder is given to the ``postgres`` user and ``initdb`` and the
server run as that user (Debian's package creates it). The binaries are found in ``HEG_DASH_PG_BIN``, else
``/usr/lib/postgresql/<version>/bin`` (Debian's layout; the newest version there), else on the PATH.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

# For tests only: nothing of a throw-away cluster needs to survive a crash.
FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")


def binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None when PostgreSQL is not installed."""
    candidates = [os.environ.get("HEG_DASH_PG_BIN")]
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name), reverse=True)
    candidates += [str(p) for p in debian]
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else None)
    for folder in candidates:
        if folder and all((Path(folder) / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running throw-away server; ``url(name)`` connects to one of its databases as the superuser."""

    bin_dir: Path
    base: Path
    port: int
    run_as: str | None
    databases: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (copied from ``template``, a database nobody is connected to) and its URL."""
        with self.admin() as con:
            clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
            con.execute(f'CREATE DATABASE "{name}"{clause}')
        self.databases.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def _run(self, command: list[str]) -> None:
        run(command, self.run_as)


def run(command: list[str], user: str | None) -> None:
    """Run a PostgreSQL tool, as ``user`` when given (we are root); its output in the error when it fails."""
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stdout}{result.stderr}")


def start(bin_dir: Path | None = None, *, fast: bool = True, settings: str = "") -> Cluster:
    """initdb in a new temporary folder and start the server on a free loopback port. ``fast``: without fsync
    (tests); the benchmark runs with PostgreSQL's durable defaults."""
    bin_dir = bin_dir or binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="heg-pg-"))
    run_as = None
    if os.geteuid() == 0:  # initdb and postgres refuse root
        run_as = "postgres"
        user = pwd.getpwnam(run_as)
        os.chown(base, user.pw_uid, user.pw_gid)
    os.chmod(base, 0o700)
    port = _free_port()
    cluster = Cluster(bin_dir, base, port, run_as)
    try:
        cluster._run([str(bin_dir / "initdb"), "-D", str(cluster.data), "--auth=trust", "-U", "postgres",
                      "--no-locale", "-E", "UTF8", "--no-sync"])
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200 " \
                  f"{FAST if fast else ''} {settings}"
        cluster._run([str(bin_dir / "pg_ctl"), "-D", str(cluster.data), "-o", options, "-l", str(base / "log"),
                      "-w", "-t", "60", "start"])
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return cluster
