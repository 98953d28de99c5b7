"""Posting journal entries: validation into drafts, and the idempotent batch write.

`post` is `post_many` with one transfer: one code path, one set of guarantees. A batch is processed
in order, as if each transfer were posted alone: a transfer that fails validation, overdraws an
account, reuses a reference with different content or touches a closed account is rejected with its
own error; the others post, all in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors

from ledger.catalog import AccountRef, Catalog
from ledger.errors import (
    AlreadyReversed,
    BatchAborted,
    CurrencyMismatch,
    IdempotencyConflict,
    InvalidRequest,
    LedgerError,
    TooFewLegs,
    UnbalancedEntry,
    UnknownAccount,
)
from ledger.model import Direction, JournalEntry, JournalKind, Leg, PostedLeg, Transfer
from ledger.money import (
    MONEY,
    ZERO,
    canonical,
    check_leg_amount,
    content_hash,
    dump_metadata,
    parse_amount,
    require_aware,
)
from ledger.movements import DEFAULT_RAILS, Movement, Rails
from ledger.payments import Channel, resolve_details
from ledger.reads import fetch_journal
from ledger.write import RESERVE_IDS, Draft, WriteBatch

MAX_ATTEMPTS = 5
T = TypeVar("T")
MAX_REFERENCE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result for one item of a batch: the id it was written under (a journal or hold id, new or
    replayed) or the error that rejected it."""

    id: int | None = None
    replayed: bool = False
    error: LedgerError | None = None
    posted_at: datetime | None = None


def check_reference(reference_id: object, *, field: str) -> str:
    if not isinstance(reference_id, str) or not reference_id.strip():
        raise InvalidRequest(f"{field} must be a non-empty string", field=field)
    if len(reference_id) > MAX_REFERENCE_LENGTH:
        raise InvalidRequest(f"{field} is longer than {MAX_REFERENCE_LENGTH} characters", field=field)
    return reference_id


def check_description(description: object, *, field: str) -> str | None:
    if description is None:
        return None
    if not isinstance(description, str):
        raise InvalidRequest(f"{field} must be a string", field=field)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidRequest(f"{field} is longer than {MAX_DESCRIPTION_LENGTH} characters", field=field)
    return description


def parse_direction(value: object, *, field: str) -> Direction:
    if type(value) is Direction:
        return value
    try:
        return Direction(str(value).upper())
    except ValueError:
        raise InvalidRequest(f"{field} must be DEBIT or CREDIT, got {value!r}", field=field) from None


