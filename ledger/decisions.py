"""Risk decisions and the cases they open: the ledger's record of what was decided about a transfer before
it moved money.

A decision is written in the transaction of what it decided: with the journal entry it approved, with the
hold it placed for review (and the case that hold waits on), or on its own for a block (nothing moved).
Its `risk.decision.made.v1` event is appended in that transaction too, followed for a review or a block by
a `risk.alert.raised.v1` event (the same payload), and the case a review opens (by
`ledger.cases.open_decision_case`). The relay publishes them on the brain's topics, `brain.decisions.v1` and
`brain.alerts.v1` (`ledger.jetstream`). Decisions are append-only; the Idempotency-Key of the request that
asked for one names it.

Callers (the API) hold no SQL into these tables: they reserve ids, record, open and ask through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

from ledger.events import NewEvent, append
from ledger.money import canonical

Outcome = Literal["approve", "review", "block"]
DECISION_EVENT = "risk.decision.made.v1"  # every decision
ALERT_EVENT = "risk.alert.raised.v1"  # a decision that stopped the money (review or block), after its decision


@dataclass(frozen=True, slots=True)
class RiskDecision:
    """What was decided about one proposed transfer, and why."""

    idempotency_key: str
    request_sha256: bytes
    account_id: int  # the paying account
    counterparty: str | None
    channel: str
    amount: Decimal
    currency: str
    decision: Outcome
    score: float  # the model's probability
    model_name: str
    model_version: int
    reasons: Sequence[Mapping[str, Any]]  # the model's risk-increasing reasons, labelled
    rules: Sequence[Mapping[str, Any]]  # the hard rules that fired, labelled
    features: Mapping[str, float]
    correlation_id: str | None
    requested_by: str | None


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The answer a decision's request got, to give it again to a repeat of that request."""

    status: int
    response: dict[str, Any]
    request_sha256: bytes


def stored_answer(conn: psycopg.Connection[Any], idempotency_key: str) -> StoredAnswer | None:
    row = conn.execute(
        "SELECT response_status, response, request_sha256 FROM ledger.risk_decisions WHERE idempotency_key = %s",
        (idempotency_key,),
    ).fetchone()
    return None if row is None else StoredAnswer(int(row[0]), dict(row[1]), bytes(row[2]))


def reserve_ids(conn: psycopg.Connection[Any], *, with_case: bool) -> tuple[int, int | None]:
    """A decision id, and a case id when the decision opens a case: the answer names them before the rows
    that carry them are written."""
    row = conn.execute(
        "SELECT nextval(pg_get_serial_sequence('ledger.risk_decisions', 'decision_id')),"
        " CASE WHEN %s THEN nextval(pg_get_serial_sequence('ledger.risk_cases', 'case_id')) END",
        (with_case,),
    ).fetchone()
    assert row is not None
    return int(row[0]), None if row[1] is None else int(row[1])


def record_decision(
    conn: psycopg.Connection[Any],
    decision_id: int,
    decision: RiskDecision,
    *,
    journal_id: int | None,
    hold_id: int | None,
    response_status: int,
    response: Mapping[str, Any],
    event: Mapping[str, Any],
) -> None:
    """Write the decision (an id from `reserve_ids`) and append its events (see the module docstring)."""
    conn.execute(
        "INSERT INTO ledger.risk_decisions (decision_id, idempotency_key, request_sha256, account_id, counterparty,"
        " channel, amount, currency, decision, score, model_name, model_version, reasons, rules, features,"
        " journal_id, hold_id, correlation_id, requested_by, response_status, response)"
        " OVERRIDING SYSTEM VALUE VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            decision_id,
            decision.idempotency_key,
            decision.request_sha256,
            decision.account_id,
            decision.counterparty,
            decision.channel,
            decision.amount,
            decision.currency,
            decision.decision,
            decision.score,
            decision.model_name,
            decision.model_version,
            Jsonb(list(decision.reasons)),
            Jsonb(list(decision.rules)),
            Jsonb(dict(decision.features)),
            journal_id,
            hold_id,
            decision.correlation_id,
            decision.requested_by,
            response_status,
            Jsonb(dict(response)),
        ),
    )
    payload = {**event, "amount": canonical(decision.amount), "currency": decision.currency}
    events = [NewEvent(DECISION_EVENT, payload)]
    if decision.decision != "approve":
        # The money was stopped: an alert for whoever watches the brain's alerts (brain.alerts.v1 on the bus)
        events.append(NewEvent(ALERT_EVENT, payload))
    append(
        conn,
        "risk_decision",
        f"risk_decision:{decision_id}",
        0,
        events,
        correlation_id=decision.correlation_id,
    )


@dataclass(frozen=True, slots=True)
class DecisionSummary:
    """What a decision was about, as a filing names it."""

    amount: Decimal
    currency: str
    channel: str
    counterparty: str | None
    decided_at: datetime


def decision_summary(conn: psycopg.Connection[Any], decision_id: int) -> DecisionSummary | None:
    row = conn.execute(
        "SELECT amount, currency, channel, counterparty, decided_at FROM ledger.risk_decisions WHERE decision_id = %s",
        (decision_id,),
    ).fetchone()
    return None if row is None else DecisionSummary(*row)
