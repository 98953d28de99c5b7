"""fintra.pools against a real server: a database that refused connections for a while is used again as
soon as it accepts them, not after psycopg_pool's doubling reconnection back-off (which after 8 s down
would wait about 7 s more)."""

from __future__ import annotations

import asyncio
import time

import psycopg
import pytest
from psycopg import sql
from psycopg_pool import PoolTimeout

from fintra.pools import IDLE_CHECK_SECONDS, RECONNECT_DELAY_MAX, AsyncLivePool, LivePool


def _take_down(pg_server: str, db_url: str) -> psycopg.Connection:
    admin = psycopg.connect(pg_server, autocommit=True)
    name = psycopg.conninfo.conninfo_to_dict(db_url)["dbname"]
    admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(sql.Identifier(name)))
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    return admin


def _bring_back(admin: psycopg.Connection, db_url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(db_url)["dbname"]
    admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(sql.Identifier(name)))
    admin.close()


def test_a_pool_serves_again_as_soon_as_the_database_is_back(pg_server: str, db_url: str) -> None:
    with LivePool(db_url, min_size=1, max_size=2, timeout=1.0, kwargs={"autocommit": True}) as pool:
        with pool.connection() as conn:
            conn.execute("SELECT 1")
        admin = _take_down(pg_server, db_url)
        try:
            time.sleep(IDLE_CHECK_SECONDS)  # so that the pool tests the connection it holds
            # a caller finds it down: the pool starts reconnecting
            with pytest.raises(PoolTimeout), pool.connection() as conn:
                conn.execute("SELECT 1")
            time.sleep(8)  # psycopg_pool's own attempts: after 1, 3, 7 and 15 s
        finally:
            _bring_back(admin, db_url)
        back = time.monotonic()
        with pool.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        assert time.monotonic() - back < RECONNECT_DELAY_MAX + 2.5  # not the back-off's ~7 s


def test_the_async_pool_serves_again_as_soon_as_the_database_is_back(pg_server: str, db_url: str) -> None:
    asyncio.run(_async_outage(pg_server, db_url))


async def _async_outage(pg_server: str, db_url: str) -> None:
    pool = AsyncLivePool(db_url, min_size=1, max_size=2, timeout=1.0, kwargs={"autocommit": True}, open=False)
    await pool.open()
    try:
        async with pool.connection() as conn:
            await conn.execute("SELECT 1")
        admin = _take_down(pg_server, db_url)
        try:
            await asyncio.sleep(IDLE_CHECK_SECONDS)
            with pytest.raises(PoolTimeout):
                async with pool.connection() as conn:
                    await conn.execute("SELECT 1")
            await asyncio.sleep(8)
        finally:
            _bring_back(admin, db_url)
        back = time.monotonic()
        async with pool.connection() as conn:
            assert await (await conn.execute("SELECT 1")).fetchone() == (1,)
        assert time.monotonic() - back < RECONNECT_DELAY_MAX + 2.5
    finally:
        await pool.close()
