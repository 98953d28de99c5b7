"""What an app can tell a customer about an account: where the money goes (card spending by merchant
category, merchants resolved from descriptors), monthly cash flow, recurring payments and transactions
out of the ordinary. Amounts are exact decimal strings in the account's currency."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import psycopg

from ledger.money import canonical
from models.merchants.resolve import MerchantResolver

# Outgoing movements of an account since a time: what was paid, to whom, how.
_OUTGOING = """
SELECT j.reference_id, e.effective_at, e.amount, j.kind, lower(j.channel),
       coalesce(h.description, j.counterparty_name, j.description)
  FROM ledger.entries AS e
  JOIN ledger.accounts AS a ON a.account_id = e.account_id
  JOIN ledger.journal_entries AS j ON j.journal_id = e.journal_id AND j.effective_at = e.effective_at
  LEFT JOIN ledger.holds AS h ON h.capture_journal_id = j.journal_id
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


def _payee(payment: Payment, merchants: dict[str, Any]) -> tuple[str, str]:
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
    resolver: MerchantResolver | None,
    *,
    months: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    since = now - timedelta(days=31 * months)
    rows = conn.execute(_OUTGOING, {"account": account_id, "since": since, "until": now}).fetchall()
    payments = [Payment(*row) for row in rows]
    descriptors = sorted({p.text for p in payments if p.kind == "CAPTURE" and p.text})
    merchants = (
        dict(zip(descriptors, resolver.resolve_many(descriptors), strict=True)) if resolver and descriptors else {}
    )
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    by_payee: dict[str, list[Payment]] = defaultdict(list)
    for payment in payments:
        payee, category = _payee(payment, merchants)
        if payment.kind == "CAPTURE":
            by_category[category] += payment.amount
        by_payee[payee].append(payment)
    flow = conn.execute(_CASH_FLOW, {"account": account_id, "since": since, "until": now}).fetchall()
    return {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "merchant_resolution": "available" if resolver else "unavailable (no merchant index loaded)",
        "spending_by_category": [
            {"category": c, "amount": text(a)} for c, a in sorted(by_category.items(), key=lambda kv: -kv[1])
        ],
        "monthly_cash_flow": [
            {"month": m, "money_in": text(i), "money_out": text(o), "net": text(i - o)} for m, i, o in flow
        ],
        "recurring_payments": recurring(by_payee),
        "unusual_transactions": unusual(payments, merchants),
    }


def recurring(by_payee: dict[str, list[Payment]]) -> list[dict[str, Any]]:
    """Payees paid at least three times at a steady weekly or monthly rhythm, amounts within 10%."""
    found = []
    for payee, paid in by_payee.items():
        if len(paid) < 3:
            continue
        gaps = [(b.at - a.at).total_seconds() / 86400 for a, b in pairwise(paid)]
        typical = statistics.median(p.amount for p in paid)
        steady = all(abs(p.amount - typical) <= typical / 10 for p in paid)
        for cadence, (low, high) in CADENCES.items():
            if steady and all(low <= g <= high for g in gaps):
                found.append(
                    {
                        "payee": payee,
                        "cadence": cadence,
                        "typical_amount": text(Decimal(typical)),
                        "occurrences": len(paid),
                        "last_paid_at": paid[-1].at.isoformat(),
                        "next_expected_around": (paid[-1].at + timedelta(days=statistics.median(gaps)))
                        .date()
                        .isoformat(),
                    }
                )
    return sorted(found, key=lambda r: r["payee"])


def unusual(payments: list[Payment], merchants: dict[str, Any], *, limit: int = 5) -> list[dict[str, Any]]:
    """Payments far above the account's usual (more than median + 5 x the median absolute deviation)."""
    if len(payments) < 10:
        return []
    amounts = [p.amount for p in payments]
    middle = statistics.median(amounts)
    spread = statistics.median(abs(a - middle) for a in amounts) or Decimal(1)
    flagged = sorted(
        (p for p in payments if p.amount > middle + 5 * spread),
        key=lambda p: (p.amount - middle) / spread,
        reverse=True,
    )
    return [
        {
            "reference_id": p.reference_id,
            "at": p.at.isoformat(),
            "amount": text(p.amount),
            "payee": _payee(p, merchants)[0],
            "times_the_usual": float(round(p.amount / middle, 1)) if middle else None,
        }
        for p in flagged[:limit]
    ]
