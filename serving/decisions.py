"""Deciding a proposed transfer and acting on the decision.

Gathering (I/O): the accounts, the amount checked like the ledger checks it, the features and context in
one statement, the payee screened against the watch list, the model's opinion. Deciding: the pure
`serving.engine`. Acting, through the ledger's API (`ledger.decisions`):

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from fastapi.concurrency import run_in_threadpool
from psycopg import errors as pg_errors

from features.online import ProposedTransfer, TransferContext, transfer_context, transfer_context_async
from fintra.logs import current_correlation_id
from ledger import Channel, Counterparty, Leg
from ledger.cases import open_decision_case
from ledger.decisions import RiskDecision, StoredAnswer, record_decision, reserve_ids, stored_answer
from ledger.errors import UnknownAccount
from ledger.money import check_leg_amount
from ledger.reads import AccountFacts
from models.risk.scorer import NAME as RISK
from models.risk.scorer import RiskScorer
from serving.engine import Decision, RuleHit, assess
from serving.problems import TYPE_BASE, Problem
from serving.schemas import ModelPublic, ReasonPublic, RulePublic, TransferCreate, TransferPublic
from serving.state import ServiceState

REVIEW_HOLD = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Scored:
    transfer: ProposedTransfer
    context: TransferContext
    probability: float
    decision: Decision
    scorer: RiskScorer
    payer: AccountFacts

    @property
    def outcome(self) -> str:
        return self.decision.outcome

    def rules(self) -> list[dict[str, Any]]:
        return [hit.as_dict() for hit in self.decision.rules]

    def reasons(self) -> list[dict[str, Any]]:
        return [reason.as_dict() for reason in self.decision.reasons]


def _scorer(state: ServiceState) -> RiskScorer:
    scorer = state.models.scorer
    if scorer is None:
        raise Problem(503, "model_unavailable", state.models.problems.get(RISK, "no risk model is loaded"))
    return scorer


@dataclass(frozen=True, slots=True)
class Proposal:
    transfer: ProposedTransfer
    payer: AccountFacts
    payee: str | None  # the outside payee's name, screened (None: another customer's account)


def _proposal(body: TransferCreate, found: dict[str, AccountFacts]) -> Proposal:
    """The transfer as the features see it, once the accounts and the amount fit."""
    if body.from_account == body.to_account:
        raise Problem(422, "invalid_request", "from_account and to_account must differ", field="to_account")
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
    # the ledger's own check (positive, within a leg's range, no finer than the currency's minor unit):
    # what is scored is always something that could be paid
    amount = check_leg_amount(
        Decimal(body.amount), currency=payer.currency, minor_units=payer.minor_units, field="amount"
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
    payee = None if internal else body.counterparty_name
    at = datetime.now(UTC)
    return Proposal(
        ProposedTransfer(body.from_account, amount, channel, body.to_account if internal else payee, at), payer, payee
    )


def _scored(state: ServiceState, scorer: RiskScorer, proposal: Proposal, context: TransferContext) -> Scored:
    transfer = proposal.transfer
    probability, decision = assess(
        context,
        transfer.channel,
        proposal.payee,
        scorer,
        state.screener,
        state.policy,
        open_case_id=context.open_case_id,
    )
    return Scored(transfer, context, probability, decision, scorer, proposal.payer)


def score_transfer(state: ServiceState, body: TransferCreate) -> Scored:
    """Validate against the ledger, gather the facts and decide (no writes)."""
    proposal = _proposal(body, state.accounts(body.from_account, body.to_account))
    scorer = _scorer(state)
    with state.pool.connection() as conn:
        context = transfer_context(conn, proposal.transfer)
    return _scored(state, scorer, proposal, context)


async def score_transfer_async(state: ServiceState, body: TransferCreate) -> Scored:
    """`score_transfer` on the event loop: the scoring endpoint's path, with no thread hop."""
    codes = (body.from_account, body.to_account)
    found = state.cached_accounts(*codes)
    if len(found) < len(set(codes)):
        found = await run_in_threadpool(state.accounts, *codes)
    proposal = _proposal(body, found)
    scorer = _scorer(state)
    async with state.async_pool().connection() as conn:
        context = await transfer_context_async(conn, proposal.transfer)
    return _scored(state, scorer, proposal, context)


def request_sha256(body: TransferCreate) -> bytes:
    return hashlib.sha256(json.dumps(body.model_dump(), sort_keys=True).encode()).digest()


def _replay(found: StoredAnswer | None, key: str, digest: bytes) -> tuple[int, dict[str, Any]] | None:
    if found is None:
        return None
    if found.request_sha256 != digest:
        raise Problem(
            409,
            "idempotency_conflict",
            f"Idempotency-Key {key!r} was used with a different request",
            field="Idempotency-Key",
        )
    return found.status, found.response


# Evidence that names a person as the caller typed it: kept in the decision row, not sent on the bus or into
# the lake (events leave the database).
_PERSONAL_EVIDENCE = ("payee",)


def case_title(decision: Decision) -> str:
    """A held transfer's case title: what was decided and the first reasons, naming no one as typed (the
    title travels in the case's events; the decision it links to holds the payee)."""
    said = [
        hit.reason if not any(k in hit.evidence for k in _PERSONAL_EVIDENCE) else _without_payee(hit)
        for hit in decision.rules
    ] + [reason.label for reason in decision.reasons]
    because = "; ".join(said[:3]) if said else "no rule fired and the model saw nothing unusual"
    return f"transfer held for review: {decision.outcome}: {because}"


