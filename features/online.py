"""Features of one transfer from PostgreSQL: its window statistics in one SQL statement, then the same
`finish` as offline.

For a proposed transfer (serving scores it before it posts) or for a historical one (as of its own time,
which is how the parity with the offline features is tested). The statement reads only the account's
legs of the last 30 days (each priced in USD at the last tick at or before it, as offline), index probes
for its previous movement and last payment to the same party, and from the balance projection its first
movement and its posted balance (minus what was posted at or after the transfer's time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
import psycopg

from features.definitions import BURST, FEATURE_NAMES, LOOKBACK, NEW_COUNTERPARTY, STATISTIC_COLUMNS, finish
from features.movements import LEGS_SCHEMA, movements

# Legs of the journals that touched one account in [since, until), shaped as LEGS_SCHEMA (the USD price
# in force is the last tick at or before the leg, like the offline as-of join).
_LEGS = """
WITH touched AS (
    SELECT DISTINCT journal_id, effective_at FROM ledger.entries
     WHERE account_id = %(account_id)s AND effective_at >= %(since)s AND effective_at < %(until)s
)
SELECT e.entry_id, e.journal_id, e.account_id, e.direction, e.amount, e.currency, e.effective_at AS ts,
       j.reference_id, j.kind, j.channel, j.counterparty_name,
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

# A payment of the account to the transfer's counterparty in the new-counterparty period: the latest
# (last_paid_at) or the first (payee_first_paid_at), each an index walk that stops at the first match.
_PAID = """       (SELECT e.effective_at FROM ledger.entries AS e
          JOIN ledger.journal_entries AS j ON j.journal_id = e.journal_id
         WHERE e.account_id = account.account_id AND e.direction <> account.normal_side
           AND e.effective_at >= $9 AND e.effective_at < $4 AND e.effective_at BETWEEN {quarter} AND {next_day}
           AND j.kind = 'TRANSFER'
           AND CASE WHEN j.channel = 'P2P' AND j.counterparty_name IS NULL THEN (
                   -- a scalar subquery, not EXISTS: the planner would turn that into a join over the payee
                   SELECT o.account_id FROM ledger.entries AS o
                    WHERE o.journal_id = e.journal_id AND o.effective_at = e.effective_at
                      AND o.account_id = account.payee_id
                      AND o.effective_at >= $9 AND o.effective_at < $4
                      AND o.effective_at BETWEEN {quarter} AND {next_day} LIMIT 1
               ) IS NOT NULL
               ELSE j.channel IN ('WIRE', 'ACH', 'P2P')
                    AND j.counterparty_name = $3
           END
         ORDER BY e.effective_at {order} LIMIT 1)"""

