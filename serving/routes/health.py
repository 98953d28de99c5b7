"""Liveness, readiness and Prometheus metrics (no key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from serving.deps import State

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Not ready: see `checks`"}})
def readyz(state: State) -> JSONResponse:
    """Ready when the database answers and a risk model is loaded (merchant resolution is reported too)."""
    checks: dict[str, Any] = {}
    try:
        with state.pool.connection() as conn:
            conn.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    models = state.models
    checks["risk_model"] = f"v{models.scorer.version}" if models.scorer else models.problems.get("risk", "missing")
    resolver = models.resolver
    checks["merchant_index"] = f"v{resolver.version}" if resolver else models.problems.get("merchants", "missing")  # type: ignore[attr-defined]
    ready = checks["database"] == "ok" and models.scorer is not None
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response)
def metrics(state: State) -> Response:
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