def _without_payee(hit: RuleHit) -> str:
    shown = ", ".join(f"{k} {v}" for k, v in hit.evidence.items() if k not in _PERSONAL_EVIDENCE)
    return f"{hit.rule.replace('_', ' ')} ({hit.outcome}): {shown}"


def event_rules(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rules a decision's events carry: without the payee's name, which the watch-list rule's evidence
    and sentence hold (such a rule goes without its sentence; its evidence keeps the listed entity, the
    score and the basis); the decision row and the API's answer keep them whole."""
    carried = []
    for rule in rules:
        evidence = dict(rule.get("evidence") or {})
        personal = any(k in evidence for k in _PERSONAL_EVIDENCE)
        kept = {k: v for k, v in rule.items() if k != "evidence" and not (personal and k == "reason")}
        carried.append({**kept, "evidence": {k: v for k, v in evidence.items() if k not in _PERSONAL_EVIDENCE}})
    return carried


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
    expires_at: datetime | None = None,
) -> tuple[int, dict[str, Any]]:
    """Write the decision (and for a review its case, due when the hold expires) through the ledger; return
    the answer."""
    decision_id, case_id = reserve_ids(conn, with_case=hold_id is not None)
    model = {"name": RISK, "version": scored.scorer.version}
    cid = current_correlation_id()
    rules, reasons = scored.rules(), scored.reasons()
    if scored.outcome == "block":
        status = 402
        response: dict[str, Any] = {
            "type": TYPE_BASE + "transfer-blocked",
            "title": "Transfer blocked",
            "status": status,
            "detail": f"nothing moved. {scored.decision.summary}",
            "instance": "/v1/transfers",
            "decision_id": decision_id,
            "decision": "block",
            "score": scored.probability,
            "model": model,
            "rules": rules,
            "reasons": reasons,
            "correlation_id": cid,
        }
    else:
        status = 201 if scored.outcome == "approve" else 202
        response = TransferPublic(
            decision_id=decision_id,
            decision=scored.outcome,  # type: ignore[arg-type]
            status="posted" if scored.outcome == "approve" else "held_for_review",
            score=scored.probability,
            model=ModelPublic(**model),
            rules=[RulePublic(**r) for r in rules],
            reasons=[ReasonPublic(**r) for r in reasons],
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
    decision = RiskDecision(
        idempotency_key=key,
        request_sha256=digest,
        account_id=scored.payer.account_id,
        counterparty=scored.transfer.counterparty,
        channel=scored.transfer.channel,
        amount=scored.transfer.amount,
        currency=body.currency,
        decision=scored.outcome,  # type: ignore[arg-type]
        score=scored.probability,
        model_name=RISK,
        model_version=scored.scorer.version,
        reasons=reasons,
        rules=rules,
        features=scored.context.features,
        correlation_id=cid,
        requested_by=key_id,
    )
    event = {k: response.get(k) for k in ("decision_id", "decision", "score", "model", "journal_id", "hold_id")}
    event.update(
        case_id=case_id, rules=event_rules(rules), reasons=reasons, account=body.from_account, idempotency_key=key
    )
    record_decision(
        conn,
        decision_id,
        decision,
        journal_id=journal_id,
        hold_id=hold_id,
        response_status=status,
        response=response,
        event=event,
    )
    if case_id is not None and hold_id is not None:
        first = scored.decision.rules[0] if scored.decision.rules else None
        open_decision_case(
            conn,
            case_id,
            decision_id=decision_id,
            hold_id=hold_id,
            account_id=scored.payer.account_id,
            account_code=body.from_account,
            rule=first.rule if first else "model",
            title=case_title(scored.decision)[:500],
            due_at=expires_at or datetime.now(UTC) + REVIEW_HOLD,
            actor=key_id,
            correlation_id=cid,
        )
    return status, response


def decide_transfer(
    state: ServiceState, body: TransferCreate, key: str, key_id: str
) -> tuple[int, dict[str, Any], bool]:
    """(HTTP status, answer, replayed) for a proposed transfer under an Idempotency-Key."""
    digest = request_sha256(body)
    with state.pool.connection() as conn:
        stored = _replay(stored_answer(conn, key), key, digest)
    if stored is not None:
        return (*stored, True)
    scored = score_transfer(state, body)
    answer: dict[str, tuple[int, dict[str, Any]]] = {}

    expires_at = datetime.now(UTC) + REVIEW_HOLD

    def record(conn: psycopg.Connection, journal_id: int | None = None, hold_id: int | None = None) -> None:
        answer["new"] = _record(
            conn, scored, body, key, digest, key_id, journal_id=journal_id, hold_id=hold_id, expires_at=expires_at
        )

    # the ledger's reference: the tenant-scoped key, or its digest when that is longer than a reference
    reference = f"api:{key}" if len(key) <= 196 else f"api:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
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
    if scored.outcome == "approve":
        state.ledger.post(
            reference,
            [Leg.debit(body.from_account, amount), Leg.credit(body.to_account, amount)],
            body.description,
            metadata,
            channel=channel,
            counterparty=payee,
            within_transaction=lambda conn, journal_id: record(conn, journal_id=journal_id),
        )
    elif scored.outcome == "review":
        state.ledger.hold(
            reference,
            body.from_account,
            body.to_account,
            amount,
            expires_at,
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
        state.metrics.decisions.labels(scored.outcome).inc()
        return (*answer["new"], False)
    with state.pool.connection() as conn:  # the ledger replayed: a concurrent request wrote the decision
        stored = _replay(stored_answer(conn, key), key, digest)
    if stored is None:
        raise Problem(
            409,
            "idempotency_conflict",
            f"Idempotency-Key {key!r} is in use by a request still running",
            field="Idempotency-Key",
        )
    return (*stored, True)
