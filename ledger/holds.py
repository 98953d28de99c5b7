"""Holds (two-phase transfers): reserve funds, then capture, void or let them expire.

A hold from A to B is a pending debit of A and a pending credit of B. It raises `held` (and lowers
`available`) on whichever of the two it would reduce: the payer A when A is CREDIT-normal (a
customer deposit), B when B is DEBIT-normal. Capturing posts a journal entry for up to the held
amount and releases the whole reservation; voiding and expiring release it without posting.

Every operation has a batch form (`place_holds`, `capture_holds`, `void_holds`) used by the single
calls too: one transaction, each item judged in order as if alone, one error per rejected item.

Business time: `effective_at` of the hold and of its resolution are explicit (default: now), so a
simulator can replay history; a capture later than `expires_at` is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg

from ledger.arrays import Int8Array, NumericArray
from ledger.catalog import AccountRef, Catalog
from ledger.errors import (
    CurrencyMismatch,
    HoldExpired,
    HoldNotFound,
    HoldNotPending,
    IdempotencyConflict,
    InvalidAmount,
    InvalidRequest,
    LedgerError,
    UnknownAccount,
)
from ledger.model import CaptureRequest, Direction, Hold, HoldRequest, HoldStatus, JournalKind
from ledger.money import ZERO, canonical, check_leg_amount, content_hash, dump_metadata, parse_amount, require_aware
from ledger.payments import Channel, PaymentDetails, resolve_details
from ledger.posting import AlsoWrite, Outcome, check_description, check_reference, in_transaction
from ledger.reads import counterparty_of
from ledger.write import RESERVE_IDS, Draft, WriteBatch, detail_columns

_SELECT_HOLD = """
SELECT h.hold_id, h.reference_id, fa.code, ta.code, h.currency, h.amount, h.status, h.effective_at, h.expires_at,
       h.captured_amount, h.capture_journal_id, h.resolved_at, h.description, h.metadata, h.channel,
       h.counterparty_name, h.counterparty_account, h.counterparty_institution, h.counterparty_country, h.location,
       h.mcc
  FROM ledger.holds h
  JOIN ledger.accounts fa ON fa.account_id = h.from_account_id
  JOIN ledger.accounts ta ON ta.account_id = h.to_account_id
"""
_HOLDS_BY_ID = _SELECT_HOLD + " WHERE h.hold_id = ANY(%b) ORDER BY h.hold_id"
_HOLD_BY_ID = _SELECT_HOLD + " WHERE h.hold_id = %s"
_LOCK_HOLDS = "SELECT hold_id FROM ledger.holds WHERE hold_id = ANY(%b) ORDER BY hold_id FOR UPDATE"
_EXISTING_HOLDS = "SELECT reference_id, hold_id, content_hash FROM ledger.holds WHERE reference_id = ANY(%b)"
_EXISTING_JOURNALS = "SELECT reference_id FROM ledger.journal_entries WHERE reference_id = ANY(%b)"
_LOCK_EXPIRED = """
SELECT hold_id FROM ledger.holds
 WHERE status = 'PENDING' AND expires_at <= %s
 ORDER BY hold_id
 LIMIT %s
   FOR UPDATE SKIP LOCKED
"""
_INSERT_HOLDS = """
INSERT INTO ledger.holds (hold_id, reference_id, from_account_id, to_account_id, currency, amount, description,
                          metadata, content_hash, correlation_id, effective_at, expires_at, channel,
                          counterparty_name, counterparty_account, counterparty_institution, counterparty_country,
                          location, mcc)
SELECT h.id, h.ref, h.from_id, h.to_id, h.currency, h.amount, h.descr, h.meta::jsonb, h.hash, %s, h.eff, h.exp,
       h.channel, h.cp_name, h.cp_account, h.cp_institution, h.cp_country, h.location, h.mcc
  FROM unnest(%s::bigint[], %b::text[], %s::bigint[], %s::bigint[], %b::text[], %s::numeric[], %b::text[],
              %b::text[], %b::bytea[], %b::timestamptz[], %b::timestamptz[], %s::text[], %s::text[], %s::text[],
              %s::text[], %s::text[], %s::text[], %s::smallint[])
       AS h(id, ref, from_id, to_id, currency, amount, descr, meta, hash, eff, exp, channel, cp_name, cp_account,
            cp_institution, cp_country, location, mcc)
