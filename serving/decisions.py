"""Scoring a proposed transfer and acting on the decision.

approve  post the transfer; the decision row and its `risk.decision.made.v1` event commit with it
review   place a hold for the amount and open a case; decision, case and events commit with the hold
block    move nothing; the decision and its event are still recorded, and the caller gets a problem

The Idempotency-Key names the decision: a repeat with the same body gets the stored answer, a repeat
with another body a 409; two concurrent requests with one key post once (the ledger's reference id is
derived from the key) and both get the stored answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

import psycopg
from fastapi.concurrency import run_in_threadpool
from psycopg import errors as pg_errors
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, Field, field_validator

from features.online import ProposedTransfer, transfer_features, transfer_features_async
from fintra.logs import current_correlation_id
from ledger import Channel, Counterparty, Leg
from ledger.errors import UnknownAccount
from ledger.events import NewEvent, append
from models.risk.scorer import NAME as RISK
from models.risk.scorer import RiskScorer, reasons_as_dicts
from serving.problems import TYPE_BASE, Problem
from serving.state import AccountFacts, ServiceState

REVIEW_HOLD = timedelta(days=7)
CODE = r"^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$"


class TransferCreate(BaseModel):
    """A transfer out of a customer account, to another account (P2P) or to an outside party."""

    model_config = ConfigDict(extra="forbid")
    from_account: str = Field(pattern=CODE, description="The paying account's code")
    to_account: str = Field(
        pattern=CODE,
        description="The credited account: another customer's, or the safeguarding account for an outside payee",
    )
    amount: str = Field(
        pattern=r"^(0|[1-9][0-9]{0,19})(\.[0-9]{1,18})?$",
        description='A decimal string, e.g. "120.50" (never a JSON number: money is exact)',
        examples=["120.50"],
    )
    currency: str = Field(pattern=r"^[A-Z0-9]{2,10}$", description="Must be the paying account's currency")
    channel: Literal["WIRE", "ACH", "P2P"] | None = Field(
        None, description="How the money moves (any case). Default: P2P to a customer's account, else WIRE"
    )
    counterparty_name: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="The outside payee; required for WIRE and ACH and for P2P to someone outside the platform",
    )
    counterparty_account: str | None = Field(
        None, min_length=1, max_length=64, description="The outside payee's account number or IBAN"
    )
    counterparty_country: str | None = Field(
        None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country of the payee's account"
    )
    description: str | None = Field(None, max_length=500)

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("amount", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError('send the amount as a decimal string, e.g. "12.50": a JSON number may not be exact')
        return value


class ReasonPublic(BaseModel):
    feature: str
    value: float
    contribution: float = Field(
        description="Probability minus the probability with this feature at its training median"
    )


class ModelPublic(BaseModel):
    name: str
    version: int


class ScorePublic(BaseModel):
    score: float = Field(
        ge=0, le=1, description="Probability that the transfer belongs to a fraud or laundering pattern"
    )
    decision: Literal["approve", "review", "block"]
    model: ModelPublic
    reasons: list[ReasonPublic]
    features: dict[str, float]


class TransferPublic(BaseModel):
    decision_id: int
    decision: Literal["approve", "review"]
    status: Literal["posted", "held_for_review"]
    score: float
    model: ModelPublic
    reasons: list[ReasonPublic]
    journal_id: int | None
    hold_id: int | None
    case_id: int | None
    from_account: str
    to_account: str
    amount: str
    currency: str
    idempotency_key: str
    correlation_id: str | None


@dataclass(frozen=True, slots=True)
class Scored:
    transfer: ProposedTransfer
    features: dict[str, float]
    probability: float
    decision: str
    reasons: list[dict[str, Any]]
    scorer: RiskScorer
    account_id: int


def _scorer(state: ServiceState) -> RiskScorer:
    scorer = state.models.scorer
    if scorer is None:
        raise Problem(503, "model_unavailable", state.models.problems.get(RISK, "no risk model is loaded"))
    return scorer


def _amount(body: TransferCreate) -> Decimal:
    amount = Decimal(body.amount)
    if amount <= 0:
        raise Problem(422, "invalid_amount", "amount must be greater than zero", field="amount")
    if body.from_account == body.to_account:
        raise Problem(422, "invalid_request", "from_account and to_account must differ", field="to_account")
    return amount


def _proposal(body: TransferCreate, amount: Decimal, found: dict[str, AccountFacts]) -> tuple[ProposedTransfer, int]:
    """The transfer as the features see it, and the payer's account id, once the accounts fit."""
    for field in ("from_account", "to_account"):
        code = getattr(body, field)
        if code not in found:
            raise UnknownAccount(f"{field}: no account with code {code!r}", field=field, account=code)
    payer, payee = found[body.from_account], found[body.to_account]
    if body.currency != payer.currency:
        raise Problem(
            422,
            "currency_mismatch",
            f"{body.from_account} holds {payer.currency}, not {body.currency}",
            field="currency",
        )
    if payee.currency != payer.currency:
        raise Problem(
            422, "currency_mismatch", f"{body.to_account} holds {payee.currency}; convert first", field="to_account"
        )
    if payer.customer_id is None:
        raise Problem(422, "invalid_request", "from_account must be a customer's account", field="from_account")
    channel = body.channel or ("P2P" if payee.customer_id is not None else "WIRE")
    internal = channel == "P2P" and payee.customer_id is not None
    if not internal and not body.counterparty_name:
        raise Problem(
            422,
            "invalid_request",
            f"counterparty_name is required for {channel} to {body.to_account}: name the outside payee",
            field="counterparty_name",
        )
    counterparty = body.to_account if internal else body.counterparty_name
    return ProposedTransfer(body.from_account, amount, channel, counterparty, datetime.now(UTC)), payer.account_id


