"""Per-key rate limits: a token bucket per key holding a minute's worth of requests, refilled
continuously. The bucket every serving process shares lives in PostgreSQL (`serving.rate_buckets`, one
statement per request: `take_shared`); each process keeps a local bucket too, which refuses without asking
the database when this process alone has used the key's rate (the shared one would refuse as well)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def acquire(self, key: str, per_minute: int) -> float:
        """0 when the request may go ahead (a token is taken), else the seconds until one is available."""
        rate = per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


async def take_shared(conn: psycopg.AsyncConnection[Any], key_id: str, per_minute: int) -> float:
    """0 when the key's shared bucket had a token (taken), else the seconds until one is available."""
    cursor = await conn.execute("SELECT * FROM serving.take_rate_token(%s, %s)", (key_id, per_minute))
    row = await cursor.fetchone()
    assert row is not None
    tokens, granted = row
    return 0.0 if granted else (1.0 - tokens) * 60.0 / per_minute