"""
_RESOLVE_HOLDS = """
UPDATE ledger.holds h
   SET status = r.status, captured_amount = r.captured, capture_journal_id = r.journal_id, resolved_at = r.at
  FROM unnest(%s::bigint[], %b::text[], %s::numeric[], %s::bigint[], %b::timestamptz[])
       AS r(hold_id, status, captured, journal_id, at)
 WHERE h.hold_id = r.hold_id
"""


# Captures lock and read their holds in one statement; metadata stays JSON text (spliced, not parsed).
_LOCK_FOR_CAPTURE = """
SELECT h.hold_id, h.reference_id, fa.code, ta.code, h.currency, h.amount, h.status, h.expires_at,
       h.captured_amount, h.capture_journal_id, h.description, h.metadata::text, h.channel, h.counterparty_name,
       h.counterparty_account, h.counterparty_institution, h.counterparty_country, h.location
  FROM ledger.holds h
  JOIN ledger.accounts fa ON fa.account_id = h.from_account_id
  JOIN ledger.accounts ta ON ta.account_id = h.to_account_id
 WHERE h.hold_id = ANY(%b)
 ORDER BY h.hold_id
   FOR UPDATE OF h
"""


@dataclass(frozen=True, slots=True)
class _CaptureRow:
    hold_id: int
    reference_id: str
    from_account: str
    to_account: str
    currency: str
    amount: Decimal
    status: str
    expires_at: datetime
    captured_amount: Decimal | None
    capture_journal_id: int | None
    description: str | None
    metadata_json: str
    channel: str
    counterparty_name: str | None
    counterparty_account: str | None
    counterparty_institution: str | None
    counterparty_country: str | None
    location: str | None

    @property
    def details(self) -> PaymentDetails:
        """A capture moves the money as its hold said it would: same channel, counterparty and place."""
        party = counterparty_of(
            self.counterparty_name, self.counterparty_account, self.counterparty_institution, self.counterparty_country
        )
        return PaymentDetails(Channel(self.channel), party, self.location)


def _with_capture(metadata_json: str, hold_id: int, held_amount: str) -> str:
    """The hold's metadata (a JSON object, as PostgreSQL renders jsonb) plus the hold id and amount."""
    extra = f'"hold_id": {hold_id}, "held_amount": "{held_amount}"'
    return "{" + extra + "}" if metadata_json == "{}" else metadata_json[:-1] + ", " + extra + "}"


@dataclass(slots=True)
class _HoldDraft:
    index: int
    reference_id: str
    from_ref: AccountRef
    to_ref: AccountRef
    amount: Decimal
    effective_at: datetime
    expires_at: datetime
    description: str | None
    metadata_json: str
    content_hash: bytes
    details: PaymentDetails
    mcc: int | None


def reserved_on(from_ref: AccountRef, to_ref: AccountRef, amount: Decimal) -> dict[int, Decimal]:
    """The held amount a hold places on the account(s) it would reduce: the payer when CREDIT-normal,
    the payee when DEBIT-normal. Only those accounts change (and get an event)."""
    held: dict[int, Decimal] = {}
    if from_ref.normal_side is Direction.CREDIT:
        held[from_ref.account_id] = amount
    if to_ref.normal_side is Direction.DEBIT:
        held[to_ref.account_id] = amount
    return held


def _hold(row: Sequence[Any], *, replayed: bool = False) -> Hold:
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
        channel=Channel(row[14]),
        counterparty=counterparty_of(*row[15:19]),
        location=row[19],
        mcc=row[20],
    )


