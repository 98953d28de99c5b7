"""Connection pools that hand out live connections. A server restart (or failover) kills every idle
connection a pool holds; used as they are, the first call on each fails. psycopg_pool's own `check` tests
a connection before lending it, but after a failed test it waits a second (its reconnection back-off)
before trying the next one, so a request after a restart waits a second per dead connection. These pools
test a connection that sat idle for more than IDLE_CHECK_SECONDS as they lend it (one under steady load
was in use a moment ago: testing it would cost a round trip per request) and, when one is dead, discard it
and take the next at once: a restart costs one round trip per dead connection, and while the server is
down a caller waits only the pool's `timeout` for a new one (psycopg_pool.PoolTimeout).

While the server refuses connections, psycopg_pool retries opening one with a back-off that doubles
(1, 2, 4 ... 128 s): after a two-minute outage a pool could go on answering nothing for two more minutes
once the server is back. These pools retry at least every RECONNECT_DELAY_MAX seconds, shorter than the
wait a request allows, so requests succeed again as soon as the server accepts connections."""

from __future__ import annotations

import time
import weakref
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool, pool_async
from psycopg_pool import pool as sync_pool

IDLE_CHECK_SECONDS = 0.25  # shorter than any restart: a connection from before one is always tested
RECONNECT_DELAY_MAX = 0.5  # a failed connection attempt costs the server next to nothing


class LivePool(ConnectionPool):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        super().__init__(*args, **kwargs)

    def getconn(self, timeout: float | None = None) -> Any:
        for _ in range(self.max_size):
            conn = super().getconn(timeout)
            if time.monotonic() - self._returned.get(conn, 0.0) < IDLE_CHECK_SECONDS:
                return conn
            try:
                conn.execute("")
            except psycopg.OperationalError:
                self.putconn(conn)  # broken: the pool discards it and opens a new one
                continue
            return conn
        return super().getconn(timeout)

    def putconn(self, conn: Any) -> None:
        self._returned[conn] = time.monotonic()
        super().putconn(conn)

    def schedule_task(self, task: Any, delay: float) -> None:
        if isinstance(task, sync_pool.AddConnection):
            delay = min(delay, RECONNECT_DELAY_MAX)
        super().schedule_task(task, delay)


class AsyncLivePool(AsyncConnectionPool):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        super().__init__(*args, **kwargs)

    async def getconn(self, timeout: float | None = None) -> Any:
        for _ in range(self.max_size):
            conn = await super().getconn(timeout)
            if time.monotonic() - self._returned.get(conn, 0.0) < IDLE_CHECK_SECONDS:
                return conn
            try:
                await conn.execute("")
            except psycopg.OperationalError:
                await self.putconn(conn)
                continue
            return conn
        return await super().getconn(timeout)

    async def putconn(self, conn: Any) -> None:
        self._returned[conn] = time.monotonic()
        await super().putconn(conn)

    async def schedule_task(self, task: Any, delay: float) -> None:
        if isinstance(task, pool_async.AddConnection):
            delay = min(delay, RECONNECT_DELAY_MAX)
        await super().schedule_task(task, delay)
