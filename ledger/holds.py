"""Holds (two-phase transfers): reserve funds, then capture, void or let them expire.

A hold from A to B is a pending debit of A and a pending credit of B. It raises `held` (and lowers
`available`) on whichever of the two it would reduce: the payer A when A is CREDIT-normal (a
customer deposit), B when B is DEBIT-normal. Capturing posts a journal entry for up to the held
amount and releases the whole reservation; voiding and expiring release it without posting.

Business time: `effective_at` of the hold and of its resolution are explicit (default: now), so a
simulator can replay history; a capture later than `expires_at` is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg

from ledger.catalog import AccountRef, Catalog
from ledger.errors import (
    CurrencyMismatch,
    HoldExpired,
    HoldNotFound,
    HoldNotPending,
    IdempotencyConflict,
    InvalidAmount,
    InvalidRequest,
)
from ledger.model import Direction, Hold, HoldStatus, JournalEntry, JournalKind
from ledger.money import (
    ZERO,
    canonical,
    check_leg_amount,
    content_hash,
    dump_metadata,
    parse_amount,
    require_aware,
)
from ledger.posting import check_description, check_reference, in_transaction
from ledger.reads import fetch_journal
from ledger.write import Draft, WriteBatch, new_event_row, reserve_journal_ids

_HOLD_COLUMNS = """
h.hold_id, h.reference_id, fa.code, ta.code, h.currency, h.amount, h.status, h.effective_at, h.expires_at,
h.captured_amount, h.capture_journal_id, h.resolved_at, h.description, h.metadata, h.from_account_id,
h.to_account_id, h.content_hash
"""
_SELECT_HOLD = (
    "SELECT " + _HOLD_COLUMNS + " FROM ledger.holds h"  # noqa: S608 - constant column list; values are parameters
    " JOIN ledger.accounts fa ON fa.account_id = h.from_account_id"
    " JOIN ledger.accounts ta ON ta.account_id = h.to_account_id"
)
_HOLD_BY_ID = _SELECT_HOLD + " WHERE h.hold_id = %s"
_HOLD_BY_REFERENCE = _SELECT_HOLD + " WHERE h.reference_id = %s"
_LOCK_HOLD = "SELECT hold_id FROM ledger.holds WHERE hold_id = %s FOR UPDATE"
_LOCK_EXPIRED = """
SELECT hold_id FROM ledger.holds
 WHERE status = 'PENDING' AND expires_at <= %s
 ORDER BY hold_id
 LIMIT %s
   FOR UPDATE SKIP LOCKED
