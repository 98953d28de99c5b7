"""Connection pools that hand out live connections. A server restart (or failover) kills every idle
connection a pool holds; used as they are, the first call on each fails. psycopg_pool's own `check` tests
a connection before lending it, but after a failed test it waits a second (its reconnection back-off)
before trying the next one, so a request after a restart waits a second per dead connection. These pools
test each connection as they lend it and, when one is dead, discard it and take the next at once: a
restart costs one round trip per dead connection, and while the server is down a caller waits only the
pool's `timeout` for a new one (psycopg_pool.PoolTimeout)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool


class LivePool(ConnectionPool):
    def getconn(self, timeout: float | None = None) -> Any:
        for _ in range(self.max_size):
            conn = super().getconn(timeout)
            try:
                conn.execute("")
            except psycopg.OperationalError:
                self.putconn(conn)  # broken: the pool discards it and opens a new one
                continue
            return conn
        return super().getconn(timeout)


class AsyncLivePool(AsyncConnectionPool):
    async def getconn(self, timeout: float | None = None) -> Any:
        for _ in range(self.max_size):
            conn = await super().getconn(timeout)
            try:
                await conn.execute("")
            except psycopg.OperationalError:
                await self.putconn(conn)
                continue
            return conn
        return await super().getconn(timeout)
