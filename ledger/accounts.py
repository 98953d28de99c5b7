"""Opening and closing accounts."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from ledger.catalog import AccountRef, Catalog
from ledger.errors import AccountExists, AccountNotEmpty, InvalidRequest, LedgerError, UnknownAccount
from ledger.model import Account, AccountType
from ledger.money import ZERO, canonical, dump_metadata
from ledger.write import WriteBatch, new_event_row

_SELECT_ACCOUNT = """
SELECT account_id, code, name, type, currency, allow_negative, is_closed, metadata, opened_at, customer_id
  FROM ledger.accounts WHERE code = %s
"""
_SELECT_ACCOUNTS = """
SELECT account_id, code, name, type, currency, allow_negative, is_closed, metadata, opened_at, customer_id
  FROM ledger.accounts WHERE code = ANY(%b)
"""
_INSERT_ACCOUNTS = """
INSERT INTO ledger.accounts (code, name, type, currency, allow_negative, metadata, customer_id)
SELECT a.code, a.name, a.type, a.currency, a.allow_negative, a.meta::jsonb, a.customer_id
  FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::bool[], %b::text[], %b::bigint[])
       AS a(code, name, type, currency, allow_negative, meta, customer_id)
ON CONFLICT (code) DO NOTHING
RETURNING account_id, code, name, type, currency, allow_negative, is_closed, metadata, opened_at, customer_id
"""
_INSERT_BALANCES = """
INSERT INTO ledger.balances (account_id, currency, normal_side, allow_negative, version)
SELECT *, 1 FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::bool[])
"""
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$")


def _account(row: Sequence[Any]) -> Account:
    account_id, code, name, type_, currency, allow_negative, is_closed, metadata, opened_at, customer_id = row
    return Account(
        account_id,
        code,
        name,
        AccountType(type_),
        currency,
        allow_negative,
        is_closed,
        metadata,
        opened_at,
        customer_id,
    )


def parse_account_type(value: object, *, field: str = "type") -> AccountType:
    try:
        return AccountType(str(value).upper())
    except ValueError:
        allowed = ", ".join(t.value for t in AccountType)
        raise InvalidRequest(f"{field} must be one of {allowed}, got {value!r}", field=field) from None


@dataclass(frozen=True, slots=True)
class AccountSpec:
    """An account to open: the input of `open_accounts`."""

    code: str
    name: str
    type: AccountType | str
    currency: str
    allow_negative: bool = False
    metadata: Mapping[str, Any] | None = None
    customer_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Validated:
    index: int
    spec: AccountSpec
    type: AccountType
    metadata_json: str


def _validate(
    conn: psycopg.Connection[Any], catalog: Catalog, index: int, spec: AccountSpec, prefix: str
) -> _Validated:
    account_type = parse_account_type(spec.type, field=f"{prefix}type")
    if not isinstance(spec.code, str) or not CODE_PATTERN.match(spec.code):
        raise InvalidRequest(
            f"{prefix}code {spec.code!r} must start with a letter or digit and use only letters, digits and :._/-"
            " (at most 128 characters)",
            field=f"{prefix}code",
        )
    if not isinstance(spec.name, str) or not spec.name.strip() or len(spec.name) > 200:
        raise InvalidRequest(
            f"{prefix}name must be a non-empty string of at most 200 characters", field=f"{prefix}name"
        )
    catalog.minor_units(conn, spec.currency, field=f"{prefix}currency")
    return _Validated(index, spec, account_type, dump_metadata(spec.metadata, field=f"{prefix}metadata"))


def open_accounts(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    specs: Sequence[AccountSpec],
    *,
    correlation_id: str | None = None,
    prefix: str = "accounts[{i}].",
) -> dict[int, Account | LedgerError]:
    """Open accounts in one transaction. Idempotent per code: the same code with the same attributes
    returns the existing account; different attributes are an AccountExists error for that item."""
    results: dict[int, Account | LedgerError] = {}
    valid: list[_Validated] = []
    for i, spec in enumerate(specs):
        try:
            valid.append(_validate(conn, catalog, i, spec, prefix.format(i=i)))
        except LedgerError as exc:
            results[i] = exc
    if not valid:
        return results
    now = datetime.now(UTC)
    with conn.transaction():
        inserted = {
            row[1]: _account(row)
            for row in conn.execute(
                _INSERT_ACCOUNTS,
                (
                    [v.spec.code for v in valid],
                    [v.spec.name for v in valid],
                    [v.type.value for v in valid],
                    [v.spec.currency for v in valid],
                    [v.spec.allow_negative for v in valid],
                    [v.metadata_json for v in valid],
                    [v.spec.customer_id for v in valid],
                ),
            ).fetchall()
        }
        fresh = list(inserted.values())
        if fresh:
            conn.execute(
                _INSERT_BALANCES,
                (
                    [a.account_id for a in fresh],
                    [a.currency for a in fresh],
                    [a.normal_side.value for a in fresh],
                    [a.allow_negative for a in fresh],
                ),
            )
            batch = WriteBatch(conn, correlation_id)
            for a in fresh:
                batch.add_event(
                    new_event_row(
                        "account",
                        a.code,
                        1,
                        "ledger.account.opened.v1",
                        {
                            "account": a.code,
                            "name": a.name,
                            "type": a.type.value,
                            "currency": a.currency,
                            "allow_negative": a.allow_negative,
                            "customer_id": a.customer_id,
                        },
                        now,
                    )
                )
            batch.flush([])
        others = [v.spec.code for v in valid if v.spec.code not in inserted]
        existing = {row[1]: _account(row) for row in conn.execute(_SELECT_ACCOUNTS, (others,))} if others else {}
    for v in valid:
        account = inserted.get(v.spec.code)
        if account is None:
            account = existing[v.spec.code]
            wanted = (
                v.spec.name,
                v.type,
                v.spec.currency,
                v.spec.allow_negative,
                json.loads(v.metadata_json),
                v.spec.customer_id,
            )
            have = (
                account.name,
                account.type,
                account.currency,
                account.allow_negative,
                account.metadata,
                account.customer_id,
            )
            if wanted != have:
                field = prefix.format(i=v.index) + "code"
                results[v.index] = AccountExists(
                    f"{field}: account {v.spec.code!r} already exists with different attributes",
                    field=field,
                    account=v.spec.code,
                )
                continue
        results[v.index] = account
        catalog.remember(
            AccountRef(
                account.account_id,
                account.code,
                account.type,
                account.currency,
                account.allow_negative,
                account.customer_id,
            )
        )
    return results


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
    customer_id: int | None = None,
    correlation_id: str | None = None,
) -> Account:
    """Open an account (idempotent: the same code with the same attributes returns the existing one)."""
    spec = AccountSpec(code, name, type, currency, allow_negative, metadata, customer_id)
    result = open_accounts(conn, catalog, [spec], correlation_id=correlation_id, prefix="")[0]
    if isinstance(result, LedgerError):
        raise result
    return result


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
