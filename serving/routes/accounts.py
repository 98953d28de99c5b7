"""GET /v1/accounts/{code}/balance and /insights."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

import redis
from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from ledger.money import MONEY, canonical
from serving.deps import InsightsReader, State, authorised_account
from serving.insights import DEFAULT_MONTHS, INSIGHTS_FORMAT, account_insights, latest_insights, resolver_version
from serving.schemas import CODE, problems
from serving.views import KeptInsights, ViewRead

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])
AccountCode = Annotated[str, Path(pattern=CODE, description="The account's code")]


class BalancePublic(BaseModel):
    account: str
    currency: str
    posted: str
    held: str
    available: str
    version: int


_READ_HEADERS = {
    "X-Read-Source": {
        "description": "`read-store`: the account's view in the read store; `database`: the balance projection",
        "schema": {"type": "string", "enum": ["read-store", "database"]},
    },
    "X-View-Lag-Ms": {
        "description": "How far the read store's views may be behind the ledger, when known",
        "schema": {"type": "integer"},
    },
    "X-Read-Fallback": {
        "description": "Why the database answered: no read store, the views lag more than the bound, ...",
        "schema": {"type": "string"},
    },
}


@router.get(
    "/{code}/balance",
    response_model=BalancePublic,
    responses={200: {"headers": _READ_HEADERS}, **problems(404)},
)
def balance(code: AccountCode, principal: InsightsReader, state: State, response: Response) -> BalancePublic:
    """Posted, held and available funds (exact decimal strings). Read from the account's view in the read
    store while the views lag less than FINTRA_VIEW_MAX_LAG_SECONDS, else from the ledger's balance
    projection; the `X-Read-Source` header says which (and `X-Read-Fallback` why not the view). An account
    the key's tenant may not read answers 404, as one that does not exist."""
    authorised_account(state, principal, code, "code")
    if state.views is None:
        read = ViewRead(None, None, "no read store configured")
    else:
        read = state.views.read(code, state.settings.view_max_lag_seconds)
    if read.lag_seconds is not None:
        response.headers["X-View-Lag-Ms"] = str(round(read.lag_seconds * 1000))
    if read.view is not None:
        response.headers["X-Read-Source"] = "read-store"
        posted, available = Decimal(read.view.posted or "0"), Decimal(read.view.available)
        return BalancePublic(
            account=code,
            currency=read.view.currency,
            posted=canonical(posted),
            held=canonical(MONEY.subtract(posted, available)),  # exact: the ledger's context
            available=canonical(available),
            version=read.view.version,
        )
    response.headers["X-Read-Source"] = "database"
    response.headers["X-Read-Fallback"] = read.fallback or ""
    found = state.ledger.balance(code)
    return BalancePublic(
        account=code,
        currency=found.currency,
        posted=canonical(found.posted),
        held=canonical(found.held),
        available=canonical(found.available),
        version=found.version,
    )


class CategorySpend(BaseModel):
    category: str = Field(examples=["grocery"])
    label: str = Field(examples=["Grocery"])
    amount: str = Field(description="Decimal string at the currency's precision", examples=["412.60"])
    share: float = Field(ge=0, le=1, description="Share of the window's card spending", examples=[0.31])


class MonthFlow(BaseModel):
    month: str = Field(examples=["2026-03"])
    money_in: str = Field(examples=["3200.00"])
    money_out: str = Field(examples=["2875.45"])
    net: str = Field(examples=["324.55"])


class RecurringPayment(BaseModel):
    payee: str = Field(examples=["Netflix"])
    cadence: Literal["weekly", "monthly"]
    typical_amount: str = Field(examples=["15.49"])
    occurrences: int
    last_paid_at: dt.datetime
    next_expected_on: dt.date = Field(description="Monthly: the day of the month it is usually paid")


class UnusualTransaction(BaseModel):
    reference_id: str
    at: dt.datetime
    amount: str = Field(examples=["1890.00"])
    payee: str
    times_the_usual: float | None


class InsightsPublic(BaseModel):
    account: str = Field(examples=["S7-C000047-USD"])
    currency: str = Field(examples=["USD"])
    since: dt.datetime
    until: dt.datetime
    window_ends_at: Literal["requested", "latest_movement", "now"] = Field(
        description="What `until` is: the end of `as_of`, the account's latest movement, or now"
    )
    merchant_resolution: str
    spending_by_category: list[CategorySpend]
    monthly_cash_flow: list[MonthFlow]
    recurring_payments: list[RecurringPayment]
    unusual_transactions: list[UnusualTransaction]


_INSIGHTS_HEADERS = {
    "X-Read-Source": {
        "description": "`read-store`: insights kept in the read store, served while the views are fresh and the"
        " account's view is at the version they were computed at; `precomputed`: kept in the database since they"
        " were last computed (by `fintra run` or an earlier read) while the account has not changed since;"
        " `computed`: computed for this request",
        "schema": {"type": "string", "enum": ["read-store", "precomputed", "computed"]},
    },
    "X-Read-Fallback": {
        "description": "Why the read store did not answer: no read store, the views lag, the account changed since",
        "schema": {"type": "string"},
    },
}


@router.get(
    "/{code}/insights",
    response_model=InsightsPublic,
    responses={200: {"headers": _INSIGHTS_HEADERS}, **problems(404)},
)
def insights(
    code: AccountCode,
    principal: InsightsReader,
    state: State,
    response: Response,
    months: Annotated[int, Query(ge=1, le=24, description="How far back, in months")] = DEFAULT_MONTHS,
    as_of: Annotated[
        dt.date | None,
        Query(
            ge=dt.date(1900, 1, 1),
            le=dt.date(9998, 12, 31),
            description="Look back from the end of this day (default: the account's latest movement)",
        ),
    ] = None,
) -> dict[str, Any]:
    """Card spending by merchant category (with labels and shares), monthly cash flow, recurring payments
    (with the day the next one is due), and transactions out of the ordinary."""
    authorised_account(state, principal, code, "code")
    account = state.ledger.account(code)
    resolver = state.models.resolver
    if as_of is not None:
        with state.pool.connection() as conn:
            found = account_insights(conn, account.account_id, account.currency, resolver, months=months, as_of=as_of)
        response.headers["X-Read-Source"] = "computed"
        return {"account": code, "currency": account.currency, **found}
    if state.views is None:
        read = ViewRead(None, None, "no read store configured")
    else:
        payload, read = state.views.read_insights(
            code,
            months,
            state.settings.view_max_lag_seconds,
            resolver=resolver_version(resolver),
            format=INSIGHTS_FORMAT,
        )
        if payload is not None:
            response.headers["X-Read-Source"] = "read-store"
            if read.lag_seconds is not None:
                response.headers["X-View-Lag-Ms"] = str(round(read.lag_seconds * 1000))
            return {"account": code, "currency": account.currency, **payload}
    with state.pool.connection() as conn:
        latest = latest_insights(conn, account.account_id, account.currency, resolver, months=months)
    if state.views is not None and latest.version is not None:
        # kept for the next read: served from the read store while the account's view is at this version
        kept = KeptInsights(latest.version, latest.resolver, INSIGHTS_FORMAT, latest.payload)
        with contextlib.suppress(redis.RedisError):  # a read store down: the database answered anyway
            state.views.keep_insights(code, months, kept)
    response.headers["X-Read-Source"] = "precomputed" if latest.kept else "computed"
    response.headers["X-Read-Fallback"] = read.fallback or ""
    return {"account": code, "currency": account.currency, **latest.payload}