def fetch_holds(conn: psycopg.Connection[Any], hold_ids: Sequence[int]) -> dict[int, Hold]:
    return {row[0]: _hold(row) for row in conn.execute(_HOLDS_BY_ID, (list(hold_ids),))}


def fetch_hold(conn: psycopg.Connection[Any], hold_id: int, *, replayed: bool = False) -> Hold:
    row = conn.execute(_HOLD_BY_ID, (hold_id,)).fetchone()
    if row is None:
        raise HoldNotFound(f"no hold {hold_id}", field="hold_id", hold_id=hold_id)
    return _hold(row, replayed=replayed)


# -- placing -----------------------------------------------------------------------------------------
def _draft_hold(
    index: int,
    request: HoldRequest,
    accounts: dict[str, AccountRef],
    catalog: Catalog,
    conn: psycopg.Connection[Any],
    now: datetime,
    prefix: str,
) -> _HoldDraft:
    reference_id = check_reference(request.reference_id, field=f"{prefix}reference_id")
    description = check_description(request.description, field=f"{prefix}description")
    metadata_json = dump_metadata(request.metadata, field=f"{prefix}metadata")
    effective_at = require_aware(request.effective_at, field=f"{prefix}effective_at")
    expires_at = require_aware(request.expires_at, field=f"{prefix}expires_at")
    if expires_at is None:
        raise InvalidRequest(f"{prefix}expires_at is required", field=f"{prefix}expires_at")
    from_ref = accounts.get(request.from_account)
    if from_ref is None:
        raise UnknownAccount(
            f"{prefix}from_account: no account with code {request.from_account!r}", field=f"{prefix}from_account"
        )
    to_ref = accounts.get(request.to_account)
    if to_ref is None:
        raise UnknownAccount(
            f"{prefix}to_account: no account with code {request.to_account!r}", field=f"{prefix}to_account"
        )
    if from_ref.account_id == to_ref.account_id:
        raise InvalidRequest(
            f"{prefix}to_account: from_account and to_account must differ", field=f"{prefix}to_account"
        )
    if from_ref.currency != to_ref.currency:
        raise CurrencyMismatch(
            f"{prefix}to_account: {to_ref.code!r} is in {to_ref.currency}, {from_ref.code!r} in {from_ref.currency}",
            field=f"{prefix}to_account",
        )
    amount = check_leg_amount(
        parse_amount(request.amount, field=f"{prefix}amount"),
        currency=from_ref.currency,
        minor_units=catalog.minor_units(conn, from_ref.currency),
        field=f"{prefix}amount",
    )
    at = effective_at or now
    if expires_at <= at:
        raise InvalidRequest(f"{prefix}expires_at must be after the hold's effective time", field=f"{prefix}expires_at")
    flows = [flow for ref, flow in ((from_ref, False), (to_ref, True)) if ref.customer_id is not None]
    details = resolve_details(
        channel=request.channel,
        counterparty=request.counterparty,
        location=request.location,
        metadata=request.metadata,
        customer_flows=flows,
        prefix=prefix,
    )
    mcc = check_mcc(request.mcc, request.metadata, prefix=prefix)
    parts: list[object] = [
        "HOLD",
        from_ref.code,
        to_ref.code,
        canonical(amount),
        expires_at.astimezone(UTC).isoformat(),
        description,
        metadata_json,
        effective_at.astimezone(UTC).isoformat() if effective_at else None,
    ]
    # as for journal entries: explicit details are fingerprinted, derived ones are through the metadata
    if request.channel is not None or request.counterparty is not None or request.location is not None:
        parts.append(details.hash_parts())
    if request.mcc is not None:
        parts.append(["mcc", mcc])
    return _HoldDraft(
        index,
        reference_id,
        from_ref,
        to_ref,
        amount,
        at,
        expires_at,
        description,
        metadata_json,
        content_hash(*parts),
        details,
        mcc,
    )


