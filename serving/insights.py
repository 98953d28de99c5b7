"""What an app can tell a customer about an account: where the money goes (card spending by merchant
category, merchants resolved from descriptors, each category's share), monthly cash flow, recurring
payments (with the day the next one is due) and transactions out of the ordinary (a recurring payment at
its usual amount never is). Amounts are decimal strings at the currency's precision ("194.10").

Without `as_of`, the window ends at the account's latest movement (a quiet or simulated account still
answers with its own recent months), else now for an account that never moved. Those insights are kept
(`serving.account_insights`, `latest_insights`): `fintra run` computes them for every customer account
(`precompute_insights`, also into the read store), and a read serves the kept ones while the account has
not changed since and they were resolved by the same merchant index (from the read store while the views
are fresh: `serving.views`), else computes and keeps them. Card descriptors are resolved once per merchant
index (`serving.merchant_resolutions`, `placed_descriptors`): recomputing an account that moved resolves its
new card payments only."""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import psycopg
import redis
from psycopg.types.json import Jsonb

from ledger.money import canonical
from models.merchants.resolve import MerchantResolver, Resolution
from serving.views import KeptInsights, ViewStore

# Outgoing movements of an account since a time: what was paid, to whom, how.
_OUTGOING = """
WITH captures AS MATERIALIZED (
    -- the card holds this account's captures settled (their merchant descriptors), read by the payer's
    -- index once: holds have no index by capture
    SELECT h.capture_journal_id, h.description FROM ledger.holds AS h
     WHERE h.from_account_id = %(account)s AND h.capture_journal_id IS NOT NULL
)
SELECT j.reference_id, e.effective_at, e.amount, j.kind, lower(j.channel),
       coalesce(h.description, j.counterparty_name, j.description)
  FROM ledger.entries AS e
  JOIN ledger.accounts AS a ON a.account_id = e.account_id
  JOIN ledger.journal_entries AS j ON j.journal_id = e.journal_id AND j.effective_at = e.effective_at
  LEFT JOIN captures AS h ON h.capture_journal_id = j.journal_id
 WHERE e.account_id = %(account)s AND e.effective_at >= %(since)s AND e.effective_at <= %(until)s
   AND e.direction <> a.normal_side
   AND j.kind IN ('TRANSFER', 'CAPTURE')
 ORDER BY e.effective_at, e.entry_id
"""
_CASH_FLOW = """
SELECT to_char(date_trunc('month', e.effective_at AT TIME ZONE 'UTC'), 'YYYY-MM'),
       coalesce(sum(e.amount) FILTER (WHERE e.direction = a.normal_side), 0),
       coalesce(sum(e.amount) FILTER (WHERE e.direction <> a.normal_side), 0)
  FROM ledger.entries AS e JOIN ledger.accounts AS a ON a.account_id = e.account_id
 WHERE e.account_id = %(account)s AND e.effective_at >= %(since)s AND e.effective_at <= %(until)s
 GROUP BY 1 ORDER BY 1
"""
_LATEST = "SELECT max(e.effective_at) FROM ledger.entries AS e WHERE e.account_id = %(account)s"
# Every change to an account (a posting, back-dated or not, a reversal, a hold) bumps its balance version.
_VERSION = "SELECT version FROM ledger.balances WHERE account_id = %(account)s"
_KEPT = """
SELECT i.payload, i.balance_version FROM serving.account_insights AS i JOIN ledger.balances AS b USING (account_id)
 WHERE i.account_id = %(account)s AND i.months = %(months)s AND i.resolver_version = %(resolver)s
   AND i.format = %(format)s AND i.balance_version = b.version
"""
# A slower computation of an older version never overwrites a newer one.
_KEEP = """
INSERT INTO serving.account_insights (account_id, months, until, resolver_version, balance_version, format, payload)
VALUES (%(account)s, %(months)s, %(until)s, %(resolver)s, %(version)s, %(format)s, %(payload)s)
ON CONFLICT (account_id, months) DO UPDATE
   SET until = excluded.until, resolver_version = excluded.resolver_version,
       balance_version = excluded.balance_version, format = excluded.format, payload = excluded.payload,
       computed_at = now()
 WHERE serving.account_insights.balance_version <= excluded.balance_version
"""
# Customer accounts that ever moved (all of them, or those of `codes`): the ones an app asks about.
_CUSTOMER_ACCOUNTS = """
SELECT a.account_id, a.code, a.currency FROM ledger.accounts AS a
 WHERE a.customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM ledger.entries AS e WHERE e.account_id = a.account_id)
   AND (%(codes)s::text[] IS NULL OR a.code = ANY(%(codes)s::text[]))
 ORDER BY a.account_id
"""
DEFAULT_MONTHS = 3
# The shape and meaning of the insights payload: raise it when a release changes what insights say, so that
# kept ones are computed anew.
INSIGHTS_FORMAT = 1
_MINOR_UNITS = "SELECT minor_units FROM ledger.currencies WHERE code = %(currency)s"
CADENCES = {"weekly": (6, 8), "monthly": (26, 35)}


