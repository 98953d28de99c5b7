"""The workers' supervisor loop, run as `fintra up --workers` runs it (a real POSIX shell, a real command)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from fintra.workers import _SUPERVISOR
from tests.waiting import wait_for


def test_the_supervisor_restarts_a_failing_worker_backing_off_and_cuts_its_log(tmp_path: Path) -> None:
    log, cut = tmp_path / "worker.log", tmp_path / "worker.log.1"
    # a worker that writes 600 bytes and fails at once, under a log bound of 1,000 bytes keeping the last 100
    worker = ["/bin/sh", "-c", "printf '%0600d\\n' 7; exit 3"]
    with log.open("ab") as out:
        supervisor = subprocess.Popen(
            ["/bin/sh", "-c", _SUPERVISOR.format(bound=1000, kept=100), "fintra-worker:test", *worker],
            stdout=out, stderr=out, start_new_session=True, env={**os.environ, "FINTRA_WORKER_LOG": str(log)},
        )  # fmt: skip
    try:
        # started again 2 s after the first exit; the second exit (the log past its bound) waits 4 s, and the
        # log is cut: its last 100 bytes (that line) kept aside, a fresh file for what follows
        wait_for(cut.exists, "the log cut past its bound", 15)
        kept = cut.read_text()
        assert len(kept.encode()) == 100
        assert kept.endswith("fintra-worker:test exited with status 3; starting it again in 4 s\n"), kept
        assert log.stat().st_size < 1000
    finally:
        os.killpg(supervisor.pid, signal.SIGTERM)
        supervisor.wait(timeout=10)
