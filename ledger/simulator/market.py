"""FX rates and crypto prices as seeded random walks, one tick every five minutes.

The walk for each symbol and day comes from its own seeded stream and starts where the previous day
ended, so a day's prices depend only on the seed and the days before it.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ledger.market import Tick

STEP = timedelta(minutes=5)
STEPS_PER_DAY = 288
# symbol: (start price, daily volatility, decimal places)
SYMBOLS: dict[str, tuple[Decimal, float, int]] = {
    "EUR/USD": (Decimal("1.0850"), 0.005, 6),
    "GBP/USD": (Decimal("1.2700"), 0.006, 6),
    "BTC/USD": (Decimal("64000"), 0.030, 2),
    "ETH/USD": (Decimal("3200"), 0.035, 2),
}


class Market:
    def __init__(self, seed: int, start: date) -> None:
        self.seed = seed
        self.start = start
        self._last = {symbol: float(spec[0]) for symbol, spec in SYMBOLS.items()}
        self._day: dict[str, list[Decimal]] = {}
        self._day_index = -1

    def advance(self, day: int) -> list[Tick]:
        """Generate day `day` (days must be generated in order); returns its ticks."""
        if day != self._day_index + 1:
            raise ValueError(f"market days must advance one at a time (at {self._day_index}, asked {day})")
        self._day_index = day
        midnight = datetime.combine(self.start + timedelta(days=day), time(0), tzinfo=UTC)
        ticks: list[Tick] = []
        for symbol, (_, daily_vol, places) in SYMBOLS.items():
            rng = random.Random(f"{self.seed}:market:{symbol}:{day}")
            sigma = daily_vol / math.sqrt(STEPS_PER_DAY)
            price = self._last[symbol]
            quantum = Decimal(1).scaleb(-places)
            prices: list[Decimal] = []
            for step in range(STEPS_PER_DAY):
                price *= math.exp(rng.gauss(0.0, sigma))
                value = Decimal(repr(price)).quantize(quantum)
                prices.append(value)
                volume = Decimal(rng.randint(1, 500)).scaleb(-2 if places == 2 else 0)
                ticks.append(Tick(symbol, midnight + step * STEP, value, volume, "simulator"))
            self._last[symbol] = price
            self._day[symbol] = prices
        return ticks

    def history(self, days: int) -> list[Tick]:
        """One daily price per symbol for the `days` before the start, at the starting price: the market
        data that values what scenarios post before the simulated period (a dormant account's last
        movements), so no movement is left without a USD value."""
        ticks = []
        for back in range(days, 0, -1):
            midnight = datetime.combine(self.start - timedelta(days=back), time(12), tzinfo=UTC)
            for symbol, (start_price, _, _) in SYMBOLS.items():
                ticks.append(Tick(symbol, midnight, start_price, Decimal(0), "simulator"))
        return ticks

    def price(self, symbol: str, at: datetime) -> Decimal:
        """The tick price of `symbol` in force at `at` (which must fall on the current day)."""
        step = (at.hour * 60 + at.minute) // 5
        return self._day[symbol][step]

    def rate(self, source: str, target: str, at: datetime) -> Decimal:
        """Units of `target` per unit of `source` at `at`, through USD (at most 12 decimals)."""
        usd_per_source = Decimal(1) if source == "USD" else self.price(f"{source}/USD", at)
        usd_per_target = Decimal(1) if target == "USD" else self.price(f"{target}/USD", at)
        return (usd_per_source / usd_per_target).quantize(Decimal("1e-12"))