@dataclass(frozen=True, slots=True)
class Payment:
    reference_id: str
    at: datetime
    amount: Decimal
    kind: str
    channel: str | None
    text: str | None


def text(value: Decimal) -> str:
    """An exact amount as text, one spelling per value (ledger.money.canonical)."""
    return canonical(Decimal(value))


def at_precision(value: Decimal, minor_units: int) -> str:
    """An amount as the currency writes it: exactly `minor_units` decimals ("194.10"). Amounts the ledger
    holds never have more; a median of two may, and is rounded half-even like any displayed average."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-minor_units)))


def label(category: str) -> str:
    """A category as a person reads it: "fast_food" is "Fast food"."""
    return category.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Placed:
    """What a card descriptor resolved to, as insights use it (kept in serving.merchant_resolutions)."""

    status: str  # resolved | unknown
    name: str | None
    category: str | None


_PLACED = """
SELECT descriptor, status, name, category FROM serving.merchant_resolutions
 WHERE model_version = %(model)s AND catalogue_version = %(catalogue)s AND descriptor = ANY(%(descriptors)s)
"""
_PLACE = """
INSERT INTO serving.merchant_resolutions (model_version, catalogue_version, descriptor, status, name, category)
SELECT %(model)s, %(catalogue)s, d.*
  FROM unnest(%(descriptors)s::text[], %(statuses)s::text[], %(names)s::text[], %(categories)s::text[])
       AS d(descriptor, status, name, category)
    ON CONFLICT DO NOTHING
"""


def placed_descriptors(
    conn: psycopg.Connection, resolver: MerchantResolver, descriptors: Collection[str]
) -> dict[str, Placed]:
    """Each descriptor's merchant by this index: those it placed before read back, the others resolved now and
    kept for next time. Only an index from the registry (with a version) is kept: two ad hoc ones would share
    a key."""
    wanted = sorted(set(descriptors))
    if not wanted:
        return {}
    if resolver.version is None:
        return dict(zip(wanted, _as_placed(resolver.resolve_many(wanted)), strict=True))
    key = {"model": int(resolver.version), "catalogue": int(resolver.catalogue_version)}
    found = {d: Placed(st, n, c) for d, st, n, c in conn.execute(_PLACED, {**key, "descriptors": wanted}).fetchall()}
    todo = [d for d in wanted if d not in found]
    if todo:
        fresh = _as_placed(resolver.resolve_many(todo))
        conn.execute(
            _PLACE,
            {
                **key,
                "descriptors": todo,
                "statuses": [p.status for p in fresh],
                "names": [p.name for p in fresh],
                "categories": [p.category for p in fresh],
            },
        )
        found.update(zip(todo, fresh, strict=True))
    return found


def _as_placed(resolutions: Sequence[Resolution]) -> list[Placed]:
    return [Placed(r.status, r.name, r.category) for r in resolutions]


def _payee(payment: Payment, merchants: dict[str, Placed]) -> tuple[str, str]:
    """(payee, category): the resolved merchant of a card payment, else the transfer's counterparty."""
    if payment.kind == "CAPTURE" and payment.text:
        found = merchants.get(payment.text)
        if found is not None and found.status == "resolved":
            return found.name, found.category
        return payment.text, "unresolved"
    return payment.text or (payment.channel or "other"), payment.channel or "other"