def check_mcc(value: object, metadata: Any, *, prefix: str) -> int | None:
    """A merchant category code (ISO 18245: four digits), given or from legacy metadata `mcc`."""
    field = f"{prefix}mcc"
    if value is None and isinstance(metadata, dict) and metadata.get("mcc") is not None:
        value, field = metadata["mcc"], f"{prefix}metadata.mcc"
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9999:
        raise InvalidRequest(f"{field} must be a merchant category code between 0000 and 9999", field=field)
    return value


def place_holds(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    requests: Sequence[HoldRequest],
    *,
    correlation_id: str | None,
    prefix: str = "holds[{i}].",
    also: AlsoWrite | None = None,
) -> dict[int, Outcome]:
    """Reserve funds for each request; an outcome (hold id or error) per request index. `also` runs in
    the same transaction after the holds are written."""
    accounts = catalog.accounts(
        conn, {c for r in requests for c in (r.from_account, r.to_account) if isinstance(c, str)}
    )
    now = datetime.now(UTC)
    outcomes: dict[int, Outcome] = {}
    drafts: list[_HoldDraft] = []
    for i, request in enumerate(requests):
        try:
            drafts.append(_draft_hold(i, request, accounts, catalog, conn, now, prefix.format(i=i)))
        except LedgerError as exc:
            outcomes[i] = Outcome(error=exc)
    if drafts:
        refs = list({r.account_id: r for d in drafts for r in (d.from_ref, d.to_ref)}.values())

        def work() -> dict[int, Outcome]:
            placed = _place_once(conn, drafts, refs, correlation_id)
            if also is not None:
                also(conn, placed)
            return placed

        outcomes.update(in_transaction(conn, work))
    return outcomes


def _place_once(
    conn: psycopg.Connection[Any], drafts: list[_HoldDraft], refs: list[AccountRef], correlation_id: str | None
) -> dict[int, Outcome]:
    batch = WriteBatch(conn, correlation_id)
    lock_cur = batch.queue_lock(refs)
    with conn.cursor() as existing_cur, conn.cursor() as ids_cur:
        existing_cur.execute(_EXISTING_HOLDS, ([d.reference_id for d in drafts],))
        ids_cur.execute(RESERVE_IDS, (0, len(drafts)))
        batch.load(lock_cur)
        existing = {ref: (hold_id, bytes(digest)) for ref, hold_id, digest in existing_cur.fetchall()}
        id_row = ids_cur.fetchone()
    assert id_row is not None
    free_ids = iter(id_row[2])

    outcomes: dict[int, Outcome] = {}
    first_seen: dict[str, tuple[_HoldDraft, int]] = {}
    placed: list[tuple[_HoldDraft, int]] = []
    for draft in drafts:
        prior = existing.get(draft.reference_id) or (
            (first_seen[draft.reference_id][1], first_seen[draft.reference_id][0].content_hash)
            if draft.reference_id in first_seen
            else None
        )
        if prior is not None:
            outcomes[draft.index] = _replay_or_conflict(draft.reference_id, draft.content_hash, *prior)
            continue
        fields = {draft.from_ref.account_id: "from_account", draft.to_ref.account_id: "to_account"}
        try:
            # A hold that reduces neither account still leaves an event, on the payer's stream.
            reserved = reserved_on(draft.from_ref, draft.to_ref, draft.amount) or {draft.from_ref.account_id: ZERO}
            changes = batch.apply({}, reserved, fields)
        except LedgerError as exc:
            outcomes[draft.index] = Outcome(error=exc)
            continue
        hold_id = next(free_ids)
        batch.add_hold_events(changes, hold_id, "ledger.hold.placed.v1", draft.effective_at)
        placed.append((draft, hold_id))
        first_seen[draft.reference_id] = (draft, hold_id)
        outcomes[draft.index] = Outcome(id=hold_id)

    def insert_holds(cur: psycopg.Cursor[Any], _written: object) -> None:
        if placed:
            cur.execute(
                _INSERT_HOLDS,
                (
                    batch.correlation_id,
                    Int8Array(hold_id for _, hold_id in placed),
                    [d.reference_id for d, _ in placed],
                    Int8Array(d.from_ref.account_id for d, _ in placed),
                    Int8Array(d.to_ref.account_id for d, _ in placed),
                    [d.from_ref.currency for d, _ in placed],
                    NumericArray(d.amount for d, _ in placed),
                    [d.description for d, _ in placed],
                    [d.metadata_json for d, _ in placed],
                    [d.content_hash for d, _ in placed],
                    [d.effective_at for d, _ in placed],
                    [d.expires_at for d, _ in placed],
                    *detail_columns([d.details for d, _ in placed]),
                    [d.mcc for d, _ in placed],
                ),
            )

    batch.flush([], after_journals=insert_holds)
    return outcomes


