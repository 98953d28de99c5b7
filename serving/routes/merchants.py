"""Merchants: `POST /v1/merchants/resolve` (card descriptors to merchants, at the latest catalogue version or
a given one), and curation for analysts (scope `merchants:curate`): the clusters of descriptors nothing
resolved, confirming one as a new merchant, merging and splitting merchants, and the audit log of changes.
The catalogue is one for the platform (not per customer), so the scope is the whole check."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from models.merchants import curation
from serving.deps import InsightsReader, MerchantCurator, State
from serving.problems import Problem
from serving.schemas import problems

router = APIRouter(prefix="/v1", tags=["merchants"])


def _printable(text: str) -> str:
    if not text.strip():
        raise ValueError("a descriptor needs at least one character that is not a space")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise ValueError("a descriptor may not hold control characters (tabs, newlines, NUL)")
    return text


Descriptor = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    descriptors: Annotated[list[Descriptor], Field(min_length=1, max_length=100)]


class Resolution(BaseModel):
    descriptor: str
    normalised: str = Field(description="the name part of the descriptor that was matched, lower case")
    status: str = Field(description="resolved, or unknown when the confidence is below the threshold")
    confidence: float = Field(description="calibrated probability that the merchant is right (0 to 1)")
    merchant_id: str | None
    name: str | None
    mcc: int | None
    category: str | None
    matched: str | None = Field(description="the catalogue name or alias the descriptor matched best")
    processor: str | None = Field(description="payment facilitator or wallet the descriptor came through (square…)")
    via: str | None = Field(
        description="the restaurant or seller inside a delivery platform or marketplace descriptor; the"
        " platform is the merchant of record"
    )
    store_id: str | None
    location: str | None = Field(description="city and region or country as printed")
    phone: str | None
    url: str | None
    reference: str | None = Field(description="order, ticket or billing reference as printed")


class ResolveResponse(BaseModel):
    model_version: int
    catalogue_version: int = Field(
        description="analysts' catalogue changes included; pass it back as ?catalogue_version= to reproduce"
    )
    threshold: float
    results: list[Resolution]


@router.post(
    "/merchants/resolve",
    response_model=ResolveResponse,
    responses=problems(404, 503),
    summary="Resolve card descriptors",
)
def resolve(
    body: ResolveRequest,
    principal: InsightsReader,
    state: State,
    catalogue_version: Annotated[
        int | None, Query(ge=0, description="resolve as of this catalogue version (default: the latest)")
    ] = None,
) -> ResolveResponse:
    try:
        resolver = state.resolver_at(catalogue_version)
    except curation.CurationError as exc:
        raise Problem(exc.status if exc.status != 422 else 404, "not_found", str(exc), field=exc.field) from exc
    if resolver is None:
        raise Problem(503, "model_unavailable", state.models.problems.get("merchants", "no merchant index is loaded"))
    answers = resolver.resolve_many(body.descriptors)
    if catalogue_version is None:  # what the latest catalogue cannot place feeds the clusters
        unknown = [(a.normalised, a.descriptor) for a in answers if a.status == "unknown"]
        if unknown:
            with state.pool.connection() as conn:
                curation.record_unresolved(conn, unknown)
    return ResolveResponse(
        model_version=resolver.version or 0,
        catalogue_version=resolver.catalogue_version,
        threshold=resolver.threshold,
        results=[Resolution(**a.as_dict()) for a in answers],
    )


# -- curation ------------------------------------------------------------------------------------------
MerchantId = Annotated[str, Path(min_length=1, max_length=20, pattern=r"^[A-Z][0-9]{4,8}$")]


class ClusterPublic(BaseModel):
    cluster_id: str
    label: str = Field(description="the most seen name part")
    keys: list[str] = Field(description="the name parts (as matched) the cluster holds")
    examples: list[str] = Field(description="descriptors as printed, the most seen first")
    seen: int


class NewMerchant(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=120)]
    mcc: Annotated[int, Field(ge=0, le=9999)]
    category: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")]
    reason: Annotated[str | None, Field(max_length=500)] = None


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Z][0-9]{4,8}$")]
    reason: Annotated[str | None, Field(max_length=500)] = None


class SplitRequest(NewMerchant):
    aliases: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(min_length=1, max_length=50)]


class ChangePublic(BaseModel):
    change_id: int = Field(description="also the catalogue version this change produced")
    at: str
    actor: str
    action: str
    model_version: int | None
    reason: str | None
    before: dict[str, Any]
    after: dict[str, Any]


def _curate(state: State, work: Any) -> ChangePublic:
    with state.pool.connection() as conn:
        try:
            change_id = work(conn)
        except curation.CurationError as exc:
            code = {404: "not_found", 409: "conflict"}.get(exc.status, "invalid")
            raise Problem(exc.status, code, str(exc), field=exc.field) from exc
        return ChangePublic(**asdict(curation.change(conn, change_id)))


@router.get(
    "/merchants/clusters", response_model=list[ClusterPublic], responses=problems(), summary="Candidate new merchants"
)
def list_clusters(
    principal: MerchantCurator,
    state: State,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    min_seen: Annotated[int, Query(ge=1)] = 1,
) -> list[ClusterPublic]:
    with state.pool.connection() as conn:
        found = curation.clusters(conn, limit=limit, min_seen=min_seen)
    return [ClusterPublic(**asdict(c)) for c in found]


@router.post(
    "/merchants/clusters/{cluster_id}/confirm",
    response_model=ChangePublic,
    status_code=201,
    responses=problems(404),
    summary="Confirm a cluster as a new merchant",
)
def confirm_cluster(
    cluster_id: Annotated[str, Path(pattern=r"^K[0-9a-f]{10}$")],
    body: NewMerchant,
    principal: MerchantCurator,
    state: State,
) -> ChangePublic:
    model = state.models.resolver.version if state.models.resolver else None
    return _curate(
        state,
        lambda conn: curation.confirm(
            conn, cluster_id, name=body.name, mcc=body.mcc, category=body.category, actor=principal.name,
            reason=body.reason, model_version=model,
        ),
    )  # fmt: skip


@router.post(
    "/merchants/{merchant_id}/merge",
    response_model=ChangePublic,
    status_code=201,
    responses=problems(404, 409),
    summary="Merge a merchant into another",
)
def merge_merchant(
    merchant_id: MerchantId, body: MergeRequest, principal: MerchantCurator, state: State
) -> ChangePublic:
    model = state.models.resolver.version if state.models.resolver else None
    return _curate(
        state,
        lambda conn: curation.merge(
            conn, merchant_id, body.into, actor=principal.name, reason=body.reason, model_version=model
        ),
    )


@router.post(
    "/merchants/{merchant_id}/split",
    response_model=ChangePublic,
    status_code=201,
    responses=problems(404, 409),
    summary="Split aliases off a merchant into a new one",
)
def split_merchant(
    merchant_id: MerchantId, body: SplitRequest, principal: MerchantCurator, state: State
) -> ChangePublic:
    model = state.models.resolver.version if state.models.resolver else None
    return _curate(
        state,
        lambda conn: curation.split(
            conn, merchant_id, body.aliases, name=body.name, mcc=body.mcc, category=body.category,
            actor=principal.name, reason=body.reason, model_version=model,
        ),
    )  # fmt: skip


@router.get(
    "/merchants/changes",
    response_model=list[ChangePublic],
    responses=problems(),
    summary="The catalogue's audit log",
)
def list_changes(
    principal: MerchantCurator,
    state: State,
    merchant_id: Annotated[str | None, Query(max_length=20, pattern=r"^[A-Z][0-9]{4,8}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ChangePublic]:
    with state.pool.connection() as conn:
        return [ChangePublic(**asdict(c)) for c in curation.history(conn, merchant_id, limit=limit)]
