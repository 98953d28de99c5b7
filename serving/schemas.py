"""Request and response shapes of the routes: transfers and scores, problem details, and which error
statuses each route documents."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CODE = r"^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$"


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


NO_NUL = r"^[^\x00]*$"
"""Text PostgreSQL can store: a NUL character is refused (422 naming the field), never a 500."""


class TransferCreate(BaseModel):
    """A transfer out of a customer account, to another account (P2P) or to an outside party."""

    model_config = ConfigDict(extra="forbid")
    from_account: str = Field(pattern=CODE, description="The paying account's code")
    to_account: str = Field(
        pattern=CODE,
        description="The credited account: another customer's, or the safeguarding account for an outside payee",
    )
    amount: str = Field(
        pattern=r"^(0|[1-9][0-9]{0,19})(\.[0-9]{1,18})?$",
        description='A decimal string, e.g. "120.50" (never a JSON number: money is exact)',
        examples=["120.50"],
    )
    currency: str = Field(pattern=r"^[A-Z0-9]{2,10}$", description="Must be the paying account's currency")
    channel: Literal["WIRE", "ACH", "P2P"] | None = Field(
        None, description="How the money moves (any case). Default: P2P to a customer's account, else WIRE"
    )
    counterparty_name: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        pattern=NO_NUL,
        description="The outside payee; required for WIRE and ACH and for P2P to someone outside the platform",
    )
    counterparty_account: str | None = Field(
        None, min_length=1, max_length=64, pattern=NO_NUL, description="The outside payee's account number or IBAN"
    )
    counterparty_country: str | None = Field(
        None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country of the payee's account"
    )
    description: str | None = Field(None, max_length=500, pattern=NO_NUL)

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("amount", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError('send the amount as a decimal string, e.g. "12.50": a JSON number may not be exact')
        return value


class ReasonPublic(BaseModel):
    """A feature that raised the model's probability, with its value in words."""

    feature: str
    value: float
    contribution: float = Field(
        gt=0, description="Probability minus the probability with this feature at its training median (> 0)"
    )
    label: str = Field(examples=["new payee, first seen 2 minutes ago"])


class RulePublic(BaseModel):
    """A hard rule that fired (see docs/decisions.md for the order and the settings)."""

    rule: Literal[
        "watch_list", "open_case", "single_limit", "daily_limit", "drain_to_new_payee", "new_payee_run", "burst"
    ]
    outcome: Literal["review", "block"]
    reason: str = Field(examples=["amount of 12,000.00 USD is over the RETAIL single-transfer limit of 10,000 USD"])
    evidence: dict[str, Any]


class ModelPublic(BaseModel):
    name: str
    version: int


class ScorePublic(BaseModel):
    score: float = Field(
        ge=0, le=1, description="Probability that the transfer belongs to a fraud or laundering pattern"
    )
    decision: Literal["approve", "review", "block"] = Field(description="What /v1/transfers would do now")
    model_decision: Literal["approve", "review", "block"] = Field(description="What the model's score alone says")
    rules: list[RulePublic] = Field(description="The hard rules that fired, in the engine's order")
    model: ModelPublic
    reasons: list[ReasonPublic] = Field(description="The model's risk-increasing reasons, largest first")
    features: dict[str, float]


class TransferPublic(BaseModel):
    decision_id: int
    decision: Literal["approve", "review"]
    status: Literal["posted", "held_for_review"]
    score: float
    model: ModelPublic
    rules: list[RulePublic]
    reasons: list[ReasonPublic]
    journal_id: int | None
    hold_id: int | None
    case_id: int | None
    from_account: str
    to_account: str
    amount: str
    currency: str
    idempotency_key: str
    correlation_id: str | None