def _replay_or_conflict(reference_id: str, digest: bytes, hold_id: int, prior_digest: bytes) -> Outcome:
    if digest == prior_digest:
        return Outcome(id=hold_id, replayed=True)
    return Outcome(
        error=IdempotencyConflict(
            f"reference_id {reference_id!r} was already used for a different hold (hold {hold_id})",
            field="reference_id",
            hold_id=hold_id,
        )
    )


# -- resolving: capture, void, expire ----------------------------------------------------------------
def _lock_holds(
    conn: psycopg.Connection[Any], catalog: Catalog, hold_ids: Sequence[int]
) -> tuple[dict[int, Hold], dict[str, AccountRef]]:
    """Lock the holds (id order, before any balance row), then read them and their accounts."""
    conn.execute(_LOCK_HOLDS, (sorted(set(hold_ids)),)).fetchall()
    holds = fetch_holds(conn, hold_ids)
    refs = catalog.accounts(conn, {c for h in holds.values() for c in (h.from_account, h.to_account)})
    return holds, refs


def capture_holds(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    requests: Sequence[CaptureRequest],
    *,
    correlation_id: str | None,
    prefix: str = "captures[{i}].",
) -> dict[int, Outcome]:
    """Capture each hold (fully, or for `amount`); an outcome (capture journal id or error) per index.

    Capturing a captured hold again with the same (or no) amount replays the original capture.
    """
    now = datetime.now(UTC)
    times: list[datetime] = []
    for i, r in enumerate(requests):
        require_aware(r.effective_at, field=prefix.format(i=i) + "effective_at")
        times.append(r.effective_at or now)
    catalog.ensure_partitions(conn, "entries", set(times))
    return in_transaction(conn, lambda: _capture_once(conn, catalog, requests, times, correlation_id, prefix))


