"""POST /v1/transfers: score first, then post (approve), hold for review, or block."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from serving.decisions import decide_transfer
from serving.deps import State, TransfersWriter, authorised_account
from serving.problems import MEDIA_TYPE
from serving.schemas import ProblemPublic, TransferCreate, TransferPublic, problems

router = APIRouter(prefix="/v1", tags=["transfers"])

# OpenAPI links: what a client (and the stateful fuzzing of the tests) does next with an answer.
_PAYER = {"code": "$request.body#/from_account"}
_ACCOUNT_LINKS = {
    "PayerBalance": {
        "operationId": "balance_v1_accounts__code__balance_get",
        "parameters": _PAYER,
        "description": "The paying account's balance after the transfer",
    },
    "PayerInsights": {
        "operationId": "insights_v1_accounts__code__insights_get",
        "parameters": _PAYER,
        "description": "The paying account's insights",
    },
}
_CASE_LINKS = {
    "ReviewCase": {
        "operationId": "get_case_v1_cases__case_id__get",
        "parameters": {"case_id": "$response.body#/case_id"},
        "description": "The case opened for the held transfer (needs cases:read)",
    },
    "DecideCase": {
        "operationId": "decide_v1_cases__case_id__decision_post",
        "parameters": {"case_id": "$response.body#/case_id"},
        "description": "Release (capture) or refuse (void) the held transfer (needs cases:write)",
    },
}


@router.post(
    "/transfers",
    status_code=201,
    response_model=TransferPublic,
    responses={
        201: {"description": "Approved and posted", "links": _ACCOUNT_LINKS},
        202: {
            "model": TransferPublic,
            "description": "Held for review: the funds are reserved, a case is open",
            "links": {**_ACCOUNT_LINKS, **_CASE_LINKS},
        },
        402: {
            "model": ProblemPublic,
            "content": {"application/problem+json": {}},
            "description": "Blocked: nothing moved",
        },
        **problems(404, 409, 503),
    },
    summary="Move money, scored before it posts",
)
def create_transfer(
    body: TransferCreate,
    principal: TransfersWriter,
    state: State,
    idempotency_key: Annotated[
        str, Header(alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    ],
) -> JSONResponse:
    """Scores the transfer with the production risk model; approve posts it (201), review places a hold
    and opens a case (202), block moves nothing (402 problem). The decision, its reasons and the model
    version are written in the same transaction. Repeating a request with the same Idempotency-Key
    returns the original answer (header `Idempotent-Replayed: true`); keys are the caller's tenant's own.
    Money moves only from an account the key's tenant may act on (another answers 404, as one that does
    not exist)."""
    authorised_account(state, principal, body.from_account, "from_account")
    scoped_key = f"{principal.tenant_id}:{idempotency_key}"
    status, answer, replayed = decide_transfer(state, body, scoped_key, principal.key_id)
    return JSONResponse(
        answer,
        status_code=status,
        media_type=MEDIA_TYPE if status >= 400 else "application/json",
        headers={"Idempotent-Replayed": "true" if replayed else "false"},
    )