def draft_transfer(
    index: int,
    transfer: Transfer,
    accounts: Mapping[str, AccountRef],
    minor_units: Callable[[str], int],
    *,
    prefix: str = "",
    kind: JournalKind = JournalKind.TRANSFER,
    now: datetime | None = None,
    extra_hash: object = None,
    inherited: Channel | None = None,
    leg_names: Sequence[str] | None = None,
) -> Draft:
    """Validate a transfer against the catalog; raise the first problem, naming its field.

    `inherited` is the channel the entry's kind implies (a conversion's FX or CRYPTO), used when the
    transfer names none (see `ledger.payments.resolve_details`)."""
    reference_id = check_reference(transfer.reference_id, field=f"{prefix}reference_id")
    description = check_description(transfer.description, field=f"{prefix}description")
    metadata_json = dump_metadata(transfer.metadata, field=f"{prefix}metadata")
    effective_at = require_aware(transfer.effective_at, field=f"{prefix}effective_at")
    legs_in: Sequence[Leg] = transfer.legs if transfer.legs is not None else ()
    if len(legs_in) < 2:
        raise TooFewLegs(
            f"{prefix}legs: a journal entry needs at least two legs, got {len(legs_in)}",
            field=f"{prefix}legs",
        )

    legs: list[tuple[AccountRef, Direction, Decimal]] = []
    leg_fields: list[str] = []
    totals: dict[str, list[Decimal]] = {}
    for j, leg in enumerate(legs_in):
        at = f"{prefix}legs[{j}]"
        if not isinstance(leg, Leg):
            raise InvalidRequest(f"{at} must be a Leg", field=at)
        # a movement's legs are named by the caller's own fields (`account`, `amount`)
        account_field = f"{prefix}{leg_names[j]}" if leg_names else f"{at}.account"
        amount_field = f"{prefix}amount" if leg_names else f"{at}.amount"
        ref = accounts.get(leg.account)
        if ref is None:
            raise UnknownAccount(f"{account_field}: no account with code {leg.account!r}", field=account_field)
        direction = parse_direction(leg.direction, field=f"{at}.direction")
        if leg.currency is not None and leg.currency != ref.currency:
            raise CurrencyMismatch(
                f"{at}.currency: account {ref.code!r} is in {ref.currency}, the leg says {leg.currency}",
                field=f"{at}.currency",
            )
        amount = check_leg_amount(
            parse_amount(leg.amount, field=amount_field),
            currency=ref.currency,
            minor_units=minor_units(ref.currency),
            field=amount_field,
        )
        legs.append((ref, direction, amount))
        leg_fields.append(account_field)
        debit_credit = totals.setdefault(ref.currency, [ZERO, ZERO])
        side = 0 if direction is Direction.DEBIT else 1
        debit_credit[side] = MONEY.add(debit_credit[side], amount)

    for currency, (debits, credits) in sorted(totals.items()):
        if debits != credits:
            raise UnbalancedEntry(
                f"{prefix}legs: debits {canonical(debits)} and credits {canonical(credits)} differ in {currency}",
                field=f"{prefix}legs",
                currency=currency,
                debits=canonical(debits),
                credits=canonical(credits),
            )

    details = resolve_details(
        channel=transfer.channel,
        counterparty=transfer.counterparty,
        location=transfer.location,
        metadata=transfer.metadata,
        customer_flows=[direction is ref.normal_side for ref, direction, _ in legs if ref.customer_id is not None],
        inherited=inherited,
        prefix=prefix,
    )
    parts: list[object] = [
        kind.value,
        [[ref.code, direction.value, canonical(amount)] for ref, direction, amount in legs],
        description,
        metadata_json,
        _utc_iso(effective_at),
        extra_hash,
    ]
    # Details derived from metadata or from the legs are fingerprinted through them already; explicit
    # ones are added (so entries posted before typed fields existed keep their fingerprints).
    if transfer.channel is not None or transfer.counterparty is not None or transfer.location is not None:
        parts.append(details.hash_parts())
    fingerprint = content_hash(*parts)
    return Draft(
        index=index,
        reference_id=reference_id,
        kind=kind,
        legs=legs,
        effective_at=effective_at or now or datetime.now(UTC),
        content_hash=fingerprint,
        details=details,
        description=description,
        metadata_json=metadata_json,
        leg_fields=leg_fields,
    )


def _utc_iso(when: datetime | None) -> str | None:
    if when is None:
        return None
    return (when if when.tzinfo is UTC else when.astimezone(UTC)).isoformat()


