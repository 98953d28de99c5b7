"""Per-key rate limits: a token bucket per key holding a minute's worth of requests, refilled
continuously. The bucket every serving process shares lives in PostgreSQL (`serving.rate_buckets`); a
process takes tokens from it a lease at a time (`SharedLimiter`, about a second's worth) and spends them
locally. Each process keeps a local bucket too, which refuses without asking the database when this
process alone has used the key's rate (the shared one would refuse as well)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any


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


def lease_size(per_minute: int) -> int:
    """Tokens a process takes from the shared bucket at a time: about a second's worth, 1 to 100. A key of
    a few requests a minute is shared exactly; a busy key costs one round trip per lease, and all processes
    together may exceed its rate by at most their unspent leases."""
    return max(1, min(per_minute // 60, 100))


class SharedLimiter:
    """The leases this process holds on keys' shared buckets (serving.rate_buckets)."""

    def __init__(self) -> None:
        self._leased: dict[str, int] = {}

    async def acquire(self, conn_source: Any, key_id: str, per_minute: int) -> float:
        """0 when the request may go ahead (a leased token spent), else the seconds until one is available.
        `conn_source` is an asyncio pool: a connection is taken only when a new lease is needed."""
        if self._leased.get(key_id, 0) > 0:
            self._leased[key_id] -= 1
            return 0.0
        async with conn_source.connection() as conn:
            cursor = await conn.execute(
                "SELECT tokens, granted FROM serving.take_rate_tokens(%s, %s, %s)",
                (key_id, per_minute, lease_size(per_minute)),
            )
            row = await cursor.fetchone()
        assert row is not None
        tokens, granted = row
        if granted >= 1:
            self._leased[key_id] = granted - 1
            return 0.0
        return (1.0 - tokens) * 60.0 / per_minute
