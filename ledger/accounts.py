"""Opening and closing accounts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import psycopg

from ledger.catalog import AccountRef, Catalog
from ledger.errors import AccountExists, AccountNotEmpty, InvalidRequest, UnknownAccount
from ledger.model import Account, AccountType
from ledger.money import ZERO, canonical, dump_metadata
from ledger.write import WriteBatch, new_event_row

_SELECT_ACCOUNT = """
SELECT account_id, code, name, type, currency, allow_negative, is_closed, metadata, opened_at
  FROM ledger.accounts WHERE code = %s
"""
_INSERT_ACCOUNT = """
INSERT INTO ledger.accounts (code, name, type, currency, allow_negative, metadata)
VALUES (%s, %s, %s, %s, %s, %s::jsonb)
ON CONFLICT (code) DO NOTHING
RETURNING account_id, code, name, type, currency, allow_negative, is_closed, metadata, opened_at
"""


def _account(row: tuple[Any, ...]) -> Account:
    account_id, code, name, type_, currency, allow_negative, is_closed, metadata, opened_at = row
    return Account(account_id, code, name, AccountType(type_), currency, allow_negative, is_closed, metadata, opened_at)


def parse_account_type(value: object) -> AccountType:
    try:
        return AccountType(str(value).upper())
    except ValueError:
        allowed = ", ".join(t.value for t in AccountType)
        raise InvalidRequest(f"type must be one of {allowed}, got {value!r}", field="type") from None


def open_account(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    code: str,
    name: str,
    type: AccountType | str,
    currency: str,
    *,
    allow_negative: bool = False,
    metadata: Mapping[str, Any] | None = None,
    correlation_id: str | None = None,
) -> Account:
    """Open an account (idempotent: the same code with the same attributes returns the existing one)."""
    account_type = parse_account_type(type)
    if not isinstance(code, str) or not code:
        raise InvalidRequest("code must be a non-empty string", field="code")
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequest("name must be a non-empty string", field="name")
    catalog.minor_units(conn, currency)  # raises UnknownCurrency
    metadata_json = dump_metadata(metadata)
    with conn.transaction():
        try:
            row = conn.execute(
                _INSERT_ACCOUNT,
                (code, name, account_type.value, currency, allow_negative, metadata_json),
            ).fetchone()
        except psycopg.errors.CheckViolation as exc:
            raise InvalidRequest(
                f"code {code!r} must start with a letter or digit and use only letters, digits and :._/-"
                " (at most 128 characters)",
                field="code",
            ) from exc
        if row is None:
            existing = get_account(conn, code)
            wanted = (name, account_type, currency, allow_negative, json.loads(metadata_json))
            have = (
                existing.name,
                existing.type,
                existing.currency,
                existing.allow_negative,
                existing.metadata,
            )
            if wanted != have:
                raise AccountExists(
                    f"account {code!r} already exists with different attributes", field="code", account=code
                )
            return existing
        account = _account(row)
        conn.execute(
            "INSERT INTO ledger.balances (account_id, currency, normal_side, allow_negative, version)"
            " VALUES (%s, %s, %s, %s, 1)",
            (account.account_id, currency, account_type.normal_side.value, allow_negative),
        )
        batch = WriteBatch(conn, correlation_id)
        batch.add_event(
            new_event_row(
                "account",
                code,
                1,
                "ledger.account.opened.v1",
                {
                    "account": code,
                    "name": name,
                    "type": account_type.value,
                    "currency": currency,
                    "allow_negative": allow_negative,
                },
                account.opened_at,
            )
        )
        batch.flush([])
    catalog.remember(AccountRef(account.account_id, code, account_type, currency, allow_negative))
    return account


def get_account(conn: psycopg.Connection[Any], code: str) -> Account:
    row = conn.execute(_SELECT_ACCOUNT, (code,)).fetchone()
    if row is None:
        raise UnknownAccount(f"no account with code {code!r}", field="account", account=code)
    return _account(row)


def close_account(
    conn: psycopg.Connection[Any], catalog: Catalog, code: str, *, correlation_id: str | None = None
) -> Account:
    """Close an account with a zero balance and no pending holds; closing a closed account is a no-op."""
    ref = catalog.account(conn, code)
    with conn.transaction():
        batch = WriteBatch(conn, correlation_id)
        batch.lock([ref])
        account = get_account(conn, code)
        if account.is_closed:
            return account
        posted, held = batch.balance_of(ref.account_id)
        if posted != ZERO or held != ZERO:
            raise AccountNotEmpty(
                f"account {code!r} has posted {canonical(posted)} and held {canonical(held)}; "
                "move the funds and settle its holds before closing it",
                field="account",
                account=code,
            )
        now = datetime.now(UTC)
        conn.execute(
            "UPDATE ledger.accounts SET is_closed = true, closed_at = %s WHERE account_id = %s",
            (now, ref.account_id),
        )
        changes = batch.apply({ref.account_id: ZERO}, {}, {})
        batch.add_event(
            new_event_row("account", code, changes[0].version, "ledger.account.closed.v1", {"account": code}, now)
        )
        batch.flush([])
    return get_account(conn, code)