def _capture_once(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    requests: Sequence[CaptureRequest],
    times: list[datetime],
    correlation_id: str | None,
    prefix: str,
) -> dict[int, Outcome]:
    holds: dict[int, _CaptureRow] = {
        row[0]: _CaptureRow(*row) for row in conn.execute(_LOCK_FOR_CAPTURE, (sorted({r.hold_id for r in requests}),))
    }
    refs = catalog.accounts(conn, {c for h in holds.values() for c in (h.from_account, h.to_account)})
    batch = WriteBatch(conn, correlation_id)
    lock_cur = batch.queue_lock(refs.values())
    capture_refs = [f"{h.reference_id}:capture" for h in holds.values()]
    with conn.cursor() as taken_cur, conn.cursor() as ids_cur:
        taken_cur.execute(_EXISTING_JOURNALS, (capture_refs,))
        ids_cur.execute(RESERVE_IDS, (len(requests), 0))
        batch.load(lock_cur)
        taken = {row[0] for row in taken_cur.fetchall()}
        id_row = ids_cur.fetchone()
    assert id_row is not None
    journal_ids, posted_at = list(id_row[1]), id_row[0]

    outcomes: dict[int, Outcome] = {}
    captured_now: dict[int, tuple[Decimal, int]] = {}  # hold id -> (amount, index of the request)
    duplicates: list[tuple[int, int]] = []
    drafts: list[Draft] = []
    for i, (request, at) in enumerate(zip(requests, times, strict=True)):
        at_field = prefix.format(i=i)
        try:
            hold = holds.get(request.hold_id)
            if hold is None:
                raise HoldNotFound(f"{at_field}hold_id: no hold {request.hold_id}", field=f"{at_field}hold_id")
            wanted = None if request.amount is None else parse_amount(request.amount, field=f"{at_field}amount")
            done = captured_now.get(hold.hold_id)
            if hold.status == "CAPTURED" or done is not None:
                amount_done = hold.captured_amount if done is None else done[0]
                if wanted is None or wanted == amount_done:
                    if done is None:
                        outcomes[i] = Outcome(id=hold.capture_journal_id, replayed=True)
                    else:
                        duplicates.append((i, done[1]))  # answered once the first capture has its id
                    continue
                raise HoldNotPending(
                    f"{at_field}hold_id: hold {hold.hold_id} was already captured for {canonical(amount_done or ZERO)}",
                    field=f"{at_field}hold_id",
                )
            if hold.status != "PENDING":
                raise HoldNotPending(
                    f"{at_field}hold_id: hold {hold.hold_id} is {hold.status.lower()}", field=f"{at_field}hold_id"
                )
            if at > hold.expires_at:
                raise HoldExpired(
                    f"{at_field}hold_id: hold {hold.hold_id} expired at {hold.expires_at.isoformat()}",
                    field=f"{at_field}hold_id",
                )
            value = (
                hold.amount
                if wanted is None
                else check_leg_amount(
                    wanted,
                    currency=hold.currency,
                    minor_units=catalog.minor_units(conn, hold.currency),
                    field=f"{at_field}amount",
                )
            )
            if value > hold.amount:
                raise InvalidAmount(
                    f"{at_field}amount {canonical(value)} exceeds the held {canonical(hold.amount)}",
                    field=f"{at_field}amount",
                )
            reference = f"{hold.reference_id}:capture"
            if reference in taken:
                raise IdempotencyConflict(
                    f"{at_field}hold_id: reference {reference!r} is already used by another journal entry",
                    field=f"{at_field}hold_id",
                )
            from_ref, to_ref = refs[hold.from_account], refs[hold.to_account]
            amount_text = canonical(value)
            draft = Draft(
                index=i,
                reference_id=reference,
                kind=JournalKind.CAPTURE,
                legs=[(from_ref, Direction.DEBIT, value), (to_ref, Direction.CREDIT, value)],
                effective_at=at,
                content_hash=hashlib.sha256(f"CAPTURE|{hold.hold_id}|{amount_text}".encode()).digest(),
                details=hold.details,
                description=hold.description,
                metadata_json=_with_capture(hold.metadata_json, hold.hold_id, canonical(hold.amount)),
                held_release=reserved_on(from_ref, to_ref, hold.amount),
                leg_fields=[f"{at_field}hold_id"] * 2,
            )
            batch.add_journal(draft)
        except LedgerError as exc:
            outcomes[i] = Outcome(error=exc)
            continue
        drafts.append(draft)
        captured_now[hold.hold_id] = (value, i)

    hold_of = {d.index: requests[d.index].hold_id for d in drafts}

    def resolve(cur: psycopg.Cursor[Any], written: list[tuple[Draft, int]]) -> None:
        if written:
            cur.execute(
                _RESOLVE_HOLDS,
                (
                    Int8Array(hold_of[d.index] for d, _ in written),
                    ["CAPTURED"] * len(written),
                    NumericArray(d.legs[0][2] for d, _ in written),
                    Int8Array(jid for _, jid in written),
                    [d.effective_at for d, _ in written],
                ),
            )

    for draft, journal_id in batch.flush(journal_ids, after_journals=resolve):
        outcomes[draft.index] = Outcome(id=journal_id, posted_at=posted_at)
    for i, first in duplicates:
        outcomes[i] = Outcome(id=outcomes[first].id, replayed=True)
    return outcomes