def _scored(scorer: RiskScorer, transfer: ProposedTransfer, features: dict[str, float], account_id: int) -> Scored:
    probability, reasons = scorer.explain(features)
    decision = scorer.decide(probability)
    return Scored(transfer, features, probability, decision, reasons_as_dicts(reasons), scorer, account_id)


def score_transfer(state: ServiceState, body: TransferCreate) -> Scored:
    """Validate against the ledger, compute the online features and score them (no writes)."""
    amount = _amount(body)
    transfer, account_id = _proposal(body, amount, state.accounts(body.from_account, body.to_account))
    scorer = _scorer(state)
    with state.pool.connection() as conn:
        features = transfer_features(conn, transfer)
    return _scored(scorer, transfer, features, account_id)


async def score_transfer_async(state: ServiceState, body: TransferCreate) -> Scored:
    """`score_transfer` on the event loop: the scoring endpoint's path, with no thread hop."""
    amount = _amount(body)
    codes = (body.from_account, body.to_account)
    found = state.cached_accounts(*codes)
    if len(found) < len(set(codes)):
        found = await run_in_threadpool(state.accounts, *codes)
    transfer, account_id = _proposal(body, amount, found)
    scorer = _scorer(state)
    async with state.async_pool().connection() as conn:
        features = await transfer_features_async(conn, transfer)
    return _scored(scorer, transfer, features, account_id)


def request_sha256(body: TransferCreate) -> bytes:
    return hashlib.sha256(json.dumps(body.model_dump(), sort_keys=True).encode()).digest()


def stored_answer(conn: psycopg.Connection, key: str, digest: bytes) -> tuple[int, dict[str, Any]] | None:
    row = conn.execute(
        "SELECT response_status, response, request_sha256 FROM ledger.risk_decisions WHERE idempotency_key = %s", (key,)
    ).fetchone()
    if row is None:
        return None
    if bytes(row[2]) != digest:
        raise Problem(
            409,
            "idempotency_conflict",
            f"Idempotency-Key {key!r} was used with a different request",
            field="Idempotency-Key",
        )
    return int(row[0]), dict(row[1])


