"""Connection pools that hand out live connections. A server restart (or failover) kills every idle
connection a pool holds; used as they are, the first call on each fails. psycopg_pool's own `check` tests
a connection before lending it, but after a failed test it waits a second (its reconnection back-off)
before trying the next one, so a request after a restart waits a second per dead connection. These pools
test a connection that sat idle for more than IDLE_CHECK_SECONDS as they lend it (one under steady load
was in use a moment ago: testing it would cost a round trip per request) and, when one is dead, discard it
and take the next at once: a restart costs one round trip per dead connection, and while the server is
down a caller waits only the pool's `timeout` for a new one (psycopg_pool.PoolTimeout)."""

from __future__ import annotations

import time
import weakref
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

IDLE_CHECK_SECONDS = 0.25  # shorter than any restart: a connection from before one is always tested


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
