"""GET /v1/filings/ctr/{date}: the day's Currency Transaction Reports with the identity of each person, ready
to file. Takes `reports:read` and `pii:read`; every call is recorded in `ledger.pii_access`. The issued CTR
report in the lake (`/v1/reports/ctr/...`) stays pseudonymised."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from psycopg import errors as pg_errors

from serving.deps import CtrFiler, State
from serving.filings import ctr_filing
from serving.problems import Problem
from serving.schemas import problems

router = APIRouter(prefix="/v1/filings", tags=["filings"])


@router.get("/ctr/{date}", responses=problems(503), summary="CTRs of a day, with identities")
def ctr(
    date: Annotated[dt.date, Path(description="Business day (YYYY-MM-DD)")], principal: CtrFiler, state: State
) -> dict[str, Any]:
    """Each CTR of the day (customer, direction, transactions, USD total, amounts per currency, accounts,
    journals) with the person: name, date of birth, address, identification document, occupation."""
    if not dt.date(2000, 1, 1) <= date <= dt.date(2999, 12, 31):
        raise Problem(422, "invalid_request", "date must be between 2000-01-01 and 2999-12-31", field="date")
    try:
        with state.pool.connection() as conn:
            rows = ctr_filing(conn, date, actor=principal.key_id)
    except pg_errors.UndefinedTable:
        raise Problem(503, "marts_not_built", "the compliance marts are not built yet: run `fintra run`") from None
    return {"business_date": date.isoformat(), "filings": rows, "count": len(rows)}
