"""The database itself refuses what the API would refuse: raw SQL cannot break the books."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
        "INSERT INTO ledger.journal_entries (reference_id, kind, content_hash, effective_at, channel)"
        " VALUES (%s, 'TRANSFER', '\\x00', %s, 'INTERNAL') RETURNING journal_id",
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


def _journals(conn: psycopg.Connection, refs: list[str], at: datetime = WHEN) -> list[int]:
    return [
        int(row[0])
        for row in conn.execute(
            "INSERT INTO ledger.journal_entries (reference_id, kind, content_hash, effective_at, channel)"
            " SELECT r, 'TRANSFER', '\\x00', %s, 'INTERNAL'"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS u(r, n) ORDER BY n"
            " RETURNING journal_id",
            (at, refs),
        ).fetchall()
    ]


def _legs(conn: psycopg.Connection, legs: list[tuple[int, int, int, str, str]]) -> None:
    """One multi-row INSERT of (journal_id, leg_no, account_id, direction, amount) legs in USD."""
    conn.execute(
        "INSERT INTO ledger.entries (journal_id, leg_no, account_id, direction, amount, currency, effective_at)"
        " SELECT j, n, a, d, m::numeric, 'USD', %s FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::text[],"
        " %s::text[]) AS u(j, n, a, d, m)",
        (WHEN, *map(list, zip(*legs, strict=True))),
    )


def test_one_unbalanced_journal_among_many_is_named_at_commit(conn: psycopg.Connection, accounts, uid: str) -> None:
    """The check runs once for all legs of the transaction and still names the journal that is wrong."""
    cash, alice, _ = accounts
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        ids = _journals(conn, [f"{uid}-many-{i}" for i in range(500)])
        legs = []
        for i, jid in enumerate(ids):
            legs += [(jid, 1, cash, "DEBIT", "2"), (jid, 2, alice, "CREDIT", "1.99" if i == 377 else "2")]
        _legs(conn, legs)
    assert err.value.sqlstate == "FL001"
    assert f"journal entry {ids[377]} does not balance in USD" in str(err.value)
    assert conn.execute(
        "SELECT count(*) FROM ledger.journal_entries WHERE reference_id LIKE %s", (f"{uid}-many-%",)
    ).fetchone() == (0,)


def test_a_leg_with_an_explicit_id_inside_a_checked_range_is_checked(
    conn: psycopg.Connection, accounts, uid: str
) -> None:
    """An immediate check remembers the ids it covered; a leg inserted later by another statement with an
    id inside that range (OVERRIDING SYSTEM VALUE) is checked all the same."""
    cash, alice, _ = accounts
    with pytest.raises(psycopg.Error) as err, conn.transaction():
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        (first,) = _journals(conn, [f"{uid}-imm-1"])
        _legs(conn, [(first, 1, cash, "DEBIT", "1"), (first, 2, alice, "CREDIT", "1")])
        low = conn.execute("SELECT min(entry_id) FROM ledger.entries WHERE journal_id = %s", (first,)).fetchone()[0]
        later = WHEN + timedelta(seconds=1)  # same partition, and the primary key is (entry_id, effective_at)
        (second,) = _journals(conn, [f"{uid}-imm-2"], at=later)
        conn.execute(
            "INSERT INTO ledger.entries (entry_id, journal_id, leg_no, account_id, direction, amount, currency,"
            " effective_at) OVERRIDING SYSTEM VALUE VALUES (%s, %s, 1, %s, 'DEBIT', 5, 'USD', %s)",
            (low, second, cash, later),
        )
    assert err.value.sqlstate == "FL001"


def test_legs_of_concurrent_writers_interleaved_in_the_sequence(
    db_url: str, conn: psycopg.Connection, accounts, uid: str
) -> None:
    """Another writer's legs inside this transaction's id range are checked on all their legs: a balanced
    journal committed with one leg before this transaction's range and one inside it does not fail this
    commit; an unbalanced journal inside a savepoint is caught."""
    cash, alice, _ = accounts
    with psycopg.connect(db_url) as other:
        (split,) = _journals(other, [f"{uid}-split"])
        _legs(other, [(split, 1, cash, "DEBIT", "4")])  # drawn before this transaction's first leg
        with conn.transaction():
            (mine,) = _journals(conn, [f"{uid}-mine"])
            _legs(conn, [(mine, 1, cash, "DEBIT", "3")])
            _legs(other, [(split, 2, alice, "CREDIT", "4")])  # inside this transaction's range
            other.commit()
            _legs(conn, [(mine, 2, alice, "CREDIT", "3")])
    totals = conn.execute(
        "SELECT journal_id, sum(amount) FROM ledger.entries WHERE journal_id = ANY(%s) GROUP BY 1 ORDER BY 1",
        ([split, mine],),
    ).fetchall()
    assert [(j, str(a.normalize())) for j, a in totals] == sorted([(split, "8"), (mine, "6")])

    with pytest.raises(psycopg.Error) as err, conn.transaction():
        (outer,) = _journals(conn, [f"{uid}-outer"])
        _legs(conn, [(outer, 1, cash, "DEBIT", "1"), (outer, 2, alice, "CREDIT", "1")])
        with conn.transaction():  # a savepoint: its rows are not the transaction's own xid
            (inner,) = _journals(conn, [f"{uid}-inner"])
            _legs(conn, [(inner, 1, cash, "DEBIT", "1"), (inner, 2, alice, "CREDIT", "0.5")])
    assert err.value.sqlstate == "FL001" and f"journal entry {inner} does not balance" in str(err.value)


def test_a_leg_must_name_an_existing_account(conn: psycopg.Connection, accounts, uid: str) -> None:
    cash, _, _ = accounts
    with pytest.raises(psycopg.errors.ForeignKeyViolation), conn.transaction():
        jid = _journal(conn, f"{uid}-raw-acct")
        _leg(conn, jid, 1, cash, "DEBIT", "3")
        _leg(conn, jid, 2, 10**12, "CREDIT", "3")


def test_an_accounts_currency_cannot_change(conn: psycopg.Connection, accounts) -> None:
    _, alice, _ = accounts
    with pytest.raises(psycopg.Error) as err:
        conn.execute("UPDATE ledger.accounts SET currency = 'EUR' WHERE account_id = %s", (alice,))
    assert err.value.sqlstate == "FL002"
    assert conn.execute("SELECT currency FROM ledger.accounts WHERE account_id = %s", (alice,)).fetchone() == ("USD",)