class _Drafter:
    """Validates the items of one call (transfers, or movements turned into transfers on the way): the
    accounts and currencies they name are looked up once."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        catalog: Catalog,
        items: Sequence[Transfer | Movement],
        rails: Rails = DEFAULT_RAILS,
    ) -> None:
        owners = {m.account for m in items if isinstance(m, Movement) and isinstance(m.account, str)}
        known = catalog.accounts(conn, owners)
        # movement i -> its transfer and the caller's field of each leg; None when its account is unknown
        self._moved: dict[int, tuple[Transfer, Sequence[str]] | None] = {}
        self._movements: dict[int, Movement] = {}
        for i, item in enumerate(items):
            if isinstance(item, Movement):
                owner = known.get(item.account) if isinstance(item.account, str) else None
                self._movements[i] = item
                self._moved[i] = None if owner is None else item.transfer(owner.currency, rails)
        self.items: list[Transfer] = [
            moved[0] if isinstance(moved := self._moved.get(i), tuple) else item  # type: ignore[misc]
            for i, item in enumerate(items)
        ]
        codes = {
            leg.account
            for t in self.items
            if isinstance(t, Transfer)
            for leg in (t.legs or ())
            if isinstance(leg, Leg) and isinstance(leg.account, str)
        }
        self.accounts = catalog.accounts(conn, codes)
        currencies = {ref.currency for ref in self.accounts.values()}
        self._units = {currency: catalog.minor_units(conn, currency) for currency in currencies}
        self.now = datetime.now(UTC)

    def __call__(self, i: int, prefix: str) -> Draft:
        """Item `i` as a draft, or the LedgerError naming its first problem."""
        moved = self._moved.get(i)
        if i in self._movements and moved is None:
            code = self._movements[i].account
            raise UnknownAccount(f"{prefix}account: no account with code {code!r}", field=f"{prefix}account")
        return draft_transfer(
            i,
            self.items[i],
            self.accounts,
            self._units.__getitem__,
            prefix=prefix,
            now=self.now,
            leg_names=moved[1] if moved is not None else None,
        )


def draft_transfers(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    transfers: Iterable[Transfer | Movement],
    *,
    prefix: Callable[[int], str] = lambda i: f"transfers[{i}].",
    rails: Rails = DEFAULT_RAILS,
) -> tuple[list[Draft], dict[int, LedgerError]]:
    """Validate a batch: the drafts that passed, and an error per index for the ones that did not."""
    items = list(transfers)
    draft = _Drafter(conn, catalog, items, rails)
    drafts: list[Draft] = []
    errors: dict[int, LedgerError] = {}
    for i in range(len(items)):
        try:
            drafts.append(draft(i, prefix(i)))
        except LedgerError as exc:
            errors[i] = exc
    return drafts, errors


def in_transaction(conn: psycopg.Connection[Any], work: Callable[[], T]) -> T:
    """Run `work` in a transaction, retrying the transient races two writers can have.

    A concurrent writer may commit the same reference id first (unique violation); the retry sees its
    row and answers with a replay or a conflict. Deadlocks cannot arise between ledger writers (locks
    are taken in a fixed order) but are retried in case other clients lock ledger rows.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            # One pipeline: BEGIN and the first queries share a round trip, and the writes share
            # one with COMMIT; `work` decides where it must wait for results (fetch*).
            with conn.pipeline(), conn.transaction():
                return work()
        except (pg_errors.UniqueViolation, pg_errors.DeadlockDetected, pg_errors.SerializationFailure):
            if attempt == MAX_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


# Work a caller adds to a write's transaction: it sees the outcomes (new ids) and commits or rolls back with them.
AlsoWrite = Callable[[psycopg.Connection[Any], dict[int, "Outcome"]], None]


def write_drafts(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    drafts: list[Draft],
    *,
    correlation_id: str | None,
    also: AlsoWrite | None = None,
) -> dict[int, Outcome]:
    """Write drafts in one transaction (retrying transient conflicts); an outcome per draft index.
    `also` runs inside that transaction after the writes (on every attempt; only the last commits)."""
    if not drafts:
        return {}
    catalog.ensure_partitions(conn, "entries", {d.effective_at for d in drafts})
    scope = _Scope(
        refs=list({ref.account_id: ref for d in drafts for ref, _, _ in d.legs}.values()),
        references=[d.reference_id for d in drafts],
        reversal_targets=[d.reverses_journal_id for d in drafts if d.reverses_journal_id is not None],
    )

    def work() -> dict[int, Outcome]:
        outcomes = _write_once(conn, scope, [drafts], correlation_id)
        if also is not None:
            also(conn, outcomes)
        return outcomes

    return in_transaction(conn, work)


CHUNK = 1000


