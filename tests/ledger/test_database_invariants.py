"""The database itself refuses what the API would refuse: raw SQL cannot break the books."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from ledger import AccountType, Ledger, Leg

WHEN = datetime(2026, 2, 10, 12, tzinfo=UTC)


@pytest.fixture
def accounts(ledger: Ledger, uid: str) -> tuple[int, int, int]:
    cash = ledger.open_account(f"{uid}-CASH", "Cash", AccountType.ASSET, "USD")
    alice = ledger.open_account(f"{uid}-ALICE", "Alice", AccountType.LIABILITY, "USD")
    eur = ledger.open_account(f"{uid}-EUR", "Euro", AccountType.LIABILITY, "EUR")
    ledger.post(f"{uid}-seed", [Leg.debit(cash.code, "10"), Leg.credit(alice.code, "10")], effective_at=WHEN)
    return cash.account_id, alice.account_id, eur.account_id


def _journal(conn: psycopg.Connection, ref: str) -> int:
    row = conn.execute(
        "INSERT INTO ledger.journal_entries (reference_id, kind, content_hash, effective_at)"
        " VALUES (%s, 'TRANSFER', '\\x00', %s) RETURNING journal_id",
        (ref, WHEN),
    ).fetchone()
    assert row is not None
    return int(row[0])


def _leg(
    conn: psycopg.Connection,
    journal_id: int,
    leg_no: int,
    account_id: int,
    direction: str,
    amount: str,
    currency: str = "USD",
) -> None:
    conn.execute(
        "INSERT INTO ledger.entries (journal_id, leg_no, account_id, direction, amount, currency, effective_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (journal_id, leg_no, account_id, direction, amount, currency, WHEN),
    )


def test_balanced_raw_insert_commits(conn: psycopg.Connection, accounts, uid: str) -> None:
    cash, alice, _ = accounts
    with conn.transaction():
        jid = _journal(conn, f"{uid}-raw-ok")
        _leg(conn, jid, 1, cash, "DEBIT", "3")
        _leg(conn, jid, 2, alice, "CREDIT", "3")
    assert conn.execute("SELECT count(*) FROM ledger.entries WHERE journal_id = %s", (jid,)).fetchone() == (2,)


@pytest.mark.parametrize(
    "legs",
    [
        [("cash", "DEBIT", "3"), ("alice", "CREDIT", "2")],  # unbalanced
        [("cash", "DEBIT", "3")],  # one leg
        [("cash", "DEBIT", "3"), ("alice", "CREDIT", "3"), ("alice", "CREDIT", "0.01")],
    ],
)
def test_unbalanced_raw_insert_is_rejected_at_commit(conn: psycopg.Connection, accounts, uid: str, legs) -> None:
    ids = dict(zip(["cash", "alice"], accounts[:2], strict=True))
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        jid = _journal(conn, f"{uid}-raw-bad")
        for i, (who, direction, amount) in enumerate(legs, start=1):
            _leg(conn, jid, i, ids[who], direction, amount)
    assert err.value.sqlstate == "FL001"
    assert conn.execute(
        "SELECT count(*) FROM ledger.journal_entries WHERE reference_id = %s", (f"{uid}-raw-bad",)
    ).fetchone() == (0,)


def test_adding_a_leg_to_a_posted_entry_is_rejected(conn: psycopg.Connection, accounts, uid: str) -> None:
    cash, alice, _ = accounts
    jid = conn.execute(
        "SELECT journal_id FROM ledger.journal_entries WHERE reference_id = %s", (f"{uid}-seed",)
    ).fetchone()[0]
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        _leg(conn, jid, 3, cash, "DEBIT", "1")
    assert err.value.sqlstate == "FL001"
    # Even when the check already ran once in the transaction (SET CONSTRAINTS ... IMMEDIATE).
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        _leg(conn, jid, 3, cash, "DEBIT", "1")
        _leg(conn, jid, 4, alice, "CREDIT", "1")
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _leg(conn, jid, 5, cash, "DEBIT", "1")
    assert err.value.sqlstate == "FL001"


def test_leg_currency_must_match_the_account(conn: psycopg.Connection, accounts, uid: str) -> None:
    cash, _, eur = accounts
    with pytest.raises(psycopg.errors.ForeignKeyViolation), conn.transaction():
        jid = _journal(conn, f"{uid}-raw-ccy")
        _leg(conn, jid, 1, cash, "DEBIT", "3", "USD")
        _leg(conn, jid, 2, eur, "CREDIT", "3", "USD")


def test_non_positive_amounts_are_rejected(conn: psycopg.Connection, accounts, uid: str) -> None:
    cash, alice, _ = accounts
    with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
        jid = _journal(conn, f"{uid}-raw-neg")
        _leg(conn, jid, 1, cash, "DEBIT", "-3")
        _leg(conn, jid, 2, alice, "CREDIT", "-3")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger.entries SET amount = amount + 1",
        "UPDATE ledger.entries_y2026m02 SET amount = amount + 1",
        "DELETE FROM ledger.entries",
        "DELETE FROM ledger.entries_y2026m02",
        "TRUNCATE ledger.entries CASCADE",
        "TRUNCATE ledger.entries_y2026m02",
        "UPDATE ledger.journal_entries SET description = 'edited'",
        "DELETE FROM ledger.journal_entries",
        "TRUNCATE ledger.journal_entries CASCADE",
        "UPDATE ledger.event_store SET payload = '{}'",
        "DELETE FROM ledger.event_store",
    ],
)
def test_posted_history_cannot_be_changed(conn: psycopg.Connection, accounts, statement: str) -> None:
    before = conn.execute("SELECT count(*), sum(amount) FROM ledger.entries").fetchone()
    with pytest.raises(psycopg.Error) as err:
        conn.execute(statement)
    assert err.value.sqlstate == "FL002"
    assert "append-only" in str(err.value)
    assert conn.execute("SELECT count(*), sum(amount) FROM ledger.entries").fetchone() == before


def test_projection_refuses_a_negative_available_balance(conn: psycopg.Connection, accounts) -> None:
    _, alice, _ = accounts
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE ledger.balances SET held = posted + 1 WHERE account_id = %s", (alice,))


def test_legs_must_belong_to_an_existing_journal_at_the_same_time(conn: psycopg.Connection, accounts, uid: str) -> None:
    cash, alice, _ = accounts
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        _leg(conn, 10**12, 1, cash, "DEBIT", "3")
        _leg(conn, 10**12, 2, alice, "CREDIT", "3")
    assert err.value.sqlstate == "FL001" and "does not exist" in str(err.value)
    # A journal at one time cannot collect legs stamped with another (they would sit in another partition).
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        jid = _journal(conn, f"{uid}-raw-time")
        for leg_no, account, direction in [(1, cash, "DEBIT"), (2, alice, "CREDIT")]:
            conn.execute(
                "INSERT INTO ledger.entries (journal_id, leg_no, account_id, direction, amount, currency, effective_at)"
                " VALUES (%s, %s, %s, %s, 3, 'USD', %s)",
                (jid, leg_no, account, direction, datetime(2026, 2, 11, tzinfo=UTC)),
            )
    assert err.value.sqlstate == "FL001"


def test_accounts_cannot_be_deleted(conn: psycopg.Connection, accounts) -> None:
    with pytest.raises(psycopg.Error) as err:
        conn.execute("DELETE FROM ledger.accounts WHERE account_id = %s", (accounts[0],))
    assert err.value.sqlstate == "FL002"