def account_insights(
    conn: psycopg.Connection,
    account_id: int,
    currency: str,
    resolver: MerchantResolver | None,
    *,
    months: int,
    as_of: date | None = None,
) -> dict[str, Any]:
    """The insights of `months` months up to the end of `as_of`, or up to the account's latest movement."""
    if as_of is not None:
        until, source = datetime.combine(as_of, time.max, tzinfo=UTC), "requested"
    else:
        latest = conn.execute(_LATEST, {"account": account_id}).fetchone()[0]
        until, source = (latest, "latest_movement") if latest is not None else (datetime.now(UTC), "now")
    since = until - timedelta(days=31 * months)
    found = conn.execute(_MINOR_UNITS, {"currency": currency}).fetchone()
    minor = int(found[0]) if found else 2
    rows = conn.execute(_OUTGOING, {"account": account_id, "since": since, "until": until}).fetchall()
    payments = [Payment(*row) for row in rows]
    descriptors = {p.text for p in payments if p.kind == "CAPTURE" and p.text}
    merchants = placed_descriptors(conn, resolver, descriptors) if resolver is not None else {}
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    by_payee: dict[str, list[Payment]] = defaultdict(list)
    for payment in payments:
        payee, category = _payee(payment, merchants)
        if payment.kind == "CAPTURE":
            by_category[category] += payment.amount
        by_payee[payee].append(payment)
    spent = sum(by_category.values(), Decimal(0))
    flow = conn.execute(_CASH_FLOW, {"account": account_id, "since": since, "until": until}).fetchall()
    regular = recurring(by_payee, minor)
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "window_ends_at": source,
        "merchant_resolution": "available" if resolver else "unavailable (no merchant index loaded)",
        "spending_by_category": [
            {
                "category": c,
                "label": label(c),
                "amount": at_precision(a, minor),
                "share": float(round(a / spent, 4)) if spent else 0.0,
            }
            for c, a in sorted(by_category.items(), key=lambda kv: -kv[1])
        ],
        "monthly_cash_flow": [
            {
                "month": m,
                "money_in": at_precision(i, minor),
                "money_out": at_precision(o, minor),
                "net": at_precision(i - o, minor),
            }
            for m, i, o in flow
        ],
        "recurring_payments": regular,
        "unusual_transactions": unusual(payments, merchants, minor, expected={r["payee"] for r in regular}),
    }


def recurring(by_payee: dict[str, list[Payment]], minor_units: int = 2) -> list[dict[str, Any]]:
    """Payees paid at least three times at a steady weekly or monthly rhythm, amounts within 10%. The next
    monthly payment is expected on the day of the month it is usually paid (a fee taken on the 1st is due
    on the 1st, not 30 days after the last one); a weekly one a week after the last."""
    found = []
    for payee, paid in by_payee.items():
        if len(paid) < 3:
            continue
        gaps = [(b.at - a.at).total_seconds() / 86400 for a, b in pairwise(paid)]
        typical = statistics.median(p.amount for p in paid)
        steady = all(abs(p.amount - typical) <= typical / 10 for p in paid)
        for cadence, (low, high) in CADENCES.items():
            if steady and all(low <= g <= high for g in gaps):
                last = paid[-1].at.date()
                if cadence == "monthly":
                    day = round(statistics.median(p.at.day for p in paid))
                    following = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
                    due = following.replace(day=min(day, calendar.monthrange(following.year, following.month)[1]))
                else:
                    due = last + timedelta(days=7)
                found.append(
                    {
                        "payee": payee,
                        "cadence": cadence,
                        "typical_amount": at_precision(Decimal(typical), minor_units),
                        "occurrences": len(paid),
                        "last_paid_at": paid[-1].at.isoformat(),
                        "next_expected_on": due.isoformat(),
                    }
                )
    return sorted(found, key=lambda r: r["payee"])


