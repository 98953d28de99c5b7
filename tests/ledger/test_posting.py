"""Posting: worked examples, idempotency, and every domain error with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from ledger import (
    AccountClosed,
    AccountExists,
    AccountNotEmpty,
    AccountType,
    AmountPrecision,
    CurrencyMismatch,
    Direction,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidRequest,
    JournalKind,
    Ledger,
    Leg,
    TooFewLegs,
    Transfer,
    UnbalancedEntry,
    UnknownAccount,
    UnknownCurrency,
)
from tests.ledger.helpers import counts, projection_mismatches, unbalanced_currencies, versions

D = Decimal


def _bank(ledger: Ledger, uid: str, currency: str = "USD") -> dict[str, str]:
    codes = {
        "cash": f"{uid}-CASH-{currency}",
        "equity": f"{uid}-EQUITY-{currency}",
        "fees": f"{uid}-FEES-{currency}",
        "alice": f"{uid}-ALICE-{currency}",
        "bob": f"{uid}-BOB-{currency}",
    }
    ledger.open_account(codes["cash"], "Cash", AccountType.ASSET, currency)
    ledger.open_account(codes["equity"], "Equity", AccountType.EQUITY, currency)
    ledger.open_account(codes["fees"], "Fees", AccountType.REVENUE, currency)
    ledger.open_account(codes["alice"], "Alice", AccountType.LIABILITY, currency)
    ledger.open_account(codes["bob"], "Bob", AccountType.LIABILITY, currency)
    return codes


def test_opening_equity_deposit_fee_and_transfer(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    ledger.post(f"{uid}-capital", [Leg.debit(a["cash"], "100000"), Leg.credit(a["equity"], "100000")])
    ledger.post(f"{uid}-deposit", [Leg.debit(a["cash"], "250.10"), Leg.credit(a["alice"], "250.10")])
    ledger.post(f"{uid}-fee", [Leg.debit(a["alice"], "1.25"), Leg.credit(a["fees"], "1.25")])
    entry = ledger.post(
        f"{uid}-p2p", [Leg.debit(a["alice"], "48.85"), Leg.credit(a["bob"], "48.85")], "rent share", {"memo": "x"}
    )

    assert entry.kind is JournalKind.TRANSFER
    assert [(leg.account, leg.direction, leg.amount) for leg in entry.legs] == [
        (a["alice"], Direction.DEBIT, D("48.85")),
        (a["bob"], Direction.CREDIT, D("48.85")),
    ]
    assert entry.description == "rent share" and entry.metadata == {"memo": "x"}
    assert ledger.balance(a["cash"]).posted == D("100250.10")  # asset: debit-normal
    assert ledger.balance(a["equity"]).posted == D("100000")  # equity: credit-normal
    assert ledger.balance(a["alice"]).available == D("200.00")
    assert ledger.balance(a["bob"]).posted == D("48.85")
    assert ledger.balance(a["fees"]).posted == D("1.25")
    assert unbalanced_currencies(conn) == []
    assert projection_mismatches(conn) == []


def test_the_projection_keeps_each_accounts_first_movement(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    day = datetime(2026, 5, 10, 12, tzinfo=UTC)

    def first(code: str) -> datetime | None:
        return conn.execute(
            "SELECT b.first_movement_at FROM ledger.balances b JOIN ledger.accounts a USING (account_id)"
            " WHERE a.code = %s",
            (code,),
        ).fetchone()[0]

    assert first(a["alice"]) is None
    ledger.post(f"{uid}-1", [Leg.debit(a["cash"], "50"), Leg.credit(a["alice"], "50")], effective_at=day)
    ledger.post(f"{uid}-2", [Leg.debit(a["cash"], "5"), Leg.credit(a["alice"], "5")], effective_at=day + timedelta(1))
    assert first(a["alice"]) == day
    backdated = day - timedelta(days=40)  # an earlier month: another partition
    ledger.post_many(
        [
            Transfer(f"{uid}-3", [Leg.debit(a["cash"], "1"), Leg.credit(a["bob"], "1")], effective_at=day),
            Transfer(f"{uid}-4", [Leg.debit(a["cash"], "1"), Leg.credit(a["alice"], "1")], effective_at=backdated),
        ]
    )
    assert (first(a["alice"]), first(a["bob"]), first(a["cash"])) == (backdated, day, backdated)
    hold = ledger.hold(f"{uid}-h", a["alice"], a["bob"], "2", day + timedelta(days=3), effective_at=day)
    assert first(a["bob"]) == day  # a hold moves no money
    ledger.void(hold.hold_id)
    assert projection_mismatches(conn) == []


def test_eighteen_decimal_places_are_exact(ledger: Ledger, uid: str) -> None:
    vault = f"{uid}-VAULT-ETH"
    wallet = f"{uid}-WALLET-ETH"
    ledger.open_account(vault, "Custody", AccountType.ASSET, "ETH")
    ledger.open_account(wallet, "Wallet", AccountType.LIABILITY, "ETH")
    amounts = ["0.000000000000000001", "1.123456789012345678", "9999999999.999999999999999999"]
    for i, amount in enumerate(amounts):
        ledger.post(f"{uid}-eth-{i}", [Leg.debit(vault, amount), Leg.credit(wallet, amount)])
    # 29 significant digits: Python's default decimal context (28) would round this sum.
    assert ledger.balance(wallet).posted == D("10000000001.123456789012345678")
    assert ledger.balance(vault).posted == D("10000000001.123456789012345678")


def test_replay_returns_the_original_and_writes_nothing(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    legs = [Leg.debit(a["cash"], "10.00"), Leg.credit(a["alice"], "10.00")]
    first = ledger.post(f"{uid}-dep", legs, "deposit")
    before = counts(conn)
    again = ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "10"), Leg.credit(a["alice"], "10.0")], "deposit")
    assert again.replayed and not first.replayed
    assert again.journal_id == first.journal_id
    assert again.legs == first.legs
    assert counts(conn) == before
    assert ledger.balance(a["alice"]).posted == D("10")


def test_same_reference_different_content_is_a_conflict(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "10"), Leg.credit(a["alice"], "10")])
    before = counts(conn)
    with pytest.raises(IdempotencyConflict) as err:
        ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "11"), Leg.credit(a["alice"], "11")])
    assert err.value.field == "reference_id" and err.value.http_status == 409
    with pytest.raises(IdempotencyConflict):
        ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "10"), Leg.credit(a["alice"], "10")], "another memo")
    assert counts(conn) == before


@pytest.mark.parametrize(
    ("legs", "error", "field"),
    [
        (lambda a: [Leg.debit(a["cash"], "10")], TooFewLegs, "legs"),
        (lambda a: [], TooFewLegs, "legs"),
        (lambda a: [Leg.debit(a["cash"], "0"), Leg.credit(a["alice"], "0")], InvalidAmount, "legs[0].amount"),
        (lambda a: [Leg.debit(a["cash"], "-5"), Leg.credit(a["alice"], "-5")], InvalidAmount, "legs[0].amount"),
        (lambda a: [Leg.debit(a["cash"], 5.0), Leg.credit(a["alice"], "5")], InvalidAmount, "legs[0].amount"),
        (lambda a: [Leg.debit(a["cash"], "abc"), Leg.credit(a["alice"], "1")], InvalidAmount, "legs[0].amount"),
        (lambda a: [Leg.debit(a["cash"], "NaN"), Leg.credit(a["alice"], "1")], InvalidAmount, "legs[0].amount"),
        (lambda a: [Leg.debit(a["cash"], "1e10"), Leg.credit(a["alice"], "1e10")], InvalidAmount, "legs[0].amount"),
        (lambda a: [Leg.debit(a["cash"], "1"), Leg.credit(a["alice"], "1.001")], AmountPrecision, "legs[1].amount"),
        (lambda a: [Leg.debit(a["cash"], "1"), Leg.credit(a["alice"], "2")], UnbalancedEntry, "legs"),
        (lambda a: [Leg.debit("NO-SUCH", "1"), Leg.credit(a["alice"], "1")], UnknownAccount, "legs[0].account"),
        (lambda a: [Leg.debit(a["cash"], "1"), Leg("x", "SIDEWAYS", "1")], UnknownAccount, "legs[1].account"),
        (lambda a: [Leg.debit(a["cash"], "1"), Leg(a["alice"], "SIDEWAYS", "1")], InvalidRequest, "legs[1].direction"),
        (
            lambda a: [Leg.debit(a["cash"], "1", "EUR"), Leg.credit(a["alice"], "1")],
            CurrencyMismatch,
            "legs[0].currency",
        ),
    ],
)
def test_bad_postings_are_refused_with_the_field_and_nothing_written(
    ledger: Ledger, uid: str, conn: psycopg.Connection, legs, error, field
) -> None:
    a = _bank(ledger, uid)
    before, before_versions = counts(conn), versions(conn)
    with pytest.raises(error) as err:
        ledger.post(f"{uid}-bad", legs(a))
    assert err.value.field == field
    assert field in str(err.value)
    assert counts(conn) == before
    assert versions(conn) == before_versions


def test_overdraft_is_refused_and_allow_negative_permits_it(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "100"), Leg.credit(a["alice"], "100")])
    before = counts(conn)
    with pytest.raises(InsufficientFunds) as err:
        ledger.post(f"{uid}-spend", [Leg.debit(a["alice"], "100.01"), Leg.credit(a["bob"], "100.01")])
    assert err.value.field == "legs[0].account"
    assert err.value.context == {"account": a["alice"], "available": "100", "requested": "100.01"}
    assert counts(conn) == before
    # Exactly the available amount is fine; the platform's cash account may run negative only if allowed.
    ledger.post(f"{uid}-spend-all", [Leg.debit(a["alice"], "100"), Leg.credit(a["bob"], "100")])
    assert ledger.balance(a["alice"]).available == 0
    overdraft = f"{uid}-OVERDRAFT"
    ledger.open_account(overdraft, "Overdraft line", AccountType.ASSET, "USD", allow_negative=True)
    # An asset account that may not go negative is protected the same way (credit reduces it).
    with pytest.raises(InsufficientFunds) as err:
        ledger.post(f"{uid}-cash-out", [Leg.debit(overdraft, "101"), Leg.credit(a["cash"], "101")])
    assert err.value.field == "legs[1].account"
    ledger.post(f"{uid}-od", [Leg.debit(a["bob"], "100"), Leg.credit(overdraft, "100")])
    assert ledger.balance(overdraft).posted == D("-100")


def test_unknown_currency_and_account_attributes(ledger: Ledger, uid: str) -> None:
    with pytest.raises(UnknownCurrency):
        ledger.open_account(f"{uid}-X", "x", "ASSET", "XXX")
    with pytest.raises(InvalidRequest) as err:
        ledger.open_account(f"{uid}-X", "x", "MAGIC", "USD")
    assert err.value.field == "type"
    with pytest.raises(InvalidRequest) as err:
        ledger.open_account(f"{uid} has spaces", "x", "ASSET", "USD")
    assert err.value.field == "code"
    first = ledger.open_account(f"{uid}-A", "Alice", "liability", "USD", metadata={"kyc": "low"})
    assert first.normal_side is Direction.CREDIT
    assert ledger.open_account(f"{uid}-A", "Alice", AccountType.LIABILITY, "USD", metadata={"kyc": "low"}) == first
    with pytest.raises(AccountExists):
        ledger.open_account(f"{uid}-A", "Alice", AccountType.LIABILITY, "EUR")


def test_closed_accounts_refuse_postings(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "3"), Leg.credit(a["bob"], "3")])
    with pytest.raises(AccountNotEmpty):
        ledger.close_account(a["bob"])
    ledger.post(f"{uid}-out", [Leg.debit(a["bob"], "3"), Leg.credit(a["cash"], "3")])
    closed = ledger.close_account(a["bob"])
    assert closed.is_closed
    before = counts(conn)
    with pytest.raises(AccountClosed) as err:
        ledger.post(f"{uid}-late", [Leg.debit(a["cash"], "1"), Leg.credit(a["bob"], "1")])
    assert err.value.field == "legs[1].account"
    assert counts(conn) == before


def test_post_many_judges_each_transfer_in_order(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    a = _bank(ledger, uid)
    ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "100"), Leg.credit(a["alice"], "100")])
    pay = lambda ref, amount: Transfer(f"{uid}-{ref}", [Leg.debit(a["alice"], amount), Leg.credit(a["bob"], amount)])  # noqa: E731
    result = ledger.post_many(
        [
            pay("t0", "60"),
            pay("t1", "50"),  # only 40 left: refused
            pay("t2", "40"),  # fits once t1 is refused
            pay("t0", "60"),  # replay of t0 within the batch
            pay("t0", "61"),  # conflict with t0
            Transfer(f"{uid}-t5", [Leg.debit(a["alice"], "1")]),  # validation error
            pay("dep", "1"),  # conflict with an earlier posting
        ]
    )
    assert result.posted == 2 and result.replayed == 1
    assert [(r.index, type(r.error)) for r in result.rejected] == [
        (1, InsufficientFunds),
        (4, IdempotencyConflict),
        (5, TooFewLegs),
        (6, IdempotencyConflict),
    ]
    assert result.rejected[2].error.field == "transfers[5].legs"
    assert result.journal_ids[0] == result.journal_ids[3] is not None
    assert result.journal_ids[1] is None and result.journal_ids[2] is not None
    assert ledger.balance(a["alice"]).available == 0
    assert ledger.balance(a["bob"]).posted == D("100")
    assert projection_mismatches(conn) == []
    again = ledger.post_many([pay("t0", "60"), pay("t2", "40")])
    assert (again.posted, again.replayed, again.journal_ids) == (0, 2, (result.journal_ids[0], result.journal_ids[2]))
    with pytest.raises(InsufficientFunds):
        result.raise_first()


def test_post_many_across_chunks_is_one_transaction_judged_in_order(
    ledger: Ledger, uid: str, conn: psycopg.Connection
) -> None:
    """A batch longer than a chunk (CHUNK transfers are validated while the previous chunk is written): funds,
    replays and conflicts carry across chunks, errors keep their index, events and versions stay in order."""
    from ledger.posting import CHUNK

    a = _bank(ledger, uid)
    ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "10"), Leg.credit(a["alice"], "10")])
    pay = lambda ref, amount: Transfer(f"{uid}-{ref}", [Leg.debit(a["alice"], amount), Leg.credit(a["bob"], amount)])  # noqa: E731
    items = [pay(f"c{i}", "0.01") for i in range(2 * CHUNK + 10)]  # 20.10 in all: alice has 10.00
    items[5] = pay("c0", "0.01")  # replay of the first, same chunk
    items[CHUNK + 3] = pay("c1", "0.02")  # conflict with a transfer of the first chunk
    items[2 * CHUNK + 1] = Transfer(f"{uid}-bad", [Leg.debit(a["alice"], "0.001"), Leg.credit(a["bob"], "0.001")])
    before = counts(conn)
    result = ledger.post_many(items)
    posted = [i for i, jid in enumerate(result.journal_ids) if jid is not None and i != 5]
    assert len(posted) == 1000 and posted[-1] == 1000  # 10.00 / 0.01 = 1,000 payments, then alice is empty
    assert result.replayed == 1 and result.journal_ids[5] == result.journal_ids[0]
    errors = {r.index: type(r.error) for r in result.rejected}
    assert errors[CHUNK + 3] is IdempotencyConflict and errors[2 * CHUNK + 1] is AmountPrecision
    (bad,) = [r.error for r in result.rejected if r.index == 2 * CHUNK + 1]
    assert bad.field == f"transfers[{2 * CHUNK + 1}].legs[0].amount"
    assert {i for i, e in errors.items() if e is InsufficientFunds} == set(range(1001, 2 * CHUNK + 10)) - {
        CHUNK + 3,
        2 * CHUNK + 1,
    }
    assert ledger.balance(a["alice"]).available == 0 and ledger.balance(a["bob"]).posted == D("10")
    after = counts(conn)
    assert after["journal_entries"] - before["journal_entries"] == 1000
    assert after["event_store"] - before["event_store"] == after["outbox"] - before["outbox"] == 2000
    stream = conn.execute(
        "SELECT version FROM ledger.event_store WHERE aggregate_id = %s ORDER BY seq", (a["alice"],)
    ).fetchall()
    balance_version = conn.execute(
        "SELECT b.version FROM ledger.balances b JOIN ledger.accounts USING (account_id) WHERE code = %s",
        (a["alice"],),
    ).fetchone()[0]
    assert [v for (v,) in stream] == list(range(1, balance_version + 1))  # in seq order, no gap
    assert projection_mismatches(conn) == [] and unbalanced_currencies(conn) == []


def test_effective_at_must_be_aware_and_partitions_appear_on_demand(
    ledger: Ledger, uid: str, conn: psycopg.Connection
) -> None:
    a = _bank(ledger, uid)
    naive = datetime(2024, 3, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(InvalidRequest) as err:
        ledger.post(f"{uid}-naive", [Leg.debit(a["cash"], "1"), Leg.credit(a["alice"], "1")], effective_at=naive)
    assert err.value.field == "effective_at"
    when = datetime(2019, 7, 15, 12, tzinfo=UTC)
    entry = ledger.post(f"{uid}-old", [Leg.debit(a["cash"], "1"), Leg.credit(a["alice"], "1")], effective_at=when)
    assert entry.effective_at == when
    partition = conn.execute("SELECT to_regclass('ledger.entries_y2019m07')").fetchone()
    assert partition is not None and partition[0] is not None
    assert ledger.balance(a["alice"], as_of=when - timedelta(seconds=1)).posted == 0
    assert ledger.balance(a["alice"], as_of=when).posted == D("1")


def test_reversal_swaps_every_leg_once(ledger: Ledger, uid: str, conn: psycopg.Connection) -> None:
    from ledger import AlreadyReversed, JournalNotFound

    a = _bank(ledger, uid)
    ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "80"), Leg.credit(a["alice"], "80")])
    purchase = ledger.post(
        f"{uid}-buy", [Leg.debit(a["alice"], "30"), Leg.credit(a["bob"], "29"), Leg.credit(a["fees"], "1")]
    )
    refund = ledger.reverse(purchase.journal_id, f"{uid}-refund", "item returned")
    assert refund.kind is JournalKind.REVERSAL and refund.reverses_journal_id == purchase.journal_id
    assert [(leg.account, leg.direction, leg.amount) for leg in refund.legs] == [
        (a["alice"], Direction.CREDIT, D("30")),
        (a["bob"], Direction.DEBIT, D("29")),
        (a["fees"], Direction.DEBIT, D("1")),
    ]
    assert ledger.balance(a["alice"]).posted == D("80") and ledger.balance(a["bob"]).posted == 0
    assert ledger.reverse(purchase.journal_id, f"{uid}-refund", "item returned").replayed
    before = counts(conn)
    with pytest.raises(AlreadyReversed):
        ledger.reverse(purchase.journal_id, f"{uid}-refund-2", "again")
    with pytest.raises(JournalNotFound):
        ledger.reverse(10**12, f"{uid}-refund-3", "nothing")
    with pytest.raises(InvalidRequest) as err:
        ledger.reverse(purchase.journal_id, f"{uid}-refund-4", " ")
    assert err.value.field == "reason"
    assert counts(conn) == before
    # The original is untouched: corrections are new entries.
    assert ledger.journal(purchase.journal_id) == purchase


def test_reversal_that_would_overdraw_is_refused(ledger: Ledger, uid: str) -> None:
    a = _bank(ledger, uid)
    deposit = ledger.post(f"{uid}-dep", [Leg.debit(a["cash"], "50"), Leg.credit(a["alice"], "50")])
    ledger.post(f"{uid}-spend", [Leg.debit(a["alice"], "45"), Leg.credit(a["bob"], "45")])
    with pytest.raises(InsufficientFunds):
        ledger.reverse(deposit.journal_id, f"{uid}-undo", "deposit bounced")
