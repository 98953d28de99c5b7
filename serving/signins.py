"""Throttling of failed sign-ins: per client address and per key id, in a sliding window.

Why: a key's secret is long and random, but an unlimited number of guesses per second still invites
trying, and every wrong token costs a database lookup. After `limit` failures within `window` seconds from
one address (or against one key id) further attempts are answered 429 with Retry-After, before any
lookup, until the oldest failure leaves the window. State is per worker and bounded (`tracked` addresses
and key ids, least recently failed dropped first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

PER_ADDRESS = 20
PER_KEY = 10
WINDOW_S = 60.0
TRACKED = 10_000


class SignInThrottle:
    def __init__(
        self,
        *,
        per_address: int = PER_ADDRESS,
        per_key: int = PER_KEY,
        window: float = WINDOW_S,
        tracked: int = TRACKED,
    ) -> None:
        self._limits = {"address": per_address, "key": per_key}
        self._window = window
        self._tracked = tracked
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, address: str | None, key_id: str | None) -> float:
        """Seconds until `address` / `key_id` may try again (0: now)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for kind, value in (("address", address), ("key", key_id)):
                if value is None:
                    continue
                times = self._failures.get((kind, value))
                if times is None:
                    continue
                while times and times[0] <= now - self._window:
                    times.popleft()
                if len(times) >= self._limits[kind]:
                    wait = max(wait, times[0] + self._window - now)
        return wait

    def failed(self, address: str | None, key_id: str | None) -> None:
        now = time.monotonic()
        with self._lock:
            for kind, value in (("address", address), ("key", key_id)):
                if value is None:
                    continue
                times = self._failures.pop((kind, value), None) or deque(maxlen=self._limits[kind])
                times.append(now)
                self._failures[(kind, value)] = times  # most recent last
            while len(self._failures) > self._tracked:
                self._failures.popitem(last=False)
