"""API keys: `fk_<key id>_<secret>`; the database keeps the key id, the SHA-256 of the secret, the scopes,
the key's rate and its tenant (`serving.tenants`). A key is shown once, when created."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from serving.tenants import TenantKind, tenant_kind

SCOPES = (
    "transfers:write",
    "score",
    "insights:read",
    "reports:read",
    "cases:read",
    "cases:write",
    "pii:read",
    "merchants:curate",
    "tenants:admin",
)
_TOKEN = re.compile(r"^fk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a valid, unrevoked key, and the tenant it belongs to."""

    key_id: str
    name: str
    scopes: frozenset[str]
    rate_per_minute: int
    tenant_id: str
    operator: bool  # an operator tenant's key: no grant needed


@dataclass(frozen=True, slots=True)
class KeyRecord:
    key_id: str
    name: str
    scopes: tuple[str, ...]
    rate_per_minute: int
    created_at: datetime
    revoked_at: datetime | None
    tenant_id: str


# scopes an app tenant's key may never hold: personal data, and the tenants and grants themselves
OPERATOR_SCOPES = frozenset({"pii:read", "tenants:admin"})


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise ValueError(f"scopes: {', '.join(unknown) or 'none given'}; choose from {', '.join(SCOPES)}")
    return chosen


def create_key(
    conn: psycopg.Connection, name: str, scopes: Sequence[str], rate_per_minute: int, *, tenant_id: str
) -> str:
    """Store a new key of `tenant_id` and return its token (the only time the secret exists outside the
    caller). Personal data and tenant administration (OPERATOR_SCOPES) are for operator tenants only."""
    chosen = check_scopes(scopes)
    kind = tenant_kind(conn, tenant_id)  # refuses an unknown tenant, naming it
    for scope in OPERATOR_SCOPES.intersection(chosen):
        if kind is not TenantKind.OPERATOR:
            raise ValueError(f"scopes: {scope} is for operator tenants; {tenant_id!r} is an app tenant")
    key_id = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    secret = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO serving.api_keys (key_id, secret_sha256, name, scopes, rate_per_minute, tenant_id)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (key_id, _digest(secret), name, chosen, rate_per_minute, tenant_id),
    )
    return f"fk_{key_id}_{secret}"


def authenticate(conn: psycopg.Connection, token: str) -> Principal | None:
    """The key a token belongs to, or None (malformed, unknown, wrong secret or revoked)."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    key_id, secret = match.groups()
    row = conn.execute(
        "SELECT k.name, k.scopes, k.rate_per_minute, k.secret_sha256, k.tenant_id, t.kind"
        " FROM serving.api_keys k JOIN serving.tenants t USING (tenant_id)"
        " WHERE k.key_id = %s AND k.revoked_at IS NULL",
        (key_id,),
    ).fetchone()
    if row is None or not hmac.compare_digest(bytes(row[3]), _digest(secret)):
        return None
    return Principal(key_id, row[0], frozenset(row[1]), row[2], row[4], row[5] == TenantKind.OPERATOR.value)


def key_id_of(token: str) -> str | None:
    """The key id a well-formed token names (whether or not its secret is right)."""
    match = _TOKEN.match(token)
    return match.group(1) if match else None


def list_keys(conn: psycopg.Connection) -> list[KeyRecord]:
    rows = conn.execute(
        "SELECT key_id, name, scopes, rate_per_minute, created_at, revoked_at, tenant_id FROM serving.api_keys"
        " ORDER BY created_at"
    ).fetchall()
    return [KeyRecord(r[0], r[1], tuple(r[2]), r[3], r[4], r[5], r[6]) for r in rows]


def revoke_key(conn: psycopg.Connection, key_id: str) -> bool:
    found = conn.execute(
        "UPDATE serving.api_keys SET revoked_at = now() WHERE key_id = %s AND revoked_at IS NULL RETURNING 1", (key_id,)
    ).fetchone()
    return found is not None
