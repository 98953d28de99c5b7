"""API keys: `fk_<key id>_<secret>`; the database keeps the key id, the SHA-256 of the secret, the scopes
and the key's rate. A key is shown once, when created."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

SCOPES = (
    "transfers:write",
    "score",
    "insights:read",
    "reports:read",
    "cases:read",
    "cases:write",
    "pii:read",
    "merchants:curate",
)
_TOKEN = re.compile(r"^fk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a valid, unrevoked key."""

    key_id: str
    name: str
    scopes: frozenset[str]
    rate_per_minute: int


@dataclass(frozen=True, slots=True)
class KeyRecord:
    key_id: str
    name: str
    scopes: tuple[str, ...]
    rate_per_minute: int
    created_at: datetime
    revoked_at: datetime | None


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise ValueError(f"scopes: {', '.join(unknown) or 'none given'}; choose from {', '.join(SCOPES)}")
    return chosen


def create_key(conn: psycopg.Connection, name: str, scopes: Sequence[str], rate_per_minute: int) -> str:
    """Store a new key and return its token (the only time the secret exists outside the caller)."""
    chosen = check_scopes(scopes)
    key_id = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    secret = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO serving.api_keys (key_id, secret_sha256, name, scopes, rate_per_minute)"
        " VALUES (%s, %s, %s, %s, %s)",
        (key_id, _digest(secret), name, chosen, rate_per_minute),
    )
    return f"fk_{key_id}_{secret}"


def authenticate(conn: psycopg.Connection, token: str) -> Principal | None:
    """The key a token belongs to, or None (malformed, unknown, wrong secret or revoked)."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    key_id, secret = match.groups()
    row = conn.execute(
        "SELECT name, scopes, rate_per_minute, secret_sha256 FROM serving.api_keys"
        " WHERE key_id = %s AND revoked_at IS NULL",
        (key_id,),
    ).fetchone()
    if row is None or not hmac.compare_digest(bytes(row[3]), _digest(secret)):
        return None
    return Principal(key_id, row[0], frozenset(row[1]), row[2])


def list_keys(conn: psycopg.Connection) -> list[KeyRecord]:
    rows = conn.execute(
        "SELECT key_id, name, scopes, rate_per_minute, created_at, revoked_at FROM serving.api_keys ORDER BY created_at"
    ).fetchall()
    return [KeyRecord(r[0], r[1], tuple(r[2]), r[3], r[4], r[5]) for r in rows]


def revoke_key(conn: psycopg.Connection, key_id: str) -> bool:
    found = conn.execute(
        "UPDATE serving.api_keys SET revoked_at = now() WHERE key_id = %s AND revoked_at IS NULL RETURNING 1", (key_id,)
    ).fetchone()
    return found is not None
