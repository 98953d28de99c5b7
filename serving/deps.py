"""FastAPI dependencies: the service state, and the caller's key checked for a scope and its rate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from serving.keys import Principal
from serving.problems import Problem
from serving.ratelimit import retry_after
from serving.state import ServiceState

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer fk_...` (fintra apikey create)")


# Dependencies are coroutines: FastAPI runs a plain function dependency in the thread pool, a hop that
# costs more than what these do.
async def get_state(request: Request) -> ServiceState:
    return request.app.state.service  # type: ignore[no-any-return]


State = Annotated[ServiceState, Depends(get_state)]


def require(*scopes: str) -> Callable[..., Principal]:
    """A dependency admitting keys that hold every one of `scopes` and are within their rate."""

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
        if not known:
            principal = await run_in_threadpool(state.principal, credentials.credentials)
        if principal is None:
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
        wait = state.limiter.acquire(principal.key_id, principal.rate_per_minute)
        if wait > 0:
            raise Problem(
                429,
                "rate_limited",
                f"more than {principal.rate_per_minute} requests per minute",
                headers={"Retry-After": retry_after(wait)},
            )
        return principal

    return check


TransfersWriter = Annotated[Principal, Depends(require("transfers:write"))]
Scorer = Annotated[Principal, Depends(require("score"))]
InsightsReader = Annotated[Principal, Depends(require("insights:read"))]
ReportsReader = Annotated[Principal, Depends(require("reports:read"))]
CasesReader = Annotated[Principal, Depends(require("cases:read"))]
CasesWriter = Annotated[Principal, Depends(require("cases:write"))]
MerchantCurator = Annotated[Principal, Depends(require("merchants:curate"))]
# personal data: a filing names people, so it takes pii:read besides the scope of what it belongs to
CtrFiler = Annotated[Principal, Depends(require("reports:read", "pii:read"))]
SarDrafter = Annotated[Principal, Depends(require("cases:read", "pii:read"))]
