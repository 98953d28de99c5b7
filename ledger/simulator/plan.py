"""What one simulated day asks the ledger to do, and the simulator's own view of balances.

The simulator decides what customers can afford from its own model (it never reads balances back
from the ledger while deciding), so the same seed yields the same requests whatever the database
already holds; the ledger remains the judge and may still refuse a request.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from ledger.market import Tick
from ledger.model import ConversionRequest, HoldRequest, Transfer
from ledger.simulator.population import SimCustomer
from ledger.simulator.reference import Merchant

CENT = Decimal("0.01")


@dataclass(slots=True)
class CardAuth:
    """A card authorisation (a hold) and what will become of it."""

    request: HoldRequest
    customer: SimCustomer
    merchant: Merchant
    descriptor: str
    outcome: str  # CAPTURE, VOID or EXPIRE
    resolve_at: datetime | None = None
    capture_amount: Decimal | None = None
    chargeback_at: datetime | None = None
    hold_id: int | None = None
    capture_journal_id: int | None = None


@dataclass(slots=True)
class Label:
    """Ground truth for one injected case: a laundering family, or a benign look-alike (`is_benign`).

    `customers` lists every customer involved (the first is the main one), `accounts` every account the
    case moved money on, `entries` every ledger reference (journal entries, and holds for card
    authorisations); the captures of `cards` join them once the ledger has captured them."""

    label_id: str
    family: str
    split: str
    is_benign: bool = False
    customers: list[SimCustomer] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    window_start: datetime | None = None
    window_end: datetime | None = None
    details: dict[str, object] = field(default_factory=dict)
    entries: list[tuple[str, str]] = field(default_factory=list)  # (reference_id, "journal" | "hold")
    cards: list[CardAuth] = field(default_factory=list)

    @property
    def typology(self) -> str:
        return self.family

    @property
    def customer(self) -> SimCustomer:
        return self.customers[0]


@dataclass(slots=True)
class DayPlan:
    day: int
    ticks: list[Tick] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    conversions: list[ConversionRequest] = field(default_factory=list)
    auths: list[CardAuth] = field(default_factory=list)
    # reference id -> accounts whose model balance the request moved (undone if the ledger refuses it)
    undo: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)


class Wallets:
    """The simulator's estimate of each customer account's available funds."""

    def __init__(self) -> None:
        self.available: dict[str, Decimal] = {}

    def can_spend(self, code: str, amount: Decimal) -> bool:
        return self.available.get(code, Decimal(0)) >= amount

    def move(self, code: str, amount: Decimal) -> None:
        self.available[code] = self.available.get(code, Decimal(0)) + amount


def moment(day_start: datetime, rng: random.Random, first_hour: float, last_hour: float) -> datetime:
    """A whole-second time between two hours of the day."""
    seconds = int(rng.uniform(first_hour, last_hour) * 3600)
    return day_start + timedelta(seconds=min(seconds, 86399))


def log_uniform(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    import math

    value = math.exp(rng.uniform(math.log(float(low)), math.log(float(high))))
    return max(CENT, Decimal(value).quantize(CENT))
