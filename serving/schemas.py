"""Response shapes shared by the routes (problem details, and what error statuses each route documents)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ProblemPublic(BaseModel):
    """RFC 9457 problem details (application/problem+json)."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    correlation_id: str | None = None
    field: str | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for error statuses, all problem+json."""
    common = (401, 403, 422, 429)
    return {
        status: {"model": ProblemPublic, "content": {"application/problem+json": {}}, "description": "Problem details"}
        for status in sorted({*common, *statuses})
    }
