"""Market data: FX rates and crypto prices (`ledger.ticks`) and their one-minute bars (`ledger.ohlcv_1m`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from ledger.catalog import Catalog
from ledger.errors import InvalidAmount, InvalidRequest
from ledger.money import require_aware

_INSERT_TICKS = """
INSERT INTO ledger.ticks (symbol, ts, price, volume, source)
SELECT * FROM unnest(%b::text[], %b::timestamptz[], %b::numeric[], %b::numeric[], %b::text[])
ON CONFLICT (symbol, ts) DO NOTHING
"""
_PRICE_AT = "SELECT price FROM ledger.ticks WHERE symbol = %s AND ts <= %s ORDER BY ts DESC LIMIT 1"


@dataclass(frozen=True, slots=True)
class Tick:
    """A price of `symbol` ("BASE/QUOTE", e.g. "EUR/USD": USD per EUR) at `ts`."""

    symbol: str
    ts: datetime
    price: Decimal
    volume: Decimal = Decimal(0)
    source: str = "unknown"


def record_ticks(conn: psycopg.Connection[Any], catalog: Catalog, ticks: Sequence[Tick]) -> int:
    """Store ticks (a tick already stored for the same symbol and time is kept); returns how many are new."""
    for i, tick in enumerate(ticks):
        require_aware(tick.ts, field=f"ticks[{i}].ts")
        if not isinstance(tick.price, Decimal) or tick.price <= 0:
            raise InvalidAmount(f"ticks[{i}].price must be a positive Decimal", field=f"ticks[{i}].price")
        if "/" not in tick.symbol:
            raise InvalidRequest(f"ticks[{i}].symbol must look like BASE/QUOTE", field=f"ticks[{i}].symbol")
    if not ticks:
        return 0
    catalog.ensure_partitions(conn, "ticks", {t.ts for t in ticks})
    with conn.transaction():
        cur = conn.execute(
            _INSERT_TICKS,
            (
                [t.symbol for t in ticks],
                [t.ts for t in ticks],
                [t.price for t in ticks],
                [t.volume for t in ticks],
                [t.source for t in ticks],
            ),
        )
        return cur.rowcount


def price_at(conn: psycopg.Connection[Any], symbol: str, at: datetime) -> Decimal | None:
    """The latest price of `symbol` at or before `at` (None before the first tick)."""
    require_aware(at, field="at")
    row = conn.execute(_PRICE_AT, (symbol, at)).fetchone()
    return None if row is None else Decimal(row[0])


def refresh_bars(conn: psycopg.Connection[Any]) -> None:
    """Refresh `ledger.ohlcv_1m` from the ticks."""
    conn.execute("SELECT ledger.refresh_ohlcv_1m()")
