"""FastAPI dependencies: the service state, and the caller's key checked for a scope, its tenant and its
rate; `authorised_account` checks that the caller's tenant may act on one account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ledger.errors import UnknownAccount
from ledger.reads import AccountFacts
from serving.keys import Principal, key_id_of
from serving.problems import Problem
from serving.ratelimit import retry_after
from serving.state import ServiceState

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer fk_...` (fintra apikey create)")


# Dependencies are coroutines: FastAPI runs a plain function dependency in the thread pool, a hop that
# costs more than what these do.
async def get_state(request: Request) -> ServiceState:
    return request.app.state.service  # type: ignore[no-any-return]


State = Annotated[ServiceState, Depends(get_state)]


def require(*scopes: str, operator: bool = False) -> Callable[..., Principal]:
    """A dependency admitting keys that hold every one of `scopes` (and, with `operator`, belong to an
    operator tenant) and are within their rate. Failed sign-ins are throttled per address and key id."""

    async def check(
        request: Request,
        state: State,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        if credentials is None:
            raise Problem(
                401,
                "unauthenticated",
                "an API key is required: Authorization: Bearer <key>",
                field="Authorization",
                headers={"WWW-Authenticate": "Bearer"},
            )
        known, principal = state.cached_principal(credentials.credentials)
        address = request.client.host if request.client else None
        if principal is None:
            key_id = key_id_of(credentials.credentials)
            wait = state.signins.retry_after(address, key_id)
            if wait > 0:
                raise Problem(
                    429,
                    "too_many_failed_sign_ins",
                    "too many requests with an invalid API key from this address or for this key; try later",
                    field="Authorization",
                    headers={"Retry-After": retry_after(wait)},
                )
        if not known:
            principal = await run_in_threadpool(state.principal, credentials.credentials)
        if principal is None:
            state.signins.failed(address, key_id_of(credentials.credentials))
            raise Problem(
                401,
                "unauthenticated",
                "the API key is not valid (unknown, malformed or revoked)",
                field="Authorization",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.scope.setdefault("state", {})["key_id"] = principal.key_id
        for scope in scopes:
            if scope not in principal.scopes:
                raise Problem(403, "forbidden", f"this key lacks the scope {scope!r}", field="Authorization")
        if operator and not principal.operator:
            raise Problem(
                403,
                "forbidden",
                "compliance cases, reports, filings and merchant curation are for operator tenants",
                field="Authorization",
            )
        # this process's bucket first (no I/O); then the bucket every process shares, in PostgreSQL
        wait = state.limiter.acquire(principal.key_id, principal.rate_per_minute)
        if wait <= 0:
            wait = await state.shared_limiter.acquire(state.async_pool(), principal.key_id, principal.rate_per_minute)
        if wait > 0:
            raise Problem(
                429,
                "rate_limited",
                f"more than {principal.rate_per_minute} requests per minute",
                headers={"Retry-After": retry_after(wait)},
            )
        return principal

    return check


def authorised_account(state: ServiceState, principal: Principal, code: str, field: str) -> AccountFacts:
    """The account `code` if the caller's tenant may act on it; otherwise the very error an account that
    does not exist gets (404), so that a tenant cannot learn which codes exist beyond its own."""
    facts = state.accounts(code).get(code)
    if facts is None or not state.may_use(principal, facts):
        raise UnknownAccount(f"{field}: no account with code {code!r}", field=field, account=code)
    return facts


TransfersWriter = Annotated[Principal, Depends(require("transfers:write"))]
Scorer = Annotated[Principal, Depends(require("score"))]
InsightsReader = Annotated[Principal, Depends(require("insights:read"))]
# operator work: an app must never see compliance cases or reports about its users (tipping off)
ReportsReader = Annotated[Principal, Depends(require("reports:read", operator=True))]
CasesReader = Annotated[Principal, Depends(require("cases:read", operator=True))]
CasesWriter = Annotated[Principal, Depends(require("cases:write", operator=True))]
MerchantCurator = Annotated[Principal, Depends(require("merchants:curate", operator=True))]
# personal data: a filing names people, so it takes pii:read besides the scope of what it belongs to
CtrFiler = Annotated[Principal, Depends(require("reports:read", "pii:read", operator=True))]
SarDrafter = Annotated[Principal, Depends(require("cases:read", "pii:read", operator=True))]
