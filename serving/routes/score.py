"""POST /v1/score: what the risk model says about a transfer, without moving money."""

from __future__ import annotations

from fastapi import APIRouter

from models.risk.scorer import NAME
from serving.decisions import ModelPublic, ReasonPublic, ScorePublic, TransferCreate, score_transfer_async
from serving.deps import Scorer, State
from serving.schemas import problems

router = APIRouter(prefix="/v1", tags=["score"])


@router.post("/score", response_model=ScorePublic, responses=problems(404, 503), summary="Score a proposed transfer")
async def score(body: TransferCreate, principal: Scorer, state: State) -> ScorePublic:
    """The probability, the decision it would get, the top reasons and every feature, as of now."""
    scored = await score_transfer_async(state, body)
    return ScorePublic(
        score=scored.probability,
        decision=scored.decision,  # type: ignore[arg-type]
        model=ModelPublic(name=NAME, version=scored.scorer.version),
        reasons=[ReasonPublic(**r) for r in scored.reasons],
        features=scored.features,
    )
