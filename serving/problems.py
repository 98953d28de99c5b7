"""RFC 9457 problem details: every error is `application/problem+json` with a stable `type`, the
`status`, a `detail` for people, the `field` at fault when there is one, and the correlation id."""

from __future__ import annotations

from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from fintra.logs import current_correlation_id
from ledger.errors import LedgerError

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://fintra.dev/problems/"


class Problem(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.field = status, code, detail, field
        self.headers = headers or {}
        self.extra = extra or {}


def problem_body(
    status: int, code: str, detail: str, instance: str, *, field: str | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.replace("_", "-"),
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "detail": detail,
        "instance": instance,
        "correlation_id": current_correlation_id(),
    }
    if field is not None:
        body["field"] = field
    body.update(extra or {})
    return body


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, code, detail, request.url.path, field=field, extra=extra),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.code, exc.detail, field=exc.field, headers=exc.headers, extra=exc.extra
        )

    @app.exception_handler(LedgerError)
    async def _ledger(request: Request, exc: LedgerError) -> JSONResponse:
        body = {**exc.to_problem(), "instance": request.url.path, "correlation_id": current_correlation_id()}
        return JSONResponse(body, status_code=exc.http_status, media_type=MEDIA_TYPE)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _location(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
        first = errors[0] if errors else {"field": "body", "message": "invalid request"}
        return problem_response(
            request,
            422,
            "invalid_request",
            f"{first['field']}: {first['message']}",
            field=first["field"],
            extra={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer to a body that is not text (bytes no decoder reads): invalid input like any
            # other, so the documented 422 naming the body
            return problem_response(request, 422, "invalid_request", "the body is not UTF-8 JSON", field="body")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem_response(request, exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    # The database is down or restarting: no connection within `db_wait_seconds`, or one lost mid-request.
    # A transaction that lost its connection rolled back; a transfer retried with its Idempotency-Key is
    # never posted twice, so the request may be retried as it is.
    @app.exception_handler(PoolTimeout)
    @app.exception_handler(psycopg.OperationalError)
    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            request,
            503,
            "database_unavailable",
            "the database is unavailable; retry shortly (with the same Idempotency-Key for a transfer)",
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        import logging

        logging.getLogger("serving").exception("unhandled error on %s", request.url.path)
        return problem_response(request, 500, "internal_error", "the server could not complete the request")
