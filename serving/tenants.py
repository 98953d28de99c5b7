"""Tenants and what they may act on.

Every API key belongs to a tenant. An `operator` tenant (the platform's own teams) may act on everything:
platform accounts, every customer, compliance cases and reports, personal data (with `pii:read`). An `app`
tenant may act only on the customers and accounts granted to it: it moves money only from those accounts
and reads only those; anything else answers exactly as an account that does not exist (404), so that
account codes do not leak. Compliance cases, reports, filings and merchant curation are operator work (an
app must never learn of a suspicion report about its users: tipping off).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import psycopg

TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
OPERATORS = "operators"
"""The operator tenant every installation has (keys made before tenants existed belong to it)."""


class TenantKind(StrEnum):
    APP = "app"
    OPERATOR = "operator"


class TenantError(ValueError):
    """A tenant or grant request that cannot be carried out; the message names the field."""


@dataclass(frozen=True, slots=True)
class Tenant:
    tenant_id: str
    name: str
    kind: TenantKind
    created_at: datetime
    customers: int  # active grants
    accounts: int


def create_tenant(conn: psycopg.Connection, tenant_id: str, name: str, kind: TenantKind | str) -> None:
    """Create a tenant (the same id, name and kind again is a no-op; a different one is refused)."""
    if not TENANT_ID.match(tenant_id):
        raise TenantError(f"tenant: {tenant_id!r} must be 1-40 lower-case letters, digits, '-' or '_'")
    try:
        kind = TenantKind(str(kind).lower())
    except ValueError:
        raise TenantError(f"kind: {kind!r} must be app or operator") from None
    if not 1 <= len(name) <= 200:
        raise TenantError("name: 1 to 200 characters")
    row = conn.execute(
        "INSERT INTO serving.tenants (tenant_id, name, kind) VALUES (%s, %s, %s)"
        " ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id RETURNING name, kind",
        (tenant_id, name, kind.value),
    ).fetchone()
    if row is not None and (row[0], row[1]) != (name, kind.value):
        raise TenantError(f"tenant: {tenant_id!r} exists as {row[1]} {row[0]!r}")


def tenant_kind(conn: psycopg.Connection, tenant_id: str) -> TenantKind:
    row = conn.execute("SELECT kind FROM serving.tenants WHERE tenant_id = %s", (tenant_id,)).fetchone()
    if row is None:
        raise TenantError(f"tenant: no tenant {tenant_id!r} (fintra tenant create)")
    return TenantKind(row[0])


def grant(
    conn: psycopg.Connection, tenant_id: str, *, customers: Sequence[str] = (), accounts: Sequence[str] = ()
) -> int:
    """Grant customers (by their external reference) and accounts (by code) to an app tenant; returns how
    many grants are new. Unknown references are refused, naming them; nothing is granted then."""
    if tenant_kind(conn, tenant_id) is TenantKind.OPERATOR:
        raise TenantError(f"tenant: {tenant_id!r} is an operator tenant: it may act on everything already")
    with conn.transaction():
        customer_ids = _ids(conn, "customers", "external_ref", "customer_id", customers)
        account_ids = _ids(conn, "accounts", "code", "account_id", accounts)
        added = conn.execute(
            "INSERT INTO serving.tenant_grants (tenant_id, customer_id)"
            " SELECT %s, c FROM unnest(%s::bigint[]) AS c ON CONFLICT DO NOTHING",
            (tenant_id, customer_ids),
        ).rowcount
        added += conn.execute(
            "INSERT INTO serving.tenant_grants (tenant_id, account_id)"
            " SELECT %s, a FROM unnest(%s::bigint[]) AS a ON CONFLICT DO NOTHING",
            (tenant_id, account_ids),
        ).rowcount
    return added


def revoke_grants(
    conn: psycopg.Connection, tenant_id: str, *, customers: Sequence[str] = (), accounts: Sequence[str] = ()
) -> int:
    """Withdraw grants; returns how many were active. Running servers apply it within a second."""
    tenant_kind(conn, tenant_id)
    with conn.transaction():
        customer_ids = _ids(conn, "customers", "external_ref", "customer_id", customers)
        account_ids = _ids(conn, "accounts", "code", "account_id", accounts)
        return conn.execute(
            "UPDATE serving.tenant_grants SET revoked_at = now()"
            " WHERE tenant_id = %s AND revoked_at IS NULL"
            " AND (customer_id = ANY(%s::bigint[]) OR account_id = ANY(%s::bigint[]))",
            (tenant_id, customer_ids, account_ids),
        ).rowcount


def list_tenants(conn: psycopg.Connection) -> list[Tenant]:
    rows = conn.execute(
        "SELECT t.tenant_id, t.name, t.kind, t.created_at,"
        " count(g.customer_id) FILTER (WHERE g.revoked_at IS NULL),"
        " count(g.account_id) FILTER (WHERE g.revoked_at IS NULL)"
        " FROM serving.tenants t LEFT JOIN serving.tenant_grants g USING (tenant_id)"
        " GROUP BY t.tenant_id ORDER BY t.tenant_id"
    ).fetchall()
    return [Tenant(r[0], r[1], TenantKind(r[2]), r[3], r[4], r[5]) for r in rows]


# Whether an app tenant holds a live grant on the account or on its customer.
MAY_USE = """
SELECT EXISTS (
    SELECT 1 FROM serving.tenant_grants
     WHERE tenant_id = %s AND revoked_at IS NULL AND (account_id = %s OR customer_id = %s)
)
"""


def _ids(conn: psycopg.Connection, table: str, key: str, id_column: str, values: Sequence[str]) -> list[int]:
    wanted = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not wanted:
        return []
    found = dict(
        conn.execute(
            f"SELECT {key}, {id_column} FROM ledger.{table} WHERE {key} = ANY(%s)",  # noqa: S608 (fixed names)
            (wanted,),
        ).fetchall()
    )
    missing = [v for v in wanted if v not in found]
    if missing:
        raise TenantError(f"{table}: no such {table[:-1]} {', '.join(map(repr, missing[:5]))}")
    return [found[v] for v in wanted]