def post_transfers(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    transfers: Sequence[Transfer | Movement],
    *,
    correlation_id: str | None,
    chunk: int = CHUNK,
    rails: Rails = DEFAULT_RAILS,
    all_or_nothing: bool = False,
) -> dict[int, Outcome]:
    """`post_many`: validate, check and write `transfers` in one transaction, `chunk` at a time.

    `all_or_nothing`: if any transfer is refused, none is written (like TigerBeetle's linked events);
    each refused transfer keeps its reason and every other new one answers `BatchAborted` naming the
    first refusal. Replays of transfers posted before stay replays.

    The statements of a pipeline are sent as they are queued, so the server writes one chunk's journals,
    legs and events while the next chunk is validated and checked against the locked balances: the
    client's work and the server's overlap instead of taking turns. Locks, replay lookups and ids are
    taken for the whole batch up front (from the transfers as given); the balances are written once, with
    COMMIT.
    """
    items = list(transfers)
    draft = _Drafter(conn, catalog, items, rails)
    catalog.ensure_partitions(conn, "entries", {t.effective_at if _aware(t.effective_at) else draft.now for t in items})
    drafted: list[Draft | LedgerError] = []  # survives a retried transaction: each transfer is validated once

    def chunks() -> Iterator[list[Draft]]:
        for start in range(0, len(items), chunk):
            for i in range(len(drafted), min(start + chunk, len(items))):
                try:
                    drafted.append(draft(i, f"transfers[{i}]."))
                except LedgerError as exc:
                    drafted.append(exc)
            yield [d for d in drafted[start : start + chunk] if isinstance(d, Draft)]

    scope = _Scope(
        refs=list(draft.accounts.values()),
        references=[t.reference_id for t in items if isinstance(t.reference_id, str)],
        reversal_targets=[],
    )
    refused = (lambda: [i for i, d in enumerate(drafted) if isinstance(d, LedgerError)]) if all_or_nothing else None
    try:
        outcomes = (
            in_transaction(conn, lambda: _write_once(conn, scope, chunks(), correlation_id, refused)) if items else {}
        )
    except _Aborted as aborted:
        outcomes = aborted.outcomes
    outcomes.update({i: Outcome(error=d) for i, d in enumerate(drafted) if isinstance(d, LedgerError)})
    return outcomes


class _Aborted(Exception):
    """Raised inside an all-or-nothing batch's transaction (rolling it back) when an item was refused."""

    def __init__(self, outcomes: dict[int, Outcome]) -> None:
        super().__init__("all-or-nothing batch aborted")
        self.outcomes = outcomes


def _aware(value: object) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None


@dataclass(frozen=True, slots=True)
class _Scope:
    """What a write transaction locks and looks up before it sees the drafts."""

    refs: list[AccountRef]  # accounts to lock
    references: list[str]  # reference ids to look up for replays
    reversal_targets: list[int]


