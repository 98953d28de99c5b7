"""POST /v1/merchants/resolve: card descriptors to merchants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from serving.deps import InsightsReader, State
from serving.problems import Problem
from serving.schemas import problems

router = APIRouter(prefix="/v1", tags=["merchants"])


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    descriptors: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(min_length=1, max_length=100)
    ]


class Resolution(BaseModel):
    descriptor: str
    normalised: str
    status: str = Field(description="resolved, or unknown when the best match is below the confidence threshold")
    confidence: float
    merchant_id: str | None
    name: str | None
    mcc: int | None
    category: str | None
    matched: str | None


class ResolveResponse(BaseModel):
    model_version: int
    threshold: float
    results: list[Resolution]


@router.post(
    "/merchants/resolve", response_model=ResolveResponse, responses=problems(503), summary="Resolve card descriptors"
)
def resolve(body: ResolveRequest, principal: InsightsReader, state: State) -> ResolveResponse:
    resolver = state.models.resolver
    if resolver is None:
        raise Problem(503, "model_unavailable", state.models.problems.get("merchants", "no merchant index is loaded"))
    answers = resolver.resolve_many(body.descriptors)
    return ResolveResponse(
        model_version=resolver.version,  # type: ignore[attr-defined]
        threshold=resolver.threshold,
        results=[Resolution(**a.as_dict()) for a in answers],
    )
