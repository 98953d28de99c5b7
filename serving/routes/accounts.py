"""GET /v1/accounts/{code}/balance and /insights."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from ledger.money import canonical
from serving.deps import InsightsReader, State, authorised_account
from serving.insights import account_insights
from serving.schemas import CODE, problems

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])
AccountCode = Annotated[str, Path(pattern=CODE, description="The account's code")]


class BalancePublic(BaseModel):
    account: str
    currency: str
    posted: str
    held: str
    available: str
    version: int


@router.get("/{code}/balance", response_model=BalancePublic, responses=problems(404))
def balance(code: AccountCode, principal: InsightsReader, state: State) -> BalancePublic:
    """Posted, held and available funds (exact decimal strings) from the balance projection. An account
    the key's tenant may not read answers 404, as one that does not exist."""
    authorised_account(state, principal, code, "code")
    found = state.ledger.balance(code)
    return BalancePublic(
        account=code,
        currency=found.currency,
        posted=canonical(found.posted),
        held=canonical(found.held),
        available=canonical(found.available),
        version=found.version,
    )


@router.get("/{code}/insights", responses=problems(404))
def insights(
    code: AccountCode,
    principal: InsightsReader,
    state: State,
    months: Annotated[int, Query(ge=1, le=24, description="How far back, in months")] = 3,
    as_of: Annotated[
        dt.date | None,
        Query(
            ge=dt.date(1900, 1, 1),
            le=dt.date(9998, 12, 31),
            description="Look back from the end of this day (default: now; 1900-01-01 to 9998-12-31)",
        ),
    ] = None,
) -> dict[str, Any]:
    """Card spending by merchant category, monthly cash flow, recurring payments, unusual transactions."""
    authorised_account(state, principal, code, "code")
    account = state.ledger.account(code)
    now = dt.datetime.combine(as_of, dt.time.max, tzinfo=dt.UTC) if as_of else None
    with state.pool.connection() as conn:
        found = account_insights(conn, account.account_id, state.models.resolver, months=months, now=now)
    return {"account": code, "currency": account.currency, **found}
