"""POST /v1/pii/reidentify: the values behind lake pseudonyms (customers' names and emails, counterparty
names and account numbers), for an operator with `pii:read`. Every call is recorded in
`ledger.pii_access` with the pseudonyms asked for (ledger.pii.reidentify)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ledger.pii import MAX_PSEUDONYMS, reidentify
from serving.deps import State, require
from serving.keys import Principal
from serving.schemas import NO_NUL, problems

router = APIRouter(prefix="/v1/pii", tags=["personal data"])

Reidentifier = Annotated[Principal, Depends(require("pii:read", operator=True))]


class ReidentifyRequest(BaseModel):
    pseudonyms: list[Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$")]] = Field(
        min_length=1, max_length=MAX_PSEUDONYMS, description="Pseudonyms as the lake holds them"
    )
    purpose: str = Field(
        min_length=1, max_length=500, pattern=NO_NUL, description="Why (recorded): a case, a filing, a request"
    )


class ReidentifiedPublic(BaseModel):
    pseudonym: str
    field: str = Field(description="Where the value lives, e.g. journal_entries.counterparty_name")
    value: str
    customer_id: int | None = Field(description="The customer a customer's own data belongs to")


class ReidentifyResponse(BaseModel):
    found: list[ReidentifiedPublic]
    count: int


@router.post("/reidentify", responses=problems(403, 422), summary="Re-identify lake pseudonyms (audited)")
def reidentify_route(body: ReidentifyRequest, principal: Reidentifier, state: State) -> ReidentifyResponse:
    """Each pseudonym's value(s) and where they live; pseudonyms not found are simply absent. The access is
    recorded (who: the key, why: `purpose`) before anything is returned."""
    key = state.settings.resolved_pseudonym_key()
    with state.pool.connection() as conn:
        found = reidentify(conn, body.pseudonyms, key, actor=principal.key_id, purpose=body.purpose)
    rows = [
        ReidentifiedPublic(pseudonym=r.pseudonym, field=r.field, value=r.value, customer_id=r.customer_id)
        for r in found
    ]
    return ReidentifyResponse(found=rows, count=len(rows))