def unusual(
    payments: list[Payment],
    merchants: dict[str, Placed],
    minor_units: int = 2,
    *,
    expected: Collection[str] = (),
    limit: int = 5,
) -> list[dict[str, Any]]:
    """Payments far above the account's usual (more than median + 5 x the median absolute deviation),
    except those to a payee in `expected` (its recurring payments: the rent is large, never unusual)."""
    if len(payments) < 10:
        return []
    amounts = [p.amount for p in payments]
    middle = statistics.median(amounts)
    spread = statistics.median(abs(a - middle) for a in amounts) or Decimal(1)
    flagged = sorted(
        (p for p in payments if p.amount > middle + 5 * spread and _payee(p, merchants)[0] not in expected),
        key=lambda p: (p.amount - middle) / spread,
        reverse=True,
    )
    return [
        {
            "reference_id": p.reference_id,
            "at": p.at.isoformat(),
            "amount": at_precision(p.amount, minor_units),
            "payee": _payee(p, merchants)[0],
            "times_the_usual": float(round(p.amount / middle, 1)) if middle else None,
        }
        for p in flagged[:limit]
    ]


def resolver_version(resolver: MerchantResolver | None) -> int:
    """The merchant index's version kept with insights (-1: none loaded; 0: one not from the registry)."""
    return -1 if resolver is None else int(getattr(resolver, "version", None) or 0)


@dataclass(frozen=True, slots=True)
class LatestInsights:
    payload: dict[str, Any]
    kept: bool  # kept ones served, or computed now
    version: int | None  # the account's balance version they were computed at (None: nothing to keep)
    resolver: int  # the merchant index's version (`resolver_version`)


def latest_insights(
    conn: psycopg.Connection,
    account_id: int,
    currency: str,
    resolver: MerchantResolver | None,
    *,
    months: int = DEFAULT_MONTHS,
) -> LatestInsights:
    """Insights up to the account's latest movement. Kept insights serve while the account has not changed
    since (its balance version), they came from the same merchant index and this code's payload format;
    else they are computed and kept, with the version read before computing (a change committed meanwhile
    makes them stale at once, never wrongly current). An account that never moved has nothing to keep."""
    key = {"account": account_id, "months": months, "resolver": resolver_version(resolver), "format": INSIGHTS_FORMAT}
    kept = conn.execute(_KEPT, key).fetchone()
    if kept is not None:
        return LatestInsights(kept[0], True, int(kept[1]), key["resolver"])
    row = conn.execute(_VERSION, key).fetchone()
    found = account_insights(conn, account_id, currency, resolver, months=months)
    version = int(row[0]) if row is not None and found["window_ends_at"] == "latest_movement" else None
    if version is not None:
        conn.execute(_KEEP, {**key, "until": found["until"], "version": version, "payload": Jsonb(found)})
    return LatestInsights(found, False, version, key["resolver"])


def precompute_insights(
    conn: psycopg.Connection,
    resolver: MerchantResolver | None,
    *,
    months: int = DEFAULT_MONTHS,
    codes: Collection[str] | None = None,
    store: ViewStore | None = None,
) -> tuple[int, int]:
    """Keep the latest insights of every customer account that ever moved (or of those with these `codes`),
    committing as it goes, and in the read store `store` if given (a read store that fails is left alone:
    reads compute and keep them there again): (accounts computed, accounts whose kept insights were still
    current)."""
    computed = current = 0
    wanted = None if codes is None else list(codes)
    reachable = store is not None
    for account_id, code, currency in conn.execute(_CUSTOMER_ACCOUNTS, {"codes": wanted}).fetchall():
        latest = latest_insights(conn, account_id, currency, resolver, months=months)
        current += latest.kept
        computed += not latest.kept
        conn.commit()
        if reachable and store is not None and latest.version is not None:
            kept = KeptInsights(latest.version, latest.resolver, INSIGHTS_FORMAT, latest.payload)
            try:
                store.keep_insights(code, months, kept)
            except redis.RedisError:
                reachable = False
    return computed, current