"""


def reserved_on(from_ref: AccountRef, to_ref: AccountRef, amount: Decimal) -> dict[int, Decimal]:
    """The held amount a hold places on each of its two accounts (zero where it would not reduce it)."""
    return {
        from_ref.account_id: amount if from_ref.normal_side is Direction.CREDIT else ZERO,
        to_ref.account_id: amount if to_ref.normal_side is Direction.DEBIT else ZERO,
    }


def _hold(row: tuple[Any, ...], *, replayed: bool = False) -> Hold:
    return Hold(
        hold_id=row[0],
        reference_id=row[1],
        from_account=row[2],
        to_account=row[3],
        currency=row[4],
        amount=row[5],
        status=HoldStatus(row[6]),
        effective_at=row[7],
        expires_at=row[8],
        captured_amount=row[9],
        capture_journal_id=row[10],
        resolved_at=row[11],
        description=row[12],
        metadata=row[13],
        replayed=replayed,
    )


def fetch_hold(conn: psycopg.Connection[Any], hold_id: int, *, replayed: bool = False) -> Hold:
    row = conn.execute(_HOLD_BY_ID, (hold_id,)).fetchone()
    if row is None:
        raise HoldNotFound(f"no hold {hold_id}", field="hold_id", hold_id=hold_id)
    return _hold(row, replayed=replayed)


def place_hold(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    reference_id: str,
    from_account: str,
    to_account: str,
    amount: object,
    expires_at: datetime,
    *,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    effective_at: datetime | None = None,
    correlation_id: str | None = None,
) -> Hold:
    """Reserve `amount` for a later transfer from `from_account` to `to_account`."""
    reference_id = check_reference(reference_id, field="reference_id")
    description = check_description(description, field="description")
    metadata_json = dump_metadata(metadata)
    require_aware(effective_at, field="effective_at")
    if require_aware(expires_at, field="expires_at") is None:
        raise InvalidRequest("expires_at is required", field="expires_at")
    from_ref = catalog.account(conn, from_account, field="from_account")
    to_ref = catalog.account(conn, to_account, field="to_account")
    if from_ref.account_id == to_ref.account_id:
        raise InvalidRequest("from_account and to_account must differ", field="to_account")
    if from_ref.currency != to_ref.currency:
        raise CurrencyMismatch(
            f"to_account: {to_ref.code!r} is in {to_ref.currency}, {from_ref.code!r} in {from_ref.currency}",
            field="to_account",
        )
    value = check_leg_amount(
        parse_amount(amount, field="amount"),
        currency=from_ref.currency,
        minor_units=catalog.minor_units(conn, from_ref.currency),
        field="amount",
    )
    at = effective_at or datetime.now(UTC)
    if expires_at <= at:
        raise InvalidRequest("expires_at must be after the hold's effective time", field="expires_at")
    digest = content_hash(
        "HOLD",
        from_ref.code,
        to_ref.code,
        canonical(value),
        expires_at.astimezone(UTC).isoformat(),
        description,
        metadata_json,
        effective_at.astimezone(UTC).isoformat() if effective_at else None,
    )

    def work() -> Hold:
        batch = WriteBatch(conn, correlation_id)
        batch.lock([from_ref, to_ref])
        prior = conn.execute(_HOLD_BY_REFERENCE, (reference_id,)).fetchone()
        if prior is not None:
            if bytes(prior[16]) != digest:
                raise IdempotencyConflict(
                    f"reference_id {reference_id!r} was already used for a different hold (hold {prior[0]})",
                    field="reference_id",
                )
            return _hold(prior, replayed=True)
        changes = batch.apply(
            {},
            reserved_on(from_ref, to_ref, value),
            {from_ref.account_id: "from_account", to_ref.account_id: "to_account"},
        )
        row = conn.execute(
            "INSERT INTO ledger.holds (reference_id, from_account_id, to_account_id, currency, amount,"
            " description, metadata, content_hash, correlation_id, effective_at, expires_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s) RETURNING hold_id",
            (
                reference_id,
                from_ref.account_id,
                to_ref.account_id,
                from_ref.currency,
                value,
                description,
                metadata_json,
                digest,
                correlation_id,
                at,
                expires_at,
            ),
        ).fetchone()
        assert row is not None
        hold_id = int(row[0])
        _hold_events(
            batch,
            changes,
            "ledger.hold.placed.v1",
            hold_id,
            reference_id,
            value,
            at,
            {"expires_at": expires_at.isoformat()},
        )
        batch.flush([])
        return fetch_hold(conn, hold_id)

    return in_transaction(conn, work)


def capture_hold(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    hold_id: int,
    amount: object = None,
    *,
    effective_at: datetime | None = None,
    correlation_id: str | None = None,
) -> JournalEntry:
    """Post up to the held amount from the hold's payer to its payee and release the reservation.

    Capturing a captured hold again with the same (or no) amount returns the original entry.
    """
    require_aware(effective_at, field="effective_at")
    at = effective_at or datetime.now(UTC)
    catalog.ensure_partitions(conn, "entries", [at])
    try:
        return _capture(conn, catalog, hold_id, amount, at, correlation_id)
    except psycopg.errors.UniqueViolation as exc:
        raise IdempotencyConflict(
            f"the capture reference of hold {hold_id} is already used by another journal entry",
            field="hold_id",
        ) from exc


def _capture(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    hold_id: int,
    amount: object,
    at: datetime,
    correlation_id: str | None,
) -> JournalEntry:
    with conn.transaction():
        hold, from_ref, to_ref = _locked_hold(conn, catalog, hold_id)
        wanted = None if amount is None else parse_amount(amount, field="amount")
        if hold.status is HoldStatus.CAPTURED and hold.capture_journal_id is not None:
            if wanted is None or wanted == hold.captured_amount:
                return fetch_journal(conn, hold.capture_journal_id, replayed=True)
            raise HoldNotPending(f"hold {hold_id} was already captured for {hold.captured_amount}", field="hold_id")
        if hold.status is not HoldStatus.PENDING:
            raise HoldNotPending(f"hold {hold_id} is {hold.status.value.lower()}", field="hold_id")
        if at > hold.expires_at:
            raise HoldExpired(f"hold {hold_id} expired at {hold.expires_at.isoformat()}", field="hold_id")
        value = (
            hold.amount
            if wanted is None
            else check_leg_amount(
                wanted,
                currency=hold.currency,
                minor_units=catalog.minor_units(conn, hold.currency),
                field="amount",
            )
        )
        if value > hold.amount:
            raise InvalidAmount(f"amount {canonical(value)} exceeds the held {canonical(hold.amount)}", field="amount")
        draft = Draft(
            index=0,
            reference_id=f"{hold.reference_id}:capture",
            kind=JournalKind.CAPTURE,
            legs=[(from_ref, Direction.DEBIT, value), (to_ref, Direction.CREDIT, value)],
            effective_at=at,
            content_hash=content_hash("CAPTURE", hold_id, canonical(value)),
            description=hold.description,
            metadata_json=dump_metadata({"hold_id": hold_id, "held_amount": canonical(hold.amount)}),
            held_release={k: v for k, v in reserved_on(from_ref, to_ref, hold.amount).items() if v != ZERO},
            leg_fields=["hold_id", "hold_id"],
        )
        batch = WriteBatch(conn, correlation_id)
        batch.lock([from_ref, to_ref])
        batch.add_journal(draft)
        ((_, journal_id),) = batch.flush(reserve_journal_ids(conn, 1))
        conn.execute(
            "UPDATE ledger.holds SET status = 'CAPTURED', captured_amount = %s, capture_journal_id = %s,"
            " resolved_at = %s WHERE hold_id = %s",
            (value, journal_id, at, hold_id),
        )
        return fetch_journal(conn, journal_id)


def void_hold(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    hold_id: int,
    *,
    effective_at: datetime | None = None,
    correlation_id: str | None = None,
) -> Hold:
    """Release a pending hold without moving money (voiding a voided hold returns it unchanged)."""
    require_aware(effective_at, field="effective_at")
    at = effective_at or datetime.now(UTC)
    with conn.transaction():
        hold, from_ref, to_ref = _locked_hold(conn, catalog, hold_id)
        if hold.status is HoldStatus.VOIDED:
            return fetch_hold(conn, hold_id, replayed=True)
        if hold.status is not HoldStatus.PENDING:
            raise HoldNotPending(f"hold {hold_id} is {hold.status.value.lower()}", field="hold_id")
        batch = WriteBatch(conn, correlation_id)
        batch.lock([from_ref, to_ref])
        release = {k: -v for k, v in reserved_on(from_ref, to_ref, hold.amount).items()}
        changes = batch.apply({}, release, {})
        conn.execute("UPDATE ledger.holds SET status = 'VOIDED', resolved_at = %s WHERE hold_id = %s", (at, hold_id))
        _hold_events(batch, changes, "ledger.hold.voided.v1", hold_id, hold.reference_id, hold.amount, at, {})
        batch.flush([])
    return fetch_hold(conn, hold_id)


def expire_holds(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    now: datetime,
    *,
    batch_size: int = 1000,
    correlation_id: str | None = None,
) -> int:
    """Release every pending hold with expires_at <= now; returns how many expired.

    Each hold is resolved at its own `expires_at`, so historical balances show it held until then.
    Holds locked by a concurrent capture are skipped (they are being resolved anyway).
    """
    if require_aware(now, field="now") is None:
        raise InvalidRequest("now is required", field="now")
    total = 0
    while True:
        with conn.transaction():
            ids = [r[0] for r in conn.execute(_LOCK_EXPIRED, (now, batch_size))]
            if not ids:
                return total
            rows = conn.execute(_SELECT_HOLD + " WHERE h.hold_id = ANY(%s) ORDER BY h.hold_id", (ids,)).fetchall()
            refs = catalog.accounts(conn, {r[2] for r in rows} | {r[3] for r in rows})
            batch = WriteBatch(conn, correlation_id)
            batch.lock(refs.values())
            for row in rows:
                hold = _hold(row)
                release = {
                    k: -v for k, v in reserved_on(refs[hold.from_account], refs[hold.to_account], hold.amount).items()
                }
                changes = batch.apply({}, release, {})
                _hold_events(
                    batch,
                    changes,
                    "ledger.hold.expired.v1",
                    hold.hold_id,
                    hold.reference_id,
                    hold.amount,
                    hold.expires_at,
                    {},
                )
            conn.execute(
                "UPDATE ledger.holds SET status = 'EXPIRED', resolved_at = expires_at WHERE hold_id = ANY(%s)",
                (ids,),
            )
            batch.flush([])
        total += len(ids)


def _locked_hold(conn: psycopg.Connection[Any], catalog: Catalog, hold_id: int) -> tuple[Hold, AccountRef, AccountRef]:
    if conn.execute(_LOCK_HOLD, (hold_id,)).fetchone() is None:
        raise HoldNotFound(f"no hold {hold_id}", field="hold_id", hold_id=hold_id)
    hold = fetch_hold(conn, hold_id)
    refs = catalog.accounts(conn, [hold.from_account, hold.to_account])
    return hold, refs[hold.from_account], refs[hold.to_account]


def _hold_events(
    batch: WriteBatch,
    changes: list[Any],
    event_type: str,
    hold_id: int,
    reference_id: str,
    amount: Decimal,
    at: datetime,
    extra: dict[str, Any],
) -> None:
    for change in changes:
        ref = batch.ref(change.account_id)
        payload = {
            "hold_id": hold_id,
            "reference_id": reference_id,
            "account": ref.code,
            "currency": ref.currency,
            "amount": canonical(amount),
            "held_change": canonical(change.held_change),
            "available_after": canonical(change.available_after),
            "effective_at": at.isoformat(),
            **extra,
        }
        batch.add_event(new_event_row("account", ref.code, change.version, event_type, payload, at))
