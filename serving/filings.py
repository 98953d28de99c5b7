"""Filing-ready documents that name people: the CTR with each person's identity, and a SAR draft from a
case decided SAR_FILED. Built at request time from the marts and the ledger, never written to the lake
(whose copies stay pseudonymised); identities come only through `ledger.pii.identities`, which records
every access.

SAR filing deadline: 30 calendar days after the initial detection of facts that may constitute a basis
for filing (31 CFR 1020.320(b)(3)); the case's opening is that detection.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from ledger.cases import CaseDetail, Disposition, get_case
from ledger.decisions import decision_summary
from ledger.errors import ConflictError
from ledger.money import canonical
from ledger.pii import Identity, identities

SAR_DAYS = 30

_CTR = """
SELECT report_id, business_date, customer_id, customer_ref, cash_direction, transaction_count,
       round(total_amount_usd, 2)::text, amounts_by_currency, account_codes, journal_ids, reference_ids,
       threshold_usd::text
  FROM analytics.rpt_ctr WHERE business_date = %s ORDER BY customer_id, cash_direction
"""
_CTR_COLUMNS = (
    "report_id",
    "business_date",
    "customer_id",
    "customer_ref",
    "cash_direction",
    "transaction_count",
    "total_amount_usd",
    "amounts_by_currency",
    "account_codes",
    "journal_ids",
    "reference_ids",
    "threshold_usd",
)


class NotASar(ConflictError):
    code = "not_a_sar"
    title = "Case is not decided SAR_FILED"


def _person(identity: Identity | None) -> dict[str, Any] | None:
    if identity is None:
        return None
    person = asdict(identity)
    person["date_of_birth"] = identity.date_of_birth.isoformat()
    person["onboarded_at"] = identity.onboarded_at.isoformat()
    return person


def ctr_filing(conn: psycopg.Connection[Any], day: date, *, actor: str) -> list[dict[str, Any]]:
    """The day's CTRs (`analytics.rpt_ctr`), each with the person it is about (name, date of birth,
    address, identification)."""
    rows = [dict(zip(_CTR_COLUMNS, row, strict=True)) for row in conn.execute(_CTR, (day,)).fetchall()]
    people = identities(conn, (r["customer_id"] for r in rows), actor=actor, purpose=f"CTR filing {day.isoformat()}")
    for row in rows:
        row["business_date"] = row["business_date"].isoformat()
        row["person"] = _person(people.get(row["customer_id"]))
    return rows


def _money(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def sar_deadline(detail: CaseDetail) -> datetime:
    return detail.case.opened_at + timedelta(days=SAR_DAYS)


def sar_draft(
    conn: psycopg.Connection[Any], case_id: int, *, actor: str, now: datetime | None = None
) -> dict[str, Any]:
    """The SAR draft of a case decided SAR_FILED: subjects, activity window, amounts, accounts, journals,
    the alerts' evidence, a narrative and the filing deadline."""
    detail = get_case(conn, case_id)
    case = detail.case
    if case.disposition is not Disposition.SAR_FILED:
        raise NotASar(
            f"case {case_id} is {case.status}"
            + (f" with disposition {case.disposition}" if case.disposition else "")
            + ": a SAR is drafted from a case decided SAR_FILED",
            field="case_id",
        )
    links = {kind: [link for link in detail.links if link.kind == kind] for kind in ("alert", "account", "journal")}
    customer_ids = {int(link.ref) for link in detail.links if link.kind == "customer"}
    if case.customer_id is not None:
        customer_ids.add(case.customer_id)
    subjects = identities(conn, customer_ids, actor=actor, purpose=f"SAR draft for case {case_id}")
    alerts = [{"alert_id": link.ref, **link.detail} for link in links["alert"]]
    moments = [datetime.fromisoformat(a[k]) for a in alerts for k in ("first_at", "last_at") if a.get(k)]
    total = sum((_money(a.get("total_amount_usd")) for a in alerts), Decimal(0))
    held: dict[str, Any] | None = None
    decision = decision_summary(conn, case.decision_id) if case.decision_id is not None else None
    if decision is not None:
        moments.append(decision.decided_at)
        held = {
            "amount": canonical(decision.amount),
            "currency": decision.currency,
            "channel": decision.channel,
            "counterparty": decision.counterparty,
            "decided_at": decision.decided_at.isoformat(),
        }
    start, end = (min(moments), max(moments)) if moments else (case.opened_at, case.opened_at)
    deadline = sar_deadline(detail)
    now = now or datetime.now(UTC)
    names = ", ".join(s.full_name for s in subjects.values()) or "the customer"
    rules = sorted({a.get("rule") or "" for a in alerts} - {""}) or [case.rule]
    accounts = sorted(link.ref for link in links["account"])
    activity = f"{len(alerts)} alert(s) totalling {total:,.2f} USD"
    if held:
        activity += f" and a {held['channel']} of {held['amount']} {held['currency']} to {held['counterparty']}"
        activity += " held for review"
    sentences = [
        f"Between {start:%Y-%m-%d} and {end:%Y-%m-%d}, {names} conducted activity flagged by the institution's"
        f" monitoring ({', '.join(rules)}): {activity}, through account(s) {', '.join(accounts) or 'none recorded'}.",
        "The activity is inconsistent with the customer's profile as recorded at onboarding.",
        f"Case {case_id} was opened on {case.opened_at:%Y-%m-%d}"
        + (f" and decided to file on {case.closed_at:%Y-%m-%d}." if case.closed_at else "."),
    ]
    narrative = " ".join(sentences)
    return {
        "case_id": case_id,
        "subjects": [_person(s) for s in subjects.values()],
        "activity_window": {"start": start.isoformat(), "end": end.isoformat()},
        "total_amount_usd": str(total),
        "held_transfer": held,
        "accounts": accounts,
        "journal_ids": sorted({int(link.ref) for link in links["journal"]}),
        "alerts": alerts,
        "rules": rules,
        "narrative": narrative,
        "initial_detection": case.opened_at.isoformat(),
        "filing_deadline": deadline.isoformat(),
        "days_left": (deadline - now).days,
        "overdue": now > deadline,
        "notes": [{"author": n.author, "body": n.body, "at": n.created_at.isoformat()} for n in detail.notes],
    }
