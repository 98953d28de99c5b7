"""Races between real threads on real connections: no overdraft, one entry per reference."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pytest

from ledger import AccountType, IdempotencyConflict, InsufficientFunds, Ledger, Leg, Transfer
from tests.ledger.helpers import overdrawn, projection_mismatches

THREADS = 16


def _run_together(n: int, fn):
    barrier = threading.Barrier(n, timeout=30)

    def task(i: int):
        barrier.wait()
        try:
            return fn(i)
        except Exception as exc:  # collected and asserted on by the caller
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(task, range(n), timeout=120))


@pytest.mark.parametrize("bulk", [False, True], ids=["post", "post_many"])
def test_sixteen_threads_cannot_overdraw(ledger: Ledger, uid: str, conn: psycopg.Connection, bulk: bool) -> None:
    cash, cust, shop = f"{uid}-CASH", f"{uid}-CUST", f"{uid}-SHOP"
    ledger.open_account(cash, "Cash", AccountType.ASSET, "USD")
    ledger.open_account(cust, "Customer", AccountType.LIABILITY, "USD")
    ledger.open_account(shop, "Shop", AccountType.LIABILITY, "USD")
    ledger.post(f"{uid}-fund", [Leg.debit(cash, "1000"), Leg.credit(cust, "1000")])

    # 16 threads × 3 debits of 30 = 1440 wanted; 1000 allows exactly 33 of them.
    def debit(i: int) -> int:
        refs = [f"{uid}-t{i}-{k}" for k in range(3)]
        if bulk:
            result = ledger.post_many([Transfer(r, [Leg.debit(cust, "30"), Leg.credit(shop, "30")]) for r in refs])
            assert all(isinstance(r.error, InsufficientFunds) for r in result.rejected)
            return result.posted
        posted = 0
        for ref in refs:
            try:
                ledger.post(ref, [Leg.debit(cust, "30"), Leg.credit(shop, "30")])
                posted += 1
            except InsufficientFunds:
                pass
        return posted

    results = _run_together(THREADS, debit)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 33
    assert ledger.balance(cust).available == Decimal("10")
    assert ledger.balance(shop).posted == Decimal("990")
    assert overdrawn(conn) == []
    assert projection_mismatches(conn) == []


def test_eight_threads_replaying_one_reference_post_once(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    cash, cust = f"{uid}-CASH", f"{uid}-CUST"
    ledger.open_account(cash, "Cash", AccountType.ASSET, "USD")
    ledger.open_account(cust, "Customer", AccountType.LIABILITY, "USD")
    results = _run_together(8, lambda i: ledger.post(f"{uid}-once", [Leg.debit(cash, "7"), Leg.credit(cust, "7")]))
    assert all(not isinstance(r, Exception) for r in results), results
    assert len({r.journal_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    assert conn.execute(
        "SELECT count(*) FROM ledger.journal_entries WHERE reference_id = %s", (f"{uid}-once",)
    ).fetchone() == (1,)
    assert ledger.balance(cust).posted == Decimal("7")


def test_concurrent_conflicting_reuse_of_a_reference(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    """Same reference, different accounts (so no shared row lock): one posts, the others conflict."""
    cash = f"{uid}-CASH"
    ledger.open_account(cash, "Cash", AccountType.ASSET, "USD")
    custs = [f"{uid}-C{i}" for i in range(8)]
    for code in custs:
        ledger.open_account(code, code, AccountType.LIABILITY, "USD")
    results = _run_together(8, lambda i: ledger.post(f"{uid}-x", [Leg.debit(cash, "1"), Leg.credit(custs[i], "1")]))
    posted = [r for r in results if not isinstance(r, Exception)]
    assert len(posted) == 1
    assert all(isinstance(r, IdempotencyConflict) for r in results if isinstance(r, Exception))
    assert conn.execute(
        "SELECT count(*) FROM ledger.journal_entries WHERE reference_id = %s", (f"{uid}-x",)
    ).fetchone() == (1,)