def _record(
    conn: psycopg.Connection,
    scored: Scored,
    body: TransferCreate,
    key: str,
    digest: bytes,
    key_id: str,
    *,
    journal_id: int | None = None,
    hold_id: int | None = None,
) -> tuple[int, dict[str, Any]]:
    """Insert the decision (and for a review its case), append their events; return the answer."""
    decision_id = conn.execute(
        "SELECT nextval(pg_get_serial_sequence('ledger.risk_decisions', 'decision_id'))"
    ).fetchone()[0]  # type: ignore[index]
    case_id = None
    model = {"name": RISK, "version": scored.scorer.version}
    cid = current_correlation_id()
    if scored.decision == "block":
        status = 402
        response: dict[str, Any] = {
            "type": TYPE_BASE + "transfer-blocked",
            "title": "Transfer blocked",
            "status": status,
            "detail": f"the risk model scored the transfer {scored.probability:.4f} (block from"
            f" {scored.scorer.block_at:.4f}); nothing moved",
            "instance": "/v1/transfers",
            "decision_id": decision_id,
            "decision": "block",
            "score": scored.probability,
            "model": model,
            "reasons": scored.reasons,
            "correlation_id": cid,
        }
    else:
        if hold_id is not None:
            case_id = conn.execute("SELECT nextval(pg_get_serial_sequence('ledger.risk_cases', 'case_id'))").fetchone()[
                0
            ]  # type: ignore[index]
        status = 201 if scored.decision == "approve" else 202
        response = TransferPublic(
            decision_id=decision_id,
            decision=scored.decision,  # type: ignore[arg-type]
            status="posted" if scored.decision == "approve" else "held_for_review",
            score=scored.probability,
            model=ModelPublic(**model),
            reasons=[ReasonPublic(**r) for r in scored.reasons],
            journal_id=journal_id,
            hold_id=hold_id,
            case_id=case_id,
            from_account=body.from_account,
            to_account=body.to_account,
            amount=body.amount,
            currency=body.currency,
            idempotency_key=key,
            correlation_id=cid,
        ).model_dump()
    conn.execute(
        "INSERT INTO ledger.risk_decisions (decision_id, idempotency_key, request_sha256, account_id, counterparty,"
        " channel, amount, currency, decision, score, model_name, model_version, reasons, features, journal_id,"
        " hold_id, correlation_id, requested_by, response_status, response)"
        " OVERRIDING SYSTEM VALUE VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            decision_id,
            key,
            digest,
            scored.account_id,
            scored.transfer.counterparty,
            scored.transfer.channel,
            scored.transfer.amount,
            body.currency,
            scored.decision,
            scored.probability,
            RISK,
            scored.scorer.version,
            Jsonb(scored.reasons),
            Jsonb(scored.features),
            journal_id,
            hold_id,
            cid,
            key_id,
            status,
            Jsonb(response),
        ),
    )
    payload = {
        k: response.get(k)
        for k in ("decision_id", "decision", "score", "model", "reasons", "journal_id", "hold_id", "case_id")
    }
    payload.update(account=body.from_account, amount=body.amount, currency=body.currency, idempotency_key=key)
    append(
        conn,
        "risk_decision",
        f"risk_decision:{decision_id}",
        0,
        [NewEvent("risk.decision.made.v1", payload)],
        correlation_id=cid,
    )
    if case_id is not None:
        conn.execute(
            "INSERT INTO ledger.risk_cases (case_id, decision_id, hold_id) OVERRIDING SYSTEM VALUE VALUES (%s, %s, %s)",
            (case_id, decision_id, hold_id),
        )
        opened = {"case_id": case_id, "decision_id": decision_id, "hold_id": hold_id, "account": body.from_account}
        append(
            conn, "risk_case", f"risk_case:{case_id}", 0, [NewEvent("risk.case.opened.v1", opened)], correlation_id=cid
        )
    return status, response


def decide_transfer(
    state: ServiceState, body: TransferCreate, key: str, key_id: str
) -> tuple[int, dict[str, Any], bool]:
    """(HTTP status, answer, replayed) for a proposed transfer under an Idempotency-Key."""
    digest = request_sha256(body)
    with state.pool.connection() as conn:
        stored = stored_answer(conn, key, digest)
    if stored is not None:
        return (*stored, True)
    scored = score_transfer(state, body)
    answer: dict[str, tuple[int, dict[str, Any]]] = {}

    def record(conn: psycopg.Connection, journal_id: int | None = None, hold_id: int | None = None) -> None:
        answer["new"] = _record(conn, scored, body, key, digest, key_id, journal_id=journal_id, hold_id=hold_id)

    reference = f"api:{key}"
    metadata = {"idempotency_key": key}
    channel = Channel(scored.transfer.channel)
    # the outside payee; a P2P between two customers has its payee on the legs
    internal = channel is Channel.P2P and scored.transfer.counterparty == body.to_account
    payee = (
        Counterparty(body.counterparty_name, body.counterparty_account, None, body.counterparty_country)
        if body.counterparty_name and not internal
        else None
    )
    amount = scored.transfer.amount
    if scored.decision == "approve":
        state.ledger.post(
            reference,
            [Leg.debit(body.from_account, amount), Leg.credit(body.to_account, amount)],
            body.description,
            metadata,
            channel=channel,
            counterparty=payee,
            within_transaction=lambda conn, journal_id: record(conn, journal_id=journal_id),
        )
    elif scored.decision == "review":
        state.ledger.hold(
            reference,
            body.from_account,
            body.to_account,
            amount,
            datetime.now(UTC) + REVIEW_HOLD,
            description=body.description,
            metadata=metadata,
            channel=channel,
            counterparty=payee,
            within_transaction=lambda conn, hold_id: record(conn, hold_id=hold_id),
        )
    else:
        try:
            with state.pool.connection() as conn, conn.transaction():
                record(conn)
        except pg_errors.UniqueViolation:
            pass  # a concurrent request with this key recorded it first
    if "new" in answer:
        state.metrics.decisions.labels(scored.decision).inc()
        return (*answer["new"], False)
    with state.pool.connection() as conn:  # the ledger replayed: a concurrent request wrote the decision
        stored = stored_answer(conn, key, digest)
    if stored is None:
        raise Problem(
            409,
            "idempotency_conflict",
            f"Idempotency-Key {key!r} is in use by a request still running",
            field="Idempotency-Key",
        )
    return (*stored, True)
