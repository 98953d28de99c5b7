"""POST /v1/score: what would happen to a transfer, and why, without moving money."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from models.risk.scorer import NAME
from serving.decisions import score_transfer_async
from serving.deps import Scorer, State, authorised_account
from serving.schemas import ModelPublic, ReasonPublic, RulePublic, ScorePublic, TransferCreate, problems

router = APIRouter(prefix="/v1", tags=["score"])


@router.post("/score", response_model=ScorePublic, responses=problems(404, 503), summary="Score a proposed transfer")
async def score(body: TransferCreate, principal: Scorer, state: State) -> ScorePublic:
    """The decision `/v1/transfers` would take now (the hard rules and the model), the rules that fired,
    the model's risk-increasing reasons and every feature. The request is validated exactly as a transfer
    is: an amount that could not be paid is refused, not scored; an account the key's tenant may not act
    on answers 404."""
    if not principal.operator:
        await run_in_threadpool(authorised_account, state, principal, body.from_account, "from_account")
    scored = await score_transfer_async(state, body)
    return ScorePublic(
        score=scored.probability,
        decision=scored.outcome,  # type: ignore[arg-type]
        model_decision=scored.decision.model_outcome,
        rules=[RulePublic(**r) for r in scored.rules()],
        model=ModelPublic(name=NAME, version=scored.scorer.version),
        reasons=[ReasonPublic(**r) for r in scored.reasons()],
        features=scored.context.features,
    )
