"""Market data: ticks in monthly partitions and one-minute OHLCV bars refreshed by function."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

T0 = datetime(2026, 6, 30, 23, 59, tzinfo=UTC)


def test_ohlcv_bars_from_ticks_across_a_partition_boundary(conn: psycopg.Connection) -> None:
    conn.execute("SELECT ledger.ensure_monthly_partitions('ticks', %s, %s)", (T0, T0 + timedelta(minutes=2)))
    ticks = [
        ("EUR/USD", T0 + timedelta(seconds=1), "1.0850", "10"),
        ("EUR/USD", T0 + timedelta(seconds=20), "1.0871", "5"),
        ("EUR/USD", T0 + timedelta(seconds=40), "1.0842", "1.5"),
        ("EUR/USD", T0 + timedelta(seconds=59), "1.0860", "2"),
        ("EUR/USD", T0 + timedelta(seconds=61), "1.0900", "1"),  # next minute, next month's partition
        ("BTC/USD", T0 + timedelta(seconds=5), "64000.12345678", "0.25"),
    ]
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO ledger.ticks (symbol, ts, price, volume, source) VALUES (%s, %s, %s, %s, 'test')", ticks
        )
    conn.execute("SELECT ledger.refresh_ohlcv_1m()")
    conn.execute("SELECT ledger.refresh_ohlcv_1m()")  # the second refresh runs concurrently-safe
    bars = conn.execute(
        "SELECT symbol, bucket, open, high, low, close, volume, ticks FROM ledger.ohlcv_1m ORDER BY symbol, bucket"
    ).fetchall()
    assert bars == [
        (
            "BTC/USD",
            T0,
            Decimal("64000.12345678"),
            Decimal("64000.12345678"),
            Decimal("64000.12345678"),
            Decimal("64000.12345678"),
            Decimal("0.25"),
            1,
        ),
        ("EUR/USD", T0, Decimal("1.085"), Decimal("1.0871"), Decimal("1.0842"), Decimal("1.086"), Decimal("18.5"), 4),
        (
            "EUR/USD",
            T0 + timedelta(minutes=1),
            Decimal("1.09"),
            Decimal("1.09"),
            Decimal("1.09"),
            Decimal("1.09"),
            Decimal("1"),
            1,
        ),
    ]
    partitions = {r[0] for r in conn.execute("SELECT relname FROM pg_class WHERE relname LIKE 'ticks_y2026m0%'")}
    assert {"ticks_y2026m06", "ticks_y2026m07"} <= partitions


def test_ticks_refuse_bad_prices(conn: psycopg.Connection) -> None:
    conn.execute("SELECT ledger.ensure_monthly_partitions('ticks', %s, %s)", (T0, T0))
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO ledger.ticks (symbol, ts, price) VALUES ('EUR/USD', %s, 0)", (T0,))
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO ledger.ticks (symbol, ts, price) VALUES ('eurusd', %s, 1)", (T0,))