# Everything the features of one transfer need, as of $4 (the parameters: the account's code, the channel,
# the counterparty, the time, then the starts of the windows: an hour, a day, a week, 30 days, the
# new-counterparty period, the lookback before it and the burst window). The definitions are those of
# `features.definitions.window_statistics` and `features.movements`: a leg is IN when it is on the
# account's normal side; a transfer is a TRANSFER journal on the WIRE, ACH or P2P channel; its
# counterparty is the journal's named outside party, or for P2P between two customers the other
# customer's account.
# Every probe of ledger.entries also carries constant day bounds ({...}, formatted in by `_statement`):
# partitions outside them are pruned when the statement is planned. A generic plan (below) is otherwise
# planned over every monthly partition, ~26 ms, and planned again on every connection whenever autovacuum
# visits one of the tables: that stalled the scoring path for tens of milliseconds.
_STATEMENT = """
WITH account AS MATERIALIZED (
    SELECT a.account_id, a.currency, a.normal_side, c.kind AS currency_kind, cu.country AS customer_country,
           coalesce(b.posted, 0) AS posted, b.first_movement_at, payee.account_id AS payee_id,
           CASE WHEN $2 = 'P2P' THEN payee_customer.country END AS counterparty_country,
           cu.segment,
           -- not a feature: the decision rules hold every transfer of an account under an open case
           (SELECT min(rc.case_id) FROM ledger.risk_cases AS rc
             WHERE rc.account_id = a.account_id AND rc.status <> 'CLOSED') AS open_case_id,
           CASE WHEN a.currency = 'USD' THEN 1 ELSE (
               SELECT t.price FROM ledger.ticks AS t
                WHERE t.symbol = a.currency || '/USD' AND t.ts <= $4 ORDER BY t.ts DESC LIMIT 1
           ) END AS usd_rate
      FROM ledger.accounts AS a
      JOIN ledger.currencies AS c ON c.code = a.currency
      LEFT JOIN ledger.balances AS b ON b.account_id = a.account_id
      LEFT JOIN ledger.customers AS cu ON cu.customer_id = a.customer_id
      LEFT JOIN ledger.accounts AS payee ON payee.code = $3 AND payee.customer_id IS NOT NULL
      LEFT JOIN ledger.customers AS payee_customer ON payee_customer.customer_id = payee.customer_id
     WHERE a.code = $1
),
legs AS (  -- what a statistic reads: outgoing legs of 30 days, incoming ones of the last day
    SELECT e.effective_at AS ts, e.journal_id, e.direction = account.normal_side AS inward,
           e.amount::float8 * CASE WHEN account.currency = 'USD' THEN 1 ELSE (
               SELECT t.price FROM ledger.ticks AS t
                WHERE t.symbol = account.currency || '/USD' AND t.ts <= e.effective_at ORDER BY t.ts DESC LIMIT 1
           )::float8 END AS amount_usd
      FROM account
      JOIN ledger.entries AS e ON e.account_id = account.account_id
       AND e.effective_at >= $8 AND e.effective_at < $4 AND e.effective_at BETWEEN {month} AND {next_day}
     WHERE e.direction <> account.normal_side OR e.effective_at >= $6
),
windows AS (
    SELECT avg(amount_usd) FILTER (WHERE NOT inward) AS mean_30d,
           stddev_pop(amount_usd) FILTER (WHERE NOT inward) AS std_30d,
           count(*) FILTER (WHERE NOT inward AND ts >= $5) AS out_count_1h,
           count(*) FILTER (WHERE NOT inward AND ts >= $6) AS out_count_24h,
           count(*) FILTER (WHERE NOT inward AND ts >= $7) AS out_count_7d,
           sum(amount_usd) FILTER (WHERE NOT inward AND ts >= $5) AS out_sum_usd_1h,
           sum(amount_usd) FILTER (WHERE NOT inward AND ts >= $6) AS out_sum_usd_24h,
           sum(amount_usd) FILTER (WHERE NOT inward AND ts >= $7) AS out_sum_usd_7d,
           count(*) FILTER (WHERE inward) AS in_count_24h,
           sum(amount_usd) FILTER (WHERE inward) AS in_sum_usd_24h,
           count(*) FILTER (WHERE NOT inward AND ts >= $11) AS out_count_10m
      FROM legs
),
payees AS (  -- the journals are read only for the outgoing legs of the last day
    SELECT count(DISTINCT CASE WHEN j.channel = 'P2P' AND j.counterparty_name IS NULL THEN (
               SELECT min((SELECT other.code FROM ledger.accounts AS other
                            WHERE other.account_id = o.account_id AND other.customer_id IS NOT NULL))
                 FROM ledger.entries AS o
                WHERE o.journal_id = l.journal_id AND o.effective_at = l.ts AND o.account_id <> account.account_id
                  AND o.effective_at >= $6 AND o.effective_at < $4 AND o.effective_at BETWEEN {day} AND {next_day})
           ELSE j.counterparty_name END) AS distinct_counterparties_24h
      FROM legs AS l
      CROSS JOIN account
      JOIN ledger.journal_entries AS j ON j.journal_id = l.journal_id
     WHERE NOT l.inward AND l.ts >= $6
       AND j.kind = 'TRANSFER' AND j.channel IN ('WIRE', 'ACH', 'P2P')
)
SELECT account.account_id, account.currency, account.currency_kind, account.customer_country,
       account.counterparty_country, account.usd_rate, account.segment, account.open_case_id,
       account.posted - coalesce((
           SELECT sum(CASE WHEN e.direction = account.normal_side THEN e.amount ELSE -e.amount END)
             FROM ledger.entries AS e
            WHERE e.account_id = account.account_id AND e.effective_at >= $4 AND e.effective_at >= {today}
       ), 0) AS balance_before,
       -- the first movement strictly before the transfer is the first one, if it is before it
       CASE WHEN account.first_movement_at < $4 THEN account.first_movement_at END AS first_seen_at,
       windows.*, payees.distinct_counterparties_24h,
       (SELECT max(e.effective_at) FROM ledger.entries AS e
         WHERE e.account_id = account.account_id AND e.effective_at >= $10 AND e.effective_at < $4
           AND e.effective_at BETWEEN {lookback} AND {next_day}
       ) AS previous_at,
       {last_paid} AS last_paid_at,
       {first_paid} AS payee_first_paid_at
  FROM account, windows, payees
""".replace("{last_paid}", _PAID.replace("{order}", "DESC")).replace("{first_paid}", _PAID.replace("{order}", "ASC"))
# The statement's plan is the same for every account; planning it (a dozen subqueries over the monthly
# partitions in the day bounds) costs several times its execution, so connections that run it should use
# generic plans.
GENERIC_PLANS = "-c plan_cache_mode=force_generic_plan"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@lru_cache(maxsize=4)
def _statement(day: date) -> str:
    """The statement for transfers dated `day` (UTC): one new text a day, so one planning a day. Only
    dates derived from `day` are formatted in; every value of the request is a parameter."""

    def bound(days_before: int) -> str:
        return f"TIMESTAMPTZ '{(day - timedelta(days=days_before)).isoformat()} 00:00:00+00'"

    return _STATEMENT.format(
        today=bound(0),
        day=bound(2),
        month=bound(31),
        quarter=bound(NEW_COUNTERPARTY.days + 1),
        lookback=bound(LOOKBACK.days + 1),
        next_day=bound(-1),
    )


