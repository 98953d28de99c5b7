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


@router.post(
    "/transfers",
    status_code=201,
    response_model=TransferPublic,
    responses={
        202: {"model": TransferPublic, "description": "Held for review: the funds are reserved, a case is open"},
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