def _write_once(
    conn: psycopg.Connection[Any],
    scope: _Scope,
    chunks: Iterable[list[Draft]],
    correlation_id: str | None,
    refused_before: Callable[[], list[int]] | None = None,
) -> dict[int, Outcome]:
    """Check and write the drafts. With `refused_before` (all-or-nothing: it gives the indexes of items
    refused before they became drafts), any refusal rolls the whole transaction back (`_Aborted`)."""
    batch = WriteBatch(conn, correlation_id)
    # Four queries, one round trip: locks, prior use of the references, prior reversals, ids + time.
    lock_cur = batch.queue_lock(scope.refs)
    with conn.cursor() as existing_cur, conn.cursor() as reversed_cur, conn.cursor() as ids_cur:
        existing_cur.execute(_EXISTING, (scope.references,))
        if scope.reversal_targets:
            reversed_cur.execute(_REVERSED, (scope.reversal_targets,))
        ids_cur.execute(RESERVE_IDS, (len(scope.references), 0))
        batch.load(lock_cur)
        existing = {ref: (journal_id, bytes(digest)) for ref, journal_id, digest in existing_cur.fetchall()}
        reversed_already = {row[0] for row in reversed_cur.fetchall()} if scope.reversal_targets else set()
        id_row = ids_cur.fetchone()
    assert id_row is not None
    posted_at, journal_ids = id_row[0], list(id_row[1])

    outcomes: dict[int, Outcome] = {}
    first_seen: dict[str, Draft] = {}
    duplicates: list[tuple[Draft, Draft]] = []
    for drafts in chunks:
        for draft in drafts:
            prior = existing.get(draft.reference_id)
            if prior is not None:
                outcomes[draft.index] = _replay_or_conflict(draft, prior[0], prior[1])
                continue
            if draft.reference_id in first_seen:
                duplicates.append((draft, first_seen[draft.reference_id]))
                continue
            if draft.reverses_journal_id is not None and draft.reverses_journal_id in reversed_already:
                outcomes[draft.index] = Outcome(
                    error=AlreadyReversed(
                        f"journal entry {draft.reverses_journal_id} has already been reversed",
                        field="journal_id",
                        journal_id=draft.reverses_journal_id,
                    )
                )
                continue
            try:
                batch.add_journal(draft)
            except LedgerError as exc:
                outcomes[draft.index] = Outcome(error=exc)
                continue
            first_seen[draft.reference_id] = draft
            if draft.reverses_journal_id is not None:
                reversed_already.add(draft.reverses_journal_id)
        batch.send_journals(journal_ids)

    if refused_before is not None:
        refused = sorted([*refused_before(), *(i for i, o in outcomes.items() if o.error is not None)])
        if refused:
            first = refused[0]
            aborted = {i: o for i, o in outcomes.items() if o.error is not None or o.replayed}
            not_posted = [d for d, _ in batch.written_drafts()] + [d for d, _ in duplicates]
            for draft in not_posted:
                aborted[draft.index] = Outcome(
                    error=BatchAborted(
                        f"not posted: the batch is all-or-nothing and transfers[{first}] was refused",
                        field=f"transfers[{first}]",
                        refused=len(refused),
                    )
                )
            raise _Aborted(aborted)

    for draft, journal_id in batch.flush(journal_ids):
        outcomes[draft.index] = Outcome(id=journal_id, posted_at=posted_at)
    for draft, first in duplicates:
        first_outcome = outcomes.get(first.index)
        assert first_outcome is not None and first_outcome.id is not None
        outcomes[draft.index] = _replay_or_conflict(draft, first_outcome.id, first.content_hash)
    return outcomes


_EXISTING = "SELECT reference_id, journal_id, content_hash FROM ledger.journal_entries WHERE reference_id = ANY(%b)"
_REVERSED = "SELECT reverses_journal_id FROM ledger.journal_entries WHERE reverses_journal_id = ANY(%b)"


def entry_from_draft(draft: Draft, outcome: Outcome, correlation_id: str | None) -> JournalEntry:
    """The JournalEntry just written, built from what was written (no read-back round trip)."""
    assert outcome.id is not None and outcome.posted_at is not None
    return JournalEntry(
        journal_id=outcome.id,
        reference_id=draft.reference_id,
        kind=draft.kind,
        legs=tuple(
            PostedLeg(i, ref.code, direction, amount, ref.currency)
            for i, (ref, direction, amount) in enumerate(draft.legs, start=1)
        ),
        effective_at=draft.effective_at,
        posted_at=outcome.posted_at,
        description=draft.description,
        metadata=json.loads(draft.metadata_json),
        reverses_journal_id=draft.reverses_journal_id,
        correlation_id=correlation_id,
        channel=draft.details.channel,
        counterparty=draft.details.counterparty,
        location=draft.details.location,
    )


def journal_result(
    conn: psycopg.Connection[Any], draft: Draft, outcome: Outcome, correlation_id: str | None
) -> JournalEntry:
    """What `post`-like calls return: the new entry, the original on a replay, or the error raised."""
    if outcome.error is not None:
        raise outcome.error
    assert outcome.id is not None
    if outcome.replayed:
        return fetch_journal(conn, outcome.id, replayed=True)
    return entry_from_draft(draft, outcome, correlation_id)


def _replay_or_conflict(draft: Draft, journal_id: int, digest: bytes) -> Outcome:
    if digest == draft.content_hash:
        return Outcome(id=journal_id, replayed=True)
    return Outcome(
        error=IdempotencyConflict(
            f"reference_id {draft.reference_id!r} was already used for a different journal entry "
            f"(journal {journal_id})",
            field="reference_id",
            journal_id=journal_id,
        )
    )
