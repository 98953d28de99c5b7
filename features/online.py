"""Features of one transfer from PostgreSQL, computed by the same `feature_frame` as offline.

For a proposed transfer (serving scores it before it posts) or for a historical one (as of its own
time, which is how the parity with the offline features is tested): the account's movements of the
LOOKBACK before the transfer (same columns as the lake's, `features.movements.LEGS_SCHEMA`), its posted
balance and first movement strictly before it, the customers' countries, and USD prices in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import polars as pl
import psycopg

from features.definitions import FEATURE_NAMES, LOOKBACK, TARGET_SCHEMA, feature_frame
from features.movements import LEGS_SCHEMA, movements

# Legs of the journals that touched one account in [since, until), shaped as LEGS_SCHEMA (the USD price
# in force is the last tick at or before the leg, like the offline as-of join).
_LEGS = """
WITH touched AS (
    SELECT DISTINCT journal_id, effective_at FROM ledger.entries
     WHERE account_id = %(account_id)s AND effective_at >= %(since)s AND effective_at < %(until)s
)
SELECT e.entry_id, e.journal_id, e.account_id, e.direction, e.amount, e.currency, e.effective_at AS ts,
       j.reference_id, j.kind, j.metadata ->> 'channel' AS channel,
       j.metadata ->> 'counterparty_name' AS counterparty_name,
       a.code AS account_code, a.customer_id, a.normal_side,
       CASE WHEN e.currency = 'USD' THEN 1 ELSE (
           SELECT t.price FROM ledger.ticks AS t
            WHERE t.symbol = e.currency || '/USD' AND t.ts <= e.effective_at ORDER BY t.ts DESC LIMIT 1
       ) END AS usd_rate
  FROM touched
  JOIN ledger.entries AS e ON e.journal_id = touched.journal_id AND e.effective_at = touched.effective_at
  JOIN ledger.journal_entries AS j ON j.journal_id = touched.journal_id
  JOIN ledger.accounts AS a ON a.account_id = e.account_id
"""
_ACCOUNT = """
SELECT a.account_id, a.currency, c.kind, cu.country, past.balance, past.first_seen_at
  FROM ledger.accounts AS a
  JOIN ledger.currencies AS c ON c.code = a.currency
  LEFT JOIN ledger.customers AS cu ON cu.customer_id = a.customer_id
  CROSS JOIN LATERAL (
      SELECT sum(CASE WHEN e.direction = a.normal_side THEN e.amount ELSE -e.amount END) AS balance,
             min(e.effective_at) AS first_seen_at
        FROM ledger.entries AS e WHERE e.account_id = a.account_id AND e.effective_at < %(at)s
  ) AS past
 WHERE a.code = %(code)s
"""
_COUNTERPARTY_COUNTRY = """
SELECT cu.country FROM ledger.accounts AS a JOIN ledger.customers AS cu USING (customer_id) WHERE a.code = %(code)s
"""
_PRICE = "SELECT price FROM ledger.ticks WHERE symbol = %(symbol)s AND ts <= %(at)s ORDER BY ts DESC LIMIT 1"


@dataclass(frozen=True, slots=True)
class ProposedTransfer:
    """A transfer out of a customer account, not posted yet."""

    account: str  # the paying account's code
    amount: Decimal  # in the account's currency
    channel: str  # wire, ach or p2p
    counterparty: str | None  # the payee's name, or for P2P the other customer's account code
    at: datetime


class UnknownAccountError(LookupError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"account {code!r} does not exist")


def legs_frame(conn: psycopg.Connection, account_id: int, since: datetime, until: datetime) -> pl.DataFrame:
    rows = conn.execute(_LEGS, {"account_id": account_id, "since": since, "until": until}).fetchall()
    return pl.DataFrame(rows, schema=LEGS_SCHEMA, orient="row")


def _usd_rate(conn: psycopg.Connection, currency: str, at: datetime) -> Decimal | None:
    if currency == "USD":
        return Decimal(1)
    row = conn.execute(_PRICE, {"symbol": f"{currency}/USD", "at": at}).fetchone()
    return None if row is None else row[0]


def transfer_features(
    conn: psycopg.Connection, transfer: ProposedTransfer, target_id: str = "proposed"
) -> dict[str, float]:
    """Every feature of `transfer` (FEATURE_NAMES order) as of `transfer.at`."""
    account = conn.execute(_ACCOUNT, {"code": transfer.account, "at": transfer.at}).fetchone()
    if account is None:
        raise UnknownAccountError(transfer.account)
    account_id, currency, kind, country, balance, first_seen = account
    counterparty_country = None
    if transfer.channel == "p2p" and transfer.counterparty:
        found = conn.execute(_COUNTERPARTY_COUNTRY, {"code": transfer.counterparty}).fetchone()
        counterparty_country = found[0] if found else None
    rate = _usd_rate(conn, currency, transfer.at)
    target = pl.DataFrame(
        [
            {
                "target_id": target_id,
                "account_id": account_id,
                "ts": transfer.at,
                "amount": float(transfer.amount),
                "amount_usd": None if rate is None else float(transfer.amount) * float(rate),
                "currency": currency,
                "currency_kind": kind,
                "channel": transfer.channel,
                "counterparty": transfer.counterparty,
                "customer_country": country,
                "counterparty_country": counterparty_country,
                "balance_before": float(balance or 0),
                "first_seen_at": first_seen,
            }
        ],
        schema=TARGET_SCHEMA,
    )
    history = movements(legs_frame(conn, account_id, transfer.at - LOOKBACK, transfer.at)).filter(
        pl.col("account_id") == account_id
    )
    row = feature_frame(target, history).row(0, named=True)
    return {name: row[name] for name in FEATURE_NAMES}


def historical_transfer(conn: psycopg.Connection, reference_id: str) -> ProposedTransfer:
    """A posted outgoing transfer described as it was proposed (to recompute its features as of then)."""
    found = conn.execute(
        "SELECT e.account_id, e.effective_at FROM ledger.journal_entries AS j"
        " JOIN ledger.entries AS e ON e.journal_id = j.journal_id AND e.effective_at = j.effective_at"
        " JOIN ledger.accounts AS a ON a.account_id = e.account_id"
        " WHERE j.reference_id = %s AND a.customer_id IS NOT NULL AND e.direction <> a.normal_side",
        (reference_id,),
    ).fetchone()
    if found is None:
        raise LookupError(f"{reference_id!r} is not an outgoing transfer of a customer account")
    account_id, at = found
    legs = legs_frame(conn, account_id, at, at + timedelta(microseconds=1))
    move = movements(legs).filter((pl.col("account_id") == account_id) & (pl.col("flow") == "OUT")).row(0, named=True)
    return ProposedTransfer(
        account=str(legs.filter(pl.col("account_id") == account_id)["account_code"][0]),
        amount=move["amount"],
        channel=move["channel"],
        counterparty=move["counterparty"],
        at=at,
    )
