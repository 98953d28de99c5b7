"""The write path without a global lock: commit-safe event order for consumers, writers that do not
queue on each other, all-or-nothing batches, back-dated debits checked over time, outbox retention."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from ledger import AccountType, BatchAborted, InsufficientFunds, Ledger, Leg, Transfer, UnknownAccount
from ledger.events import NewEvent, Position, append, read_all
from ledger.outbox import OutboxMessage, OutboxRelay, prune_outbox


def _accounts(ledger: Ledger, uid: str, *, allow_negative: bool = False) -> tuple[str, str]:
    """A funding asset account (may go negative) and a customer deposit account (may not, unless told)."""
    cash, customer = f"CASH-{uid}", f"CUST-{uid}"
    ledger.open_account(cash, "Cash", AccountType.ASSET, "USD", allow_negative=True)
    ledger.open_account(customer, "Customer", AccountType.LIABILITY, "USD", allow_negative=allow_negative)
    return cash, customer


def _deposit(ledger: Ledger, ref: str, cash: str, customer: str, amount: str, at: datetime) -> None:
    ledger.post(ref, [Leg.debit(cash, amount), Leg.credit(customer, amount)], effective_at=at)


def _withdraw(ledger: Ledger, ref: str, cash: str, customer: str, amount: str, at: datetime) -> None:
    ledger.post(ref, [Leg.debit(customer, amount), Leg.credit(cash, amount)], effective_at=at)


def _tail(conn: psycopg.Connection) -> Position:
    """The position after every event whose transaction has ended."""
    last = Position()
    while batch := read_all(conn, last, limit=10_000):
        last = batch[-1].position
    return last


# -- commit-safe order ------------------------------------------------------------------------------


def test_an_event_committed_late_with_a_lower_seq_is_read_after_not_skipped(db_url: str, uid: str) -> None:
    with (
        psycopg.connect(db_url) as slow,
        psycopg.connect(db_url) as quick,
        psycopg.connect(db_url, autocommit=True) as reader,
    ):
        start = _tail(reader)
        quick.execute("SELECT pg_current_xact_id()")  # quick's transaction is the older one
        slow.execute("SELECT pg_current_xact_id()")
        append(slow, "case", f"case:{uid}-slow", 0, [NewEvent("risk.case.opened.v1", {"who": "slow"})])
        append(quick, "case", f"case:{uid}-quick", 0, [NewEvent("risk.case.opened.v1", {"who": "quick"})])
        quick.commit()  # quick's event has the higher seq and commits first
        seen = read_all(reader, start)
        assert [e.payload["who"] for e in seen] == ["quick"]
        position = seen[-1].position
        assert read_all(reader, position) == []  # the slow transaction still holds the lower seq
        slow.commit()
        late = read_all(reader, position)  # its lower seq comes after the position, not skipped
        assert [e.payload["who"] for e in late] == ["slow"]
        assert late[0].seq < seen[-1].seq and late[0].position > position


def test_readers_never_see_an_event_past_a_running_older_transaction(db_url: str, uid: str) -> None:
    with (
        psycopg.connect(db_url) as older,
        psycopg.connect(db_url) as newer,
        psycopg.connect(db_url, autocommit=True) as reader,
    ):
        start = _tail(reader)
        older.execute("SELECT pg_current_xact_id()")
        append(newer, "case", f"case:{uid}-newer", 0, [NewEvent("risk.case.opened.v1", {})])
        newer.commit()
        assert read_all(reader, start) == []  # a younger commit waits while an older one runs
        older.rollback()
        assert len(read_all(reader, start)) == 1


def test_writers_on_different_accounts_do_not_wait_for_each_other(ledger: Ledger, uid: str) -> None:
    cash_a, cust_a = _accounts(ledger, f"{uid}a")
    cash_b, cust_b = _accounts(ledger, f"{uid}b")
    inside, release = threading.Event(), threading.Event()

    def hold_open(conn: psycopg.Connection, journal_id: int) -> None:
        inside.set()  # the entry, its events and outbox rows are written; the transaction stays open
        release.wait(30)

    first = threading.Thread(
        target=lambda: ledger.post(
            f"{uid}-first", [Leg.debit(cash_a, "5"), Leg.credit(cust_a, "5")], within_transaction=hold_open
        )
    )
    first.start()
    try:
        assert inside.wait(30)
        second = threading.Thread(
            target=lambda: ledger.post(f"{uid}-second", [Leg.debit(cash_b, "7"), Leg.credit(cust_b, "7")])
        )
        second.start()
        second.join(20)
        # with one global lock held to commit, the second writer would still be waiting here
        assert not second.is_alive(), "a writer on other accounts waited for an open transaction"
    finally:
        release.set()
        first.join(30)
    assert ledger.balance(cust_a).posted == Decimal(5) and ledger.balance(cust_b).posted == Decimal(7)


# -- all-or-nothing batches -------------------------------------------------------------------------


def test_an_all_or_nothing_batch_writes_nothing_when_one_item_is_refused(ledger: Ledger, uid: str) -> None:
    cash, customer = _accounts(ledger, uid)
    ok = [Transfer(f"{uid}-ok-{i}", [Leg.debit(cash, "10"), Leg.credit(customer, "10")]) for i in range(3)]
    overdraw = Transfer(f"{uid}-over", [Leg.debit(customer, "1000"), Leg.credit(cash, "1000")])
    unknown = Transfer(f"{uid}-unknown", [Leg.debit(cash, "1"), Leg.credit(f"NOPE-{uid}", "1")])
    result = ledger.post_many([ok[0], overdraw, ok[1], unknown, ok[2]], all_or_nothing=True)
    assert result.posted == 0 and result.ids == (None,) * 5
    reasons = {r.index: r.error for r in result.rejected}
    assert isinstance(reasons[1], InsufficientFunds) and isinstance(reasons[3], UnknownAccount)
    for i in (0, 2, 4):
        assert isinstance(reasons[i], BatchAborted) and reasons[i].field == "transfers[1]"
    assert ledger.balance(customer).posted == 0
    with psycopg.connect(ledger.url) as conn:
        written = conn.execute(
            "SELECT count(*) FROM ledger.journal_entries WHERE reference_id LIKE %s", (f"{uid}-%",)
        ).fetchone()
    assert written == (0,)

    # the same batch without the refused items posts whole; the default mode posts what it can
    assert ledger.post_many(ok, all_or_nothing=True).posted == 3
    partial = ledger.post_many([overdraw, Transfer(f"{uid}-more", [Leg.debit(cash, "1"), Leg.credit(customer, "1")])])
    assert partial.posted == 1 and [r.index for r in partial.rejected] == [0]
    assert ledger.balance(customer).posted == Decimal(31)


def test_an_all_or_nothing_batch_sent_again_replays(ledger: Ledger, uid: str) -> None:
    cash, customer = _accounts(ledger, uid)
    batch = [Transfer(f"{uid}-{i}", [Leg.debit(cash, "2"), Leg.credit(customer, "2")]) for i in range(2)]
    assert ledger.post_many(batch, all_or_nothing=True).posted == 2
    again = ledger.post_many(batch, all_or_nothing=True)
    assert again.posted == 0 and again.replayed == 2 and not again.rejected


# -- back-dated debits ------------------------------------------------------------------------------


def test_a_back_dated_debit_that_would_overdraw_the_past_is_refused(ledger: Ledger, uid: str) -> None:
    cash, customer = _accounts(ledger, uid)
    day = datetime(2026, 3, 2, 12, tzinfo=UTC)
    _deposit(ledger, f"{uid}-in", cash, customer, "100", day)
    _withdraw(ledger, f"{uid}-out", cash, customer, "80", day + timedelta(days=5))
    # today 20 is left; 50 taken out on day 2 would leave 100 - 50 = 50 then, but 50 - 80 = -30 on day 5
    with pytest.raises(InsufficientFunds) as refused:
        _withdraw(ledger, f"{uid}-late", cash, customer, "50", day + timedelta(days=2))
    assert refused.value.field == "legs[0].account"
    assert refused.value.context["at"] == (day + timedelta(days=5)).isoformat()
    assert refused.value.context["balance"] == "-30"
    assert ledger.balance(customer).posted == Decimal(20)  # nothing written
    # 20 taken out on day 2 keeps every later balance at or above zero: accepted
    _withdraw(ledger, f"{uid}-fits", cash, customer, "20", day + timedelta(days=2))
    assert ledger.balance(customer).posted == 0
    # before the first deposit the account held nothing
    with pytest.raises(InsufficientFunds):
        _withdraw(ledger, f"{uid}-before", cash, customer, "0.01", day - timedelta(days=1))


def test_back_dated_credits_and_accounts_that_may_go_negative_are_not_limited(ledger: Ledger, uid: str) -> None:
    cash, customer = _accounts(ledger, uid)
    day = datetime(2026, 3, 2, 12, tzinfo=UTC)
    _deposit(ledger, f"{uid}-in", cash, customer, "10", day + timedelta(days=3))
    _deposit(ledger, f"{uid}-early", cash, customer, "5", day)  # a back-dated credit
    # the asset account (may go negative) takes a back-dated credit to below zero in the past
    _withdraw(ledger, f"{uid}-out", cash, customer, "15", day + timedelta(days=4))
    _deposit(ledger, f"{uid}-past", cash, customer, "1", day - timedelta(days=10))
    assert ledger.balance(customer).posted == 1


def test_a_batch_is_checked_over_time_with_its_own_earlier_items(ledger: Ledger, uid: str) -> None:
    cash, customer = _accounts(ledger, uid)
    day = datetime(2026, 3, 2, 12, tzinfo=UTC)
    result = ledger.post_many(
        [
            Transfer(f"{uid}-in", [Leg.debit(cash, "100"), Leg.credit(customer, "100")], effective_at=day),
            Transfer(
                f"{uid}-out", [Leg.debit(customer, "90"), Leg.credit(cash, "90")], effective_at=day + timedelta(days=4)
            ),
            # back-dated before the 90 went out, within the same batch: 100 - 30 - 90 < 0 on day 4
            Transfer(
                f"{uid}-late", [Leg.debit(customer, "30"), Leg.credit(cash, "30")], effective_at=day + timedelta(days=1)
            ),
        ]
    )
    assert result.posted == 2 and [r.index for r in result.rejected] == [2]
    assert isinstance(result.rejected[0].error, InsufficientFunds)
    assert result.rejected[0].error.field == "transfers[2].legs[0].account"


# -- outbox retention -------------------------------------------------------------------------------


class _Collect:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []

    def publish(self, messages: list[OutboxMessage]) -> None:
        self.messages.extend(messages)


def test_outbox_retention_removes_only_published_rows_past_it(db_url: str, ledger: Ledger, uid: str) -> None:
    cash, customer = _accounts(ledger, uid)
    with psycopg.connect(db_url) as conn:
        # everything pending from other tests is published first, then one more row is left pending
        OutboxRelay(db_url, _Collect(), retention=None).drain()
        _deposit(ledger, f"{uid}-pending", cash, customer, "3", datetime.now(UTC))
        pending = conn.execute("SELECT count(*) FROM ledger.outbox WHERE published_at IS NULL").fetchone()
        assert pending is not None and pending[0] >= 1
        conn.execute("UPDATE ledger.outbox SET created_at = now() - interval '30 days' WHERE published_at IS NULL")
        conn.execute(
            "UPDATE ledger.outbox SET published_at = now() - interval '8 days'"
            " WHERE published_at IS NOT NULL AND outbox_id % 2 = 0"
        )
        conn.commit()
        old, recent = conn.execute(
            "SELECT count(*) FILTER (WHERE published_at < now() - interval '7 days'),"
            " count(*) FILTER (WHERE published_at >= now() - interval '7 days') FROM ledger.outbox"
        ).fetchone()
        assert prune_outbox(db_url, timedelta(days=7), batch=3) == old
        left = conn.execute(
            "SELECT count(*) FILTER (WHERE published_at IS NULL), count(*) FILTER (WHERE published_at IS NOT NULL)"
            " FROM ledger.outbox"
        ).fetchone()
        assert left == (pending[0], recent)  # the old pending row is still there, unpublished
        assert prune_outbox(db_url, timedelta(0)) == recent
        with pytest.raises(ValueError):
            prune_outbox(db_url, timedelta(days=-1))