@dataclass(frozen=True, slots=True)
class ProposedTransfer:
    """A transfer out of a customer account, not posted yet."""

    account: str  # the paying account's code
    amount: Decimal  # in the account's currency
    channel: str  # wire, ach or p2p
    counterparty: str | None  # the payee's name, or for P2P the other customer's account code
    at: datetime


@dataclass(frozen=True, slots=True)
class TransferContext:
    """A proposed transfer's features and what the decision rules read beside them, from one statement."""

    features: dict[str, float]
    segment: str | None  # the paying customer's segment
    open_case_id: int | None  # the oldest open case on the paying account


class UnknownAccountError(LookupError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"account {code!r} does not exist")


def legs_frame(conn: psycopg.Connection, account_id: int, since: datetime, until: datetime) -> pl.DataFrame:
    rows = conn.execute(_LEGS, {"account_id": account_id, "since": since, "until": until}).fetchall()
    return pl.DataFrame(rows, schema=LEGS_SCHEMA, orient="row")


def _micros(at: datetime | None) -> float:
    return np.nan if at is None else float((at - _EPOCH) // _MICROSECOND)


def _day(at: datetime) -> date:
    return at.astimezone(UTC).date()


def _parameters(transfer: ProposedTransfer) -> tuple[Any, ...]:
    at = transfer.at
    return (
        transfer.account,
        transfer.channel,
        transfer.counterparty,
        at,
        at - timedelta(hours=1),
        at - timedelta(days=1),
        at - timedelta(days=7),
        at - timedelta(days=30),
        at - NEW_COUNTERPARTY,
        at - LOOKBACK,
        at - BURST,
    )


def _context(transfer: ProposedTransfer, found: Sequence[Any] | None, names: Sequence[str]) -> TransferContext:
    if found is None:
        raise UnknownAccountError(transfer.account)
    row = dict(zip(names, found, strict=True))
    return TransferContext(_features(transfer, row), row["segment"], row["open_case_id"])


def _features(transfer: ProposedTransfer, row: dict[str, Any]) -> dict[str, float]:
    rate = row["usd_rate"]
    columns: dict[str, Any] = {
        "amount": float(transfer.amount),
        "amount_usd": None if rate is None else float(transfer.amount) * float(rate),
        "balance_before": float(row["balance_before"]),
        "currency": row["currency"],
        "currency_kind": row["currency_kind"],
        "channel": transfer.channel,
        "customer_country": row["customer_country"],
        "counterparty_country": row["counterparty_country"],
        "ts_us": _micros(transfer.at),
        "first_seen_us": _micros(row["first_seen_at"]),
        **{name: row[name] for name in STATISTIC_COLUMNS},
        "previous_us": _micros(row["previous_at"]),
        "last_paid_us": _micros(row["last_paid_at"]),
        "payee_first_paid_us": _micros(row["payee_first_paid_at"]),
    }
    values = finish({name: np.array([value]) for name, value in columns.items()})
    return dict(zip(FEATURE_NAMES, values[0].tolist(), strict=True))


# Raw cursors: the statement is sent as written, not scanned for placeholders on every call.
def transfer_context(conn: psycopg.Connection[Any], transfer: ProposedTransfer) -> TransferContext:
    """Every feature of `transfer` (FEATURE_NAMES order) as of `transfer.at`, with the rules' context."""
    with psycopg.RawCursor(conn) as cursor:
        cursor.execute(_statement(_day(transfer.at)), _parameters(transfer))
        found = cursor.fetchone()
        return _context(transfer, found, [column.name for column in cursor.description or ()])


def transfer_features(conn: psycopg.Connection[Any], transfer: ProposedTransfer) -> dict[str, float]:
    """Every feature of `transfer` (FEATURE_NAMES order) as of `transfer.at`."""
    return transfer_context(conn, transfer).features


async def warm_async(conn: psycopg.AsyncConnection[Any]) -> None:
    """Prepare today's statement on `conn` (a pool's new connection), so that the first transfer scored
    on it does not pay for planning (~30 ms on a new database session)."""
    probe = ProposedTransfer("", Decimal(1), "WIRE", None, datetime.now(UTC))
    async with psycopg.AsyncRawCursor(conn) as cursor:
        await cursor.execute(_statement(_day(probe.at)), _parameters(probe), prepare=True)


async def transfer_context_async(conn: psycopg.AsyncConnection[Any], transfer: ProposedTransfer) -> TransferContext:
    """`transfer_context` on an asyncio connection (the scoring endpoint's path)."""
    async with psycopg.AsyncRawCursor(conn) as cursor:
        await cursor.execute(_statement(_day(transfer.at)), _parameters(transfer))
        found = await cursor.fetchone()
        return _context(transfer, found, [column.name for column in cursor.description or ()])


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
    # this journal's own movement: other transfers of the account may share its instant
    mine = (pl.col("account_id") == account_id) & (pl.col("flow") == "OUT") & (pl.col("reference_id") == reference_id)
    move = movements(legs).filter(mine).row(0, named=True)
    return ProposedTransfer(
        account=str(legs.filter(pl.col("account_id") == account_id)["account_code"][0]),
        amount=move["amount"],
        channel=move["channel"],
        counterparty=move["counterparty"],
        at=at,
    )
