"""The case queue: /v1/cases to list and filter, one case with its evidence, assign, comment, escalate and
decide (closing a held transfer's case releases or refuses it). Reading takes `cases:read`, changing
`cases:write`; the key's id is the actor in every audit row and event."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from fintra.logs import current_correlation_id
from ledger import cases
from ledger.cases import Case, CaseDetail, CaseStatus
from serving.deps import CasesReader, CasesWriter, SarDrafter, State
from serving.filings import sar_draft
from serving.schemas import problems

router = APIRouter(prefix="/v1/cases", tags=["cases"])
CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The case's id")]
Text = Field(min_length=1, max_length=5000, pattern=r"^[^\x00]*$")


class CasePublic(BaseModel):
    case_id: int
    source: Literal["decision", "alert"]
    status: Literal["OPEN", "IN_REVIEW", "ESCALATED", "CLOSED"]
    rule: str
    title: str
    customer_id: int | None
    account: str | None
    assignee: str | None
    disposition: Literal["FALSE_POSITIVE", "CUSTOMER_CONTACTED", "SAR_FILED"] | None
    decision_id: int | None
    hold_id: int | None
    hold_outcome: Literal["CAPTURED", "VOIDED", "EXPIRED"] | None
    opened_at: datetime
    due_at: datetime | None
    overdue: bool
    closed_at: datetime | None
    updated_at: datetime


class LinkPublic(BaseModel):
    kind: Literal["alert", "decision", "hold", "journal", "account", "customer"]
    ref: str
    detail: dict[str, Any]
    added_at: datetime


class NotePublic(BaseModel):
    note_id: int
    author: str
    body: str
    created_at: datetime


class AuditPublic(BaseModel):
    actor: str
    action: str
    detail: dict[str, Any]
    at: datetime


class CaseDetailPublic(BaseModel):
    case: CasePublic
    evidence: list[LinkPublic] = Field(description="Alerts, the decision, holds, journals, accounts and customers")
    notes: list[NotePublic]
    audit: list[AuditPublic] = Field(description="Who did what, and when")


class CaseList(BaseModel):
    cases: list[CasePublic]
    next_after: int | None = Field(description="Pass as `after` for the next page (null: no more)")


class Assign(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$", examples=["aml-team/jane"])


class Comment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Text


class Decide(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: Literal["FALSE_POSITIVE", "CUSTOMER_CONTACTED", "SAR_FILED"]
    release: bool | None = Field(
        None,
        description="For a case holding a transfer (required then): true releases it (the hold is captured and"
        " the money moves), false refuses it (the hold is voided). Leave out otherwise.",
    )
    note: str | None = Field(None, min_length=1, max_length=5000, pattern=r"^[^\x00]*$")


def _public(case: Case) -> CasePublic:
    return CasePublic.model_validate(case, from_attributes=True)


def _detail(detail: CaseDetail) -> CaseDetailPublic:
    return CaseDetailPublic(
        case=_public(detail.case),
        evidence=[LinkPublic.model_validate(link, from_attributes=True) for link in detail.links],
        notes=[NotePublic.model_validate(note, from_attributes=True) for note in detail.notes],
        audit=[AuditPublic.model_validate(entry, from_attributes=True) for entry in detail.audit],
    )


@router.get("", response_model=CaseList, responses=problems(), summary="List and filter cases")
def list_cases(
    principal: CasesReader,
    state: State,
    status: Annotated[list[Literal["OPEN", "IN_REVIEW", "ESCALATED", "CLOSED"]] | None, Query()] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00]*$")] = None,
    customer_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    rule: Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00]*$")] = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Cases after this id")] = None,
) -> CaseList:
    """Cases in id order, filtered by status (repeatable), assignee, customer, rule and overdue."""
    with state.pool.connection() as conn:
        found = cases.list_cases(
            conn,
            status=[CaseStatus(s) for s in status or ()],
            assignee=assignee,
            customer_id=customer_id,
            rule=rule,
            overdue=overdue,
            limit=limit + 1,
            after=after,
        )
    page = found[:limit]
    return CaseList(cases=[_public(c) for c in page], next_after=page[-1].case_id if len(found) > limit else None)


@router.get("/{case_id}", response_model=CaseDetailPublic, responses=problems(404), summary="One case, whole")
def get_case(case_id: CaseId, principal: CasesReader, state: State) -> CaseDetailPublic:
    """The case with its evidence (alerts with their rule, window, amounts and references; the decision,
    hold, journals, accounts, customers), its notes and its audit trail."""
    return _changed(state, case_id)


def _changed(state: State, case_id: int) -> CaseDetailPublic:
    """The case as it is now (the answer of every change)."""
    with state.pool.connection() as conn:
        return _detail(cases.get_case(conn, case_id))


@router.post("/{case_id}/assign", response_model=CaseDetailPublic, responses=problems(404, 409))
def assign(case_id: CaseId, body: Assign, principal: CasesWriter, state: State) -> CaseDetailPublic:
    """Give the case to a person or team; an open case goes in review."""
    with state.pool.connection() as conn:
        cases.assign(conn, case_id, body.assignee, actor=principal.key_id, correlation_id=current_correlation_id())
    return _changed(state, case_id)


@router.post("/{case_id}/comments", response_model=CaseDetailPublic, status_code=201, responses=problems(404))
def comment(case_id: CaseId, body: Comment, principal: CasesWriter, state: State) -> CaseDetailPublic:
    """Add a note to the case."""
    with state.pool.connection() as conn:
        cases.comment(conn, case_id, body.body, actor=principal.key_id, correlation_id=current_correlation_id())
    return _changed(state, case_id)


@router.post("/{case_id}/escalate", response_model=CaseDetailPublic, responses=problems(404, 409))
def escalate(case_id: CaseId, principal: CasesWriter, state: State) -> CaseDetailPublic:
    """Hand the case up to a senior officer."""
    with state.pool.connection() as conn:
        cases.escalate(conn, case_id, actor=principal.key_id, correlation_id=current_correlation_id())
    return _changed(state, case_id)


@router.post("/{case_id}/decision", response_model=CaseDetailPublic, responses=problems(404, 409))
async def decide(case_id: CaseId, body: Decide, principal: CasesWriter, state: State) -> CaseDetailPublic:
    """Close the case with a disposition; a held transfer is released (captured) or refused (voided) in the
    same transaction."""

    def work() -> None:
        state.ledger.decide_case(
            case_id,
            body.disposition,
            release=body.release,
            actor=principal.key_id,
            note=body.note,
            correlation_id=current_correlation_id(),
        )

    await run_in_threadpool(work)
    return await run_in_threadpool(_changed, state, case_id)


@router.get("/{case_id}/sar", responses=problems(404, 409), summary="The SAR draft of a case decided SAR_FILED")
def sar(case_id: CaseId, principal: SarDrafter, state: State) -> dict[str, Any]:
    """Subjects with their identity, activity window, amounts, accounts, journals, the alerts' evidence, a
    narrative filled from them and the filing deadline (30 days from the case's opening). Takes
    `cases:read` and `pii:read`; the identities' access is recorded."""
    with state.pool.connection() as conn:
        return sar_draft(conn, case_id, actor=principal.key_id)
