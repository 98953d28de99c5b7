"""Tenant administration for operators (`tenants:admin`): tenants, the customers and accounts an app
tenant may act on, and its API keys. A grant or a revocation takes effect on every serving process
within a second (the grant and key caches of serving.state); every change is the same call the CLI
makes (`fintra tenant ...`, `fintra apikey ...`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from serving import keys, tenants
from serving.deps import State, require
from serving.keys import Principal
from serving.problems import Problem
from serving.schemas import NO_NUL, problems
from serving.state import ServiceState

router = APIRouter(prefix="/v1", tags=["tenants"])
Admin = Annotated[Principal, Depends(require("tenants:admin", operator=True))]
TenantId = Annotated[str, Path(pattern=tenants.TENANT_ID.pattern, description="The tenant's id")]
References = Field(default_factory=list, max_length=1000)


class TenantPublic(BaseModel):
    tenant_id: str
    name: str
    kind: Literal["app", "operator"]
    created_at: datetime
    customers: int = Field(description="Customers granted (live grants)")
    accounts: int = Field(description="Accounts granted (live grants)")


class TenantCreate(BaseModel):
    tenant_id: str = Field(pattern=tenants.TENANT_ID.pattern, examples=["budget-app"])
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL, examples=["Budget app"])
    kind: Literal["app", "operator"] = "app"


class GrantChange(BaseModel):
    customers: list[Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]] = References
    accounts: list[Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]] = References


class GrantResult(BaseModel):
    tenant_id: str
    changed: int = Field(description="Grants added (or, for a revocation, withdrawn)")


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    scopes: list[Literal[keys.SCOPES]] = Field(min_length=1)  # type: ignore[valid-type]
    rate_per_minute: int = Field(default=600, ge=1, le=1_000_000)


class KeyCreated(BaseModel):
    key_id: str
    tenant_id: str
    token: str = Field(description="The key's token: shown this once, never stored in clear")


def _public(tenant: tenants.Tenant) -> TenantPublic:
    return TenantPublic(**{**asdict(tenant), "kind": tenant.kind.value})


def _failed(exc: ValueError) -> Problem:
    """A TenantError or key error, whose message starts with the field it is about."""
    field, _, _ = str(exc).partition(":")
    if str(exc).startswith("tenant: no tenant"):
        return Problem(404, "not_found", str(exc), field="tenant_id")
    return Problem(422, "invalid_request", str(exc), field=field.strip() or None)


@router.get("/tenants", responses=problems(), summary="List tenants")
def list_tenants(principal: Admin, state: State) -> list[TenantPublic]:
    with state.pool.connection() as conn:
        return [_public(t) for t in tenants.list_tenants(conn)]


@router.post("/tenants", status_code=201, responses=problems(), summary="Create a tenant")
def create_tenant(body: TenantCreate, principal: Admin, state: State) -> TenantPublic:
    """Create an app (acts only on what it is granted) or operator tenant; the same request again is a
    no-op, a different one for an existing id is refused."""
    with state.pool.connection() as conn:
        try:
            tenants.create_tenant(conn, body.tenant_id, body.name, body.kind)
        except tenants.TenantError as exc:
            raise _failed(exc) from None
        found = next(t for t in tenants.list_tenants(conn) if t.tenant_id == body.tenant_id)
    return _public(found)


@router.post("/tenants/{tenant_id}/grants", responses=problems(404), summary="Grant customers or accounts")
def grant(tenant_id: TenantId, body: GrantChange, principal: Admin, state: State) -> GrantResult:
    """Let an app tenant act on customers (by external reference: all their accounts) and accounts (by
    code). Unknown references are refused, naming them; nothing is granted then."""
    return _change_grants(state, tenant_id, body, tenants.grant)


@router.post("/tenants/{tenant_id}/grants/revoke", responses=problems(404), summary="Withdraw grants")
def revoke(tenant_id: TenantId, body: GrantChange, principal: Admin, state: State) -> GrantResult:
    """Withdraw grants: within a second no serving process lets the tenant touch them (404)."""
    return _change_grants(state, tenant_id, body, tenants.revoke_grants)


def _change_grants(state: ServiceState, tenant_id: str, body: GrantChange, change: Callable[..., int]) -> GrantResult:
    with state.pool.connection() as conn:
        try:
            changed = change(conn, tenant_id, customers=body.customers, accounts=body.accounts)
        except tenants.TenantError as exc:
            raise _failed(exc) from None
    return GrantResult(tenant_id=tenant_id, changed=changed)


@router.post("/tenants/{tenant_id}/keys", status_code=201, responses=problems(404), summary="Create an API key")
def create_key(tenant_id: TenantId, body: KeyCreate, principal: Admin, state: State) -> KeyCreated:
    """A new key of the tenant; its token is in this response only. Personal data and tenant
    administration scopes are for operator tenants."""
    with state.pool.connection() as conn:
        try:
            token = keys.create_key(conn, body.name, list(body.scopes), body.rate_per_minute, tenant_id=tenant_id)
        except ValueError as exc:  # TenantError included
            raise _failed(exc) from None
    return KeyCreated(key_id=keys.key_id_of(token) or "", tenant_id=tenant_id, token=token)


@router.delete(
    "/keys/{key_id}", status_code=204, responses=problems(404), summary="Revoke an API key (within a second)"
)
def revoke_key(key_id: Annotated[str, Path(pattern=r"^[a-z0-9]{12}$")], principal: Admin, state: State) -> None:
    with state.pool.connection() as conn:
        if not keys.revoke_key(conn, key_id):
            raise Problem(404, "not_found", f"no live key {key_id!r}", field="key_id")