def void_holds(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    hold_ids: Sequence[int],
    *,
    effective_at: datetime | None = None,
    correlation_id: str | None = None,
) -> dict[int, Outcome]:
    """Release pending holds without moving money (voiding a voided hold replays); outcome per index."""
    require_aware(effective_at, field="effective_at")
    at = effective_at or datetime.now(UTC)

    def work() -> dict[int, Outcome]:
        holds, refs = _lock_holds(conn, catalog, hold_ids)
        batch = WriteBatch(conn, correlation_id)
        batch.lock(refs.values())
        outcomes: dict[int, Outcome] = {}
        voided: list[int] = []
        for i, hold_id in enumerate(hold_ids):
            hold = holds.get(hold_id)
            if hold is None:
                outcomes[i] = Outcome(error=HoldNotFound(f"no hold {hold_id}", field="hold_id", hold_id=hold_id))
            elif hold.status is HoldStatus.VOIDED or hold_id in voided:
                outcomes[i] = Outcome(id=hold_id, replayed=True)
            elif hold.status is not HoldStatus.PENDING:
                outcomes[i] = Outcome(
                    error=HoldNotPending(f"hold {hold_id} is {hold.status.value.lower()}", field="hold_id")
                )
            else:
                release = reserved_on(refs[hold.from_account], refs[hold.to_account], -hold.amount) or {
                    refs[hold.from_account].account_id: ZERO
                }
                batch.add_hold_events(batch.apply({}, release, {}), hold_id, "ledger.hold.voided.v1", at)
                voided.append(hold_id)
                outcomes[i] = Outcome(id=hold_id)

        def resolve(cur: psycopg.Cursor[Any], _written: object) -> None:
            if voided:
                cur.execute(
                    _RESOLVE_HOLDS,
                    (
                        Int8Array(voided),
                        ["VOIDED"] * len(voided),
                        NumericArray([None] * len(voided)),
                        Int8Array([None] * len(voided)),
                        [at] * len(voided),
                    ),
                )

        batch.flush([], after_journals=resolve)
        return outcomes

    return in_transaction(conn, work)


def expire_holds(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    now: datetime,
    *,
    batch_size: int = 5000,
    correlation_id: str | None = None,
) -> int:
    """Release every pending hold with expires_at <= now; returns how many expired.

    Each hold is resolved at its own `expires_at`, so historical balances show it held until then.
    Holds locked by a concurrent capture are skipped (they are being resolved anyway).
    """
    if require_aware(now, field="now") is None:
        raise InvalidRequest("now is required", field="now")

    def work() -> int:
        ids = [r[0] for r in conn.execute(_LOCK_EXPIRED, (now, batch_size)).fetchall()]
        if not ids:
            return 0
        holds = fetch_holds(conn, ids)
        refs = catalog.accounts(conn, {c for h in holds.values() for c in (h.from_account, h.to_account)})
        batch = WriteBatch(conn, correlation_id)
        batch.lock(refs.values())
        for hold in holds.values():
            release = reserved_on(refs[hold.from_account], refs[hold.to_account], -hold.amount) or {
                refs[hold.from_account].account_id: ZERO
            }
            batch.add_hold_events(batch.apply({}, release, {}), hold.hold_id, "ledger.hold.expired.v1", hold.expires_at)

        def resolve(cur: psycopg.Cursor[Any], _written: object) -> None:
            cur.execute(
                _RESOLVE_HOLDS,
                (
                    Int8Array(h.hold_id for h in holds.values()),
                    ["EXPIRED"] * len(holds),
                    NumericArray([None] * len(holds)),
                    Int8Array([None] * len(holds)),
                    [h.expires_at for h in holds.values()],
                ),
            )

        batch.flush([], after_journals=resolve)
        # a case waiting on one of these holds is overdue (imported here: ledger.cases imports this module)
        from ledger.cases import holds_expired

        holds_expired(conn, ids, correlation_id=correlation_id)
        return len(ids)

    total = 0
    while expired := in_transaction(conn, work):
        total += expired
    return total
