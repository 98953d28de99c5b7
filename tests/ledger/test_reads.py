"""Balances as of a time and statements with running balances."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ledger import AccountType, Direction, InvalidRequest, Ledger, Leg, UnknownAccount

T0 = datetime(2026, 4, 1, tzinfo=UTC)
D = Decimal


def test_statement_and_historical_balances(ledger: Ledger, uid: str) -> None:
    cash, cust, shop = f"{uid}-CASH", f"{uid}-CUST", f"{uid}-SHOP"
    ledger.open_account(cash, "Cash", AccountType.ASSET, "USD")
    ledger.open_account(cust, "Customer", AccountType.LIABILITY, "USD")
    ledger.open_account(shop, "Shop", AccountType.LIABILITY, "USD")
    ledger.post(f"{uid}-1", [Leg.debit(cash, "500"), Leg.credit(cust, "500")], "salary", effective_at=T0)
    ledger.post(
        f"{uid}-2", [Leg.debit(cust, "20.5"), Leg.credit(shop, "20.5")], "shop", effective_at=T0 + timedelta(days=3)
    )
    ledger.post(
        f"{uid}-3", [Leg.debit(cust, "100"), Leg.credit(shop, "100")], "rent", effective_at=T0 + timedelta(days=31)
    )  # next month: another partition
    ledger.post(
        f"{uid}-4", [Leg.debit(shop, "10"), Leg.credit(cust, "10")], "refund", effective_at=T0 + timedelta(days=32)
    )

    st = ledger.statement(cust, T0 + timedelta(days=1), T0 + timedelta(days=40))
    assert st.opening_balance == D("500")
    assert [(line.reference_id, line.direction, line.amount, line.balance_after) for line in st.lines] == [
        (f"{uid}-2", Direction.DEBIT, D("20.5"), D("479.5")),
        (f"{uid}-3", Direction.DEBIT, D("100"), D("379.5")),
        (f"{uid}-4", Direction.CREDIT, D("10"), D("389.5")),
    ]
    assert st.closing_balance == ledger.balance(cust).posted == D("389.5")
    assert ledger.balance(cust, as_of=T0 + timedelta(days=3)).posted == D("479.5")
    assert ledger.balance(cust, as_of=T0 - timedelta(seconds=1)).posted == 0
    assert ledger.balance(cash, as_of=T0 + timedelta(days=60)).posted == D("500")
    empty = ledger.statement(cust, T0 + timedelta(days=50), T0 + timedelta(days=51))
    assert empty.lines == () and empty.opening_balance == empty.closing_balance == D("389.5")

    # by default: the 30 days up to the latest movement (the refund), whenever "now" is
    recent = ledger.statement(cust)
    assert recent.end == T0 + timedelta(days=32, microseconds=1) and recent.start == T0 + timedelta(
        days=2, microseconds=1
    )
    assert [line.reference_id for line in recent.lines] == [f"{uid}-2", f"{uid}-3", f"{uid}-4"]
    assert recent.closing_balance == D("389.5")

    with pytest.raises(InvalidRequest):
        ledger.statement(cust, T0, T0)
    with pytest.raises(UnknownAccount):
        ledger.balance(f"{uid}-NOPE")
