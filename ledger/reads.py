"""Reading the ledger: balances (current from the projection, historical from entries), statements
and journal entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from ledger.catalog import AccountRef, Catalog
from ledger.errors import InvalidRequest, JournalNotFound
from ledger.model import Balance, Direction, JournalEntry, JournalKind, PostedLeg, Statement, StatementLine
from ledger.money import MONEY, require_aware
from ledger.payments import Channel, Counterparty

_POSTED_SUM = """
SELECT coalesce(sum(CASE WHEN direction = %(normal)s THEN amount ELSE -amount END), 0)
  FROM ledger.entries
 WHERE account_id = %(account_id)s AND effective_at {op} %(bound)s
"""
_POSTED_THROUGH = _POSTED_SUM.replace("{op}", "<=")
_POSTED_BEFORE = _POSTED_SUM.replace("{op}", "<")

# Pending holds reduce an account when they would debit a CREDIT-normal account (it is the payer)
# or credit a DEBIT-normal one.
_HELD_AT = """
SELECT coalesce(sum(amount), 0) FROM (
    SELECT amount FROM ledger.holds
     WHERE %(normal)s = 'CREDIT' AND from_account_id = %(account_id)s
       AND effective_at <= %(as_of)s AND (resolved_at IS NULL OR resolved_at > %(as_of)s)
    UNION ALL
    SELECT amount FROM ledger.holds
     WHERE %(normal)s = 'DEBIT' AND to_account_id = %(account_id)s
       AND effective_at <= %(as_of)s AND (resolved_at IS NULL OR resolved_at > %(as_of)s)
) AS pending
"""

_STATEMENT = """
SELECT e.effective_at, e.journal_id, j.reference_id, j.kind, j.description, e.direction, e.amount,
       %(opening)s::numeric + sum(CASE WHEN e.direction = %(normal)s THEN e.amount ELSE -e.amount END)
           OVER (ORDER BY e.effective_at, e.journal_id, e.entry_id) AS balance_after
  FROM ledger.entries e
  JOIN ledger.journal_entries j ON j.journal_id = e.journal_id AND j.effective_at = e.effective_at
 WHERE e.account_id = %(account_id)s AND e.effective_at >= %(start)s AND e.effective_at < %(end)s
 ORDER BY e.effective_at, e.journal_id, e.entry_id
"""

_JOURNAL = """
SELECT j.journal_id, j.reference_id, j.kind, j.description, j.metadata, j.effective_at, j.posted_at,
       j.reverses_journal_id, j.correlation_id, j.channel, j.counterparty_name, j.counterparty_account,
       j.counterparty_institution, j.counterparty_country, j.location
  FROM ledger.journal_entries j WHERE j.journal_id = %s
"""
_LEGS = """
SELECT e.leg_no, a.code, e.direction, e.amount, e.currency
  FROM ledger.entries e JOIN ledger.accounts a USING (account_id)
 WHERE e.journal_id = %s AND e.effective_at = %s
 ORDER BY e.leg_no
