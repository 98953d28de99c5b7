"""The bus's long-running workers as background services of `fintra up --workers`: the outbox relay
(`fintra ledger relay`), the read store's views (`fintra views`) and the lake's stream copy
(`fintra lake stream`).

Each runs under a small supervisor (a POSIX shell loop in a session of its own, outliving `fintra up`) that
starts it again after it exits, for whatever reason (the database restarted, a bug): 2 seconds later, doubled
up to a minute while it keeps exiting within a minute of its start, so a worker that cannot start does not
spin. The workers are restartable by design (the relay's batches commit only what the bus acknowledged; the
consumers resume from their durable consumer's last acknowledged message). Under `FINTRA_HOME/workers/<name>`:
the supervisor's pid, a lock held while one is started (two `fintra up --workers` at once start one) and the
log of every run (`worker.log`; past 10 MiB at a restart, its last MiB moves to `worker.log.1`). A pid file is
trusted only while that process is a supervisor of this worker (its command line names it): after a reboot
the pid may be anyone's. `fintra down` stops them (SIGTERM to the supervisor's session: each worker finishes
its batch), before the servers they use.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from fintra.daemons import EmbeddedServerError, alive, waited

STOP_SECONDS = 30.0
# Run the worker; when it exits, say so in its log and start it again, waiting longer while it keeps failing
# at once. SIGTERM to the session ends both: the shell (no trap: it dies at once) and the worker (which
# finishes its batch). $0 is the worker's marker, which `_supervises` finds in the shell's command line.
_SUPERVISOR = (
    "delay=2; "
    'while :; do started=$(date +%s); "$@"; code=$?; '
    "if [ $(( $(date +%s) - started )) -ge 60 ]; then delay=2; fi; "
    'echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $0 exited with status $code; starting it again in $delay s"; '
    # a log past its bound keeps its last part in worker.log.1 (whole when it appears: written aside, then
    # renamed) and starts again (appends follow the truncation; kept whole when the copy fails)
    'if [ "$(wc -c < "$FINTRA_WORKER_LOG")" -gt {bound} ]; then '
    'tail -c {kept} "$FINTRA_WORKER_LOG" > "$FINTRA_WORKER_LOG.1.part" && '
    'mv -f "$FINTRA_WORKER_LOG.1.part" "$FINTRA_WORKER_LOG.1" && : > "$FINTRA_WORKER_LOG"; fi; '
    "sleep $delay; if [ $delay -lt 60 ]; then delay=$(( delay * 2 )); fi; done"
)
LOG_BOUND = 10 * 1024 * 1024  # bytes a worker's log may reach before it is cut at a restart
LOG_KEPT = 1024 * 1024


@dataclass(frozen=True)
class WorkerState:
    name: str
    running: bool
    pid: int | None
    log_file: Path


class Worker:
    """One supervised worker: `fintra <args>` with this environment."""

    def __init__(self, name: str, args: list[str], workers_dir: Path) -> None:
        self.name = name
        self.args = args
        self.dir = Path(workers_dir) / name
        self.pid_file = self.dir / "supervisor.pid"
        self.log_file = self.dir / "worker.log"
        self.marker = f"fintra-worker:{name}"

    def command(self) -> list[str]:
        """The worker's command line: this installation's `fintra` console script."""
        script = Path(sys.executable).with_name("fintra")
        if script.exists():
            return [str(script), *self.args]
        return [sys.executable, "-c", "from fintra.cli import main; main()", *self.args]

    def status(self) -> WorkerState:
        pid = self._supervisor()
        return WorkerState(self.name, pid is not None, pid, self.log_file)

    def start(self) -> bool:
        """Start the worker under its supervisor unless it runs; whether it was started now."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another `fintra up --workers` checks after this one has started
            if self._supervisor() is not None:
                return False
            with self.log_file.open("ab") as log:
                supervisor = subprocess.Popen(
                    ["/bin/sh", "-c", _SUPERVISOR.format(bound=LOG_BOUND, kept=LOG_KEPT), self.marker,
                     *self.command()],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                    # its log follows it as it goes
                    env={**os.environ, "PYTHONUNBUFFERED": "1", "FINTRA_WORKER_LOG": str(self.log_file)},
                )  # fmt: skip
            written = self.pid_file.with_suffix(".tmp")
            written.write_text(str(supervisor.pid))
            written.replace(self.pid_file)
        return True

    def stop(self) -> bool:
        """Stop the supervisor and the worker (SIGTERM to its session, SIGKILL after `STOP_SECONDS`); whether
        it was running."""
        pid = self._supervisor()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        if waited(lambda: not _session_alive(pid), STOP_SECONDS):
            self.pid_file.unlink(missing_ok=True)
            return True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        raise EmbeddedServerError(
            f"worker {self.name} did not stop within {STOP_SECONDS:.0f} s and was killed; see {self.log_file}"
        )

    def _supervisor(self) -> int | None:
        """The pid of this worker's supervisor, or of what is left of its session (a worker whose supervisor
        was killed); None when nothing of it runs."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if alive(pid) and _supervises(pid, self.marker):
            return pid
        # the supervisor is gone; its worker may still run in its session
        return pid if _session_alive(pid) and not alive(pid) else None


def _supervises(pid: int, marker: str) -> bool:
    """Whether `pid` is a supervisor shell of the worker `marker` and leads its own session."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return marker.encode() in arguments and _pgid(pid) == pid


def _session_alive(pgid: int) -> bool:
    """Whether a live process (not a zombie) of the process group `pgid` remains."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pgid, os.WNOHANG)  # the supervisor, when this process started it
    return any(alive(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit() and _pgid(int(p.name)) == pgid)


def _pgid(pid: int) -> int | None:
    with contextlib.suppress(OSError, IndexError, ValueError):
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[2])
    return None


def bus_workers(home: Path) -> list[Worker]:
    """The workers `fintra up --workers` starts, in the order they are started (stopped in reverse)."""
    workers_dir = home / "workers"
    return [
        Worker("relay", ["ledger", "relay"], workers_dir),
        Worker("views", ["views"], workers_dir),
        Worker("lake-stream", ["lake", "stream"], workers_dir),
    ]