"""


def current_balance(conn: psycopg.Connection[Any], ref: AccountRef) -> Balance:
    row = conn.execute(
        "SELECT posted, held, available, version FROM ledger.balances WHERE account_id = %s",
        (ref.account_id,),
    ).fetchone()
    assert row is not None, "every account has a balance row"
    posted, held, available, version = row
    return Balance(ref.code, ref.currency, posted, held, available, version)


def balance_as_of(conn: psycopg.Connection[Any], ref: AccountRef, as_of: datetime) -> Balance:
    """The balance recomputed from entries and holds as they stood at `as_of` (inclusive)."""
    params = {"normal": ref.normal_side.value, "account_id": ref.account_id, "bound": as_of, "as_of": as_of}
    posted = _scalar(conn, _POSTED_THROUGH, params)
    held = _scalar(conn, _HELD_AT, params)
    return Balance(ref.code, ref.currency, posted, held, MONEY.subtract(posted, held), None, as_of)


def balance(conn: psycopg.Connection[Any], catalog: Catalog, account: str, as_of: datetime | None = None) -> Balance:
    ref = catalog.account(conn, account)
    if as_of is None:
        return current_balance(conn, ref)
    require_aware(as_of, field="as_of")
    return balance_as_of(conn, ref, as_of)


STATEMENT_DAYS = 30


_LATEST_MOVEMENT = "SELECT last_movement_at FROM ledger.balances WHERE account_id = %(account_id)s"


def statement(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    account: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Statement:
    """Entries of `account` with start <= effective_at < end, each with the running balance. Without `end`,
    up to and including the account's latest movement (now for an account that never moved); without
    `start`, STATEMENT_DAYS days before the end: a statement of an account quiet for months still shows
    its last month of activity, not an empty window."""
    ref = catalog.account(conn, account)
    if end is None:
        row = conn.execute(_LATEST_MOVEMENT, {"account_id": ref.account_id}).fetchone()
        end = row[0] + timedelta(microseconds=1) if row and row[0] is not None else datetime.now(UTC)
    if start is None:
        start = end - timedelta(days=STATEMENT_DAYS)
    require_aware(start, field="start")
    require_aware(end, field="end")
    if end <= start:
        raise InvalidRequest("end must be after start", field="end")
    opening = _scalar(
        conn, _POSTED_BEFORE, {"normal": ref.normal_side.value, "account_id": ref.account_id, "bound": start}
    )
    rows = conn.execute(
        _STATEMENT,
        {
            "opening": opening,
            "normal": ref.normal_side.value,
            "account_id": ref.account_id,
            "start": start,
            "end": end,
        },
    ).fetchall()
    lines = tuple(
        StatementLine(eff, jid, reference, JournalKind(kind), descr, Direction(direction), amount, after)
        for eff, jid, reference, kind, descr, direction, amount, after in rows
    )
    closing = lines[-1].balance_after if lines else opening
    return Statement(ref.code, ref.currency, start, end, opening, closing, lines)


def fetch_journal(conn: psycopg.Connection[Any], journal_id: int, *, replayed: bool = False) -> JournalEntry:
    row = conn.execute(_JOURNAL, (journal_id,)).fetchone()
    if row is None:
        raise JournalNotFound(f"no journal entry {journal_id}", field="journal_id", journal_id=journal_id)
    jid, reference, kind, descr, metadata, effective_at, posted_at, reverses, correlation_id, *details = row
    legs = tuple(
        PostedLeg(leg_no, code, Direction(direction), amount, currency)
        for leg_no, code, direction, amount, currency in conn.execute(_LEGS, (jid, effective_at))
    )
    return JournalEntry(
        journal_id=jid,
        reference_id=reference,
        kind=JournalKind(kind),
        legs=legs,
        effective_at=effective_at,
        posted_at=posted_at,
        description=descr,
        metadata=metadata,
        reverses_journal_id=reverses,
        correlation_id=correlation_id,
        replayed=replayed,
        channel=Channel(details[0]),
        counterparty=counterparty_of(*details[1:5]),
        location=details[5],
    )


def counterparty_of(
    name: str | None, account: str | None, institution: str | None, country: str | None
) -> Counterparty | None:
    """The counterparty stored in a row's columns (None when it names none)."""
    return None if name is None else Counterparty(name, account, institution, country)


def _scalar(conn: psycopg.Connection[Any], query: str, params: dict[str, Any]) -> Decimal:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return Decimal(row[0])


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What never changes about an account (whether it is closed is checked when posting)."""

    account_id: int
    code: str
    currency: str
    minor_units: int  # the currency's decimal places: no amount on the account is finer
    customer_id: int | None


def account_facts(conn: psycopg.Connection[Any], codes: Sequence[str]) -> list[AccountFacts]:
    """The facts of the accounts among `codes` that exist."""
    rows = conn.execute(
        "SELECT a.account_id, a.code, a.currency, c.minor_units, a.customer_id FROM ledger.accounts AS a"
        " JOIN ledger.currencies AS c ON c.code = a.currency WHERE a.code = ANY(%s)",
        (list(codes),),
    ).fetchall()
    return [AccountFacts(*row) for row in rows]
