"""One ledger write transaction: lock the balances, check every change, then write it all set-based.

Concurrency: the balance rows of every account an operation touches are locked `FOR UPDATE` in
account-id order in one statement, so two writers never wait on each other in a cycle and a funds
check always sees the balance it will update (no overdraft under races). Holds, when involved, are
locked before balances, also in id order.

The batch keeps the locked balances in memory and applies each change to that copy (rejecting the
ones that would overdraw). `send_journals()` queues the journals, legs and journal events accepted so
far, one array-parameter statement per table (a bulk caller sends chunk after chunk while it prepares
the next); `flush()` sends what is left, the balance rows and the other events, pipelined with COMMIT.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from ledger.arrays import Int8Array, NumericArray, TextArray, random_uuids
from ledger.catalog import AccountRef
from ledger.errors import AccountClosed, InsufficientFunds
from ledger.model import Direction, JournalKind
from ledger.money import MONEY, ZERO, canonical
from ledger.payments import PaymentDetails


@dataclass(slots=True)
class Draft:
    """A validated journal entry waiting to be written."""

    index: int
    reference_id: str
    kind: JournalKind
    legs: list[tuple[AccountRef, Direction, Decimal]]
    effective_at: datetime
    content_hash: bytes
    details: PaymentDetails
    description: str | None = None
    metadata_json: str = "{}"
    reverses_journal_id: int | None = None
    # held amounts released by this entry (a capture releases its hold), per account id
    held_release: dict[int, Decimal] = field(default_factory=dict)
    leg_fields: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Balance:
    ref: AccountRef
    is_closed: bool
    posted: Decimal
    held: Decimal
    version: int
    locked_version: int
    locked_posted: Decimal  # as committed when locked
    last_movement_at: datetime | None  # latest effective time of a committed entry (migration 0013)
    # this batch's accepted posted changes: (effective time, signed change), for back-dated checks
    moves: list[tuple[datetime, Decimal]] = field(default_factory=list)
    latest_move_at: datetime | None = None  # the latest of `moves` (kept, not searched: hot accounts)
    # committed posted changes per effective time after `history_after` (loaded when first needed)
    history: list[tuple[datetime, Decimal]] | None = None
    history_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """What one operation did to one account (becomes one event on the account's stream)."""

    account_id: int
    version: int
    posted_change: Decimal
    held_change: Decimal
    posted_after: Decimal
    available_after: Decimal


_LOCK_SQL = """
SELECT b.account_id, a.is_closed, b.posted, b.held, b.version, b.last_movement_at
  FROM ledger.balances b JOIN ledger.accounts a USING (account_id)
 WHERE b.account_id = ANY(%b)
 ORDER BY b.account_id
   FOR UPDATE OF b
"""

_INSERT_JOURNALS = """
INSERT INTO ledger.journal_entries
    (journal_id, reference_id, kind, description, metadata, content_hash, reverses_journal_id,
     correlation_id, effective_at, channel, counterparty_name, counterparty_account, counterparty_institution,
     counterparty_country, location)
SELECT j.id, j.ref, j.kind, j.descr, j.meta::jsonb, j.hash, j.rev, %s, j.eff, j.channel, j.cp_name, j.cp_account,
       j.cp_institution, j.cp_country, j.location
  FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %b::bytea[], %s::bigint[],
              %b::timestamptz[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
       AS j(id, ref, kind, descr, meta, hash, rev, eff, channel, cp_name, cp_account, cp_institution, cp_country,
            location)
"""

_INSERT_ENTRIES = """
INSERT INTO ledger.entries (journal_id, leg_no, account_id, direction, amount, currency, effective_at)
SELECT * FROM unnest(%s::bigint[], %s::smallint[], %s::bigint[], %s::text[], %s::numeric[], %s::text[],
                     %b::timestamptz[])
"""

_UPDATE_BALANCES = """
WITH moved AS (
    UPDATE ledger.balances b
       SET posted = d.posted, held = d.held, version = d.version, updated_at = now(),
           first_movement_at = LEAST(b.first_movement_at, d.first_at),  -- LEAST and GREATEST skip NULLs
           last_movement_at = GREATEST(b.last_movement_at, d.last_at)
      FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::bigint[], %s::bigint[], %s::timestamptz[],
                  %s::timestamptz[])
           AS d(account_id, posted, held, version, locked_version, first_at, last_at)
     WHERE b.account_id = d.account_id AND b.version = d.locked_version
    RETURNING 1
)
SELECT ledger.expect_rows((SELECT count(*) FROM moved), %s, 'ledger.balances')
"""

_APPEND_EVENTS = """
WITH appended AS (
    INSERT INTO ledger.event_store
        (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
         correlation_id, causation_id, occurred_at)
    SELECT e.id, e.agg_type, e.agg_id, e.version, e.type, 1, e.payload::jsonb, %s, e.causation, e.occurred
      FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::bigint[], %b::text[], %b::text[], %b::text[],
                  %b::timestamptz[]) AS e(id, agg_type, agg_id, version, type, payload, causation, occurred)
    RETURNING seq, event_type, aggregate_id
)
INSERT INTO ledger.outbox (event_seq, topic, partition_key)
SELECT seq, event_type, aggregate_id FROM appended
"""

# Events of journal entries, one per account changed, with the payload built by the server from
# arrays (no per-event JSON encoding in Python on the bulk path). Every field comes in the arrays, in
# the order the events are to take their seq: joining journal_entries or accounts instead made the
# planner hash whole tables once they grew. Event ids come from the client (`random_uuids`): this
# server's gen_random_uuid() reads the OS random source once per call, ~3.4 µs.
_APPEND_JOURNAL_EVENTS = """
WITH appended AS (
    INSERT INTO ledger.event_store
        (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
         correlation_id, occurred_at)
    SELECT e.event_id, 'account', e.account, e.version,
           CASE e.kind WHEN 'TRANSFER' THEN 'ledger.transfer.posted.v1'
                       WHEN 'CAPTURE' THEN 'ledger.hold.captured.v1'
                       WHEN 'REVERSAL' THEN 'ledger.transfer.reversed.v1'
                       WHEN 'CONVERSION' THEN 'ledger.fx.converted.v1' END,
           1,
           jsonb_build_object(
               'journal_id', e.journal_id, 'reference_id', e.reference_id, 'kind', e.kind, 'account', e.account,
               'currency', e.currency, 'change', trim_scale(e.change)::text,
               'held_change', trim_scale(e.held_change)::text, 'posted_after', trim_scale(e.posted_after)::text,
               'available_after', trim_scale(e.available_after)::text, 'effective_at', e.effective_at,
               'channel', e.channel)
           || CASE WHEN e.reverses IS NOT NULL THEN jsonb_build_object('reverses_journal_id', e.reverses)
                   ELSE '{}' END,
           %s, e.effective_at
      FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::bigint[], %s::bigint[], %s::text[], %s::text[],
                  %b::timestamptz[], %s::bigint[], %s::text[], %s::numeric[], %s::numeric[], %s::numeric[],
                  %s::numeric[])
           AS e(event_id, account, currency, version, journal_id, reference_id, kind, effective_at, reverses,
                channel, change, held_change, posted_after, available_after)
    RETURNING seq, event_type, aggregate_id
)
INSERT INTO ledger.outbox (event_seq, topic, partition_key)
SELECT seq, event_type, aggregate_id FROM appended
"""


# Events of holds (placed, captured, voided, expired), one per account whose held amount changed,
# built by the server from the hold rows written earlier in the same transaction.
_APPEND_HOLD_EVENTS = """
WITH appended AS (
    INSERT INTO ledger.event_store
        (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
         correlation_id, occurred_at)
    SELECT e.event_id, 'account', a.code, e.version, e.type, 1,
           jsonb_strip_nulls(jsonb_build_object(
               'hold_id', h.hold_id, 'reference_id', h.reference_id, 'account', a.code, 'currency', a.currency,
               'amount', trim_scale(h.amount)::text, 'status', h.status,
               'captured_amount', trim_scale(h.captured_amount)::text, 'capture_journal_id', h.capture_journal_id,
               'held_change', trim_scale(e.held_change)::text, 'available_after', trim_scale(e.available_after)::text,
               'effective_at', e.occurred, 'expires_at', h.expires_at)),
           %s, e.occurred
      FROM unnest(%s::uuid[], %s::bigint[], %s::bigint[], %s::bigint[], %b::text[], %s::numeric[], %s::numeric[],
                  %b::timestamptz[])
           AS e(event_id, account_id, version, hold_id, type, held_change, available_after, occurred)
      JOIN ledger.holds h ON h.hold_id = e.hold_id
      JOIN ledger.accounts a ON a.account_id = e.account_id
     ORDER BY e.hold_id, e.version
    RETURNING seq, event_type, aggregate_id
)
INSERT INTO ledger.outbox (event_seq, topic, partition_key)
SELECT seq, event_type, aggregate_id FROM appended
"""


# Committed posted changes of one account after a time, per effective time, in its normal-balance terms.
# This transaction's own rows are left out: the batch knows them (`_Balance.moves`).
_HISTORY_SQL = """
SELECT effective_at, sum(CASE WHEN direction = %s THEN amount ELSE -amount END)
  FROM ledger.entries
 WHERE account_id = %s AND effective_at > %s AND xmin <> pg_current_xact_id()::xid
 GROUP BY effective_at
 ORDER BY effective_at
"""


def _sortable(value: datetime | None) -> tuple[int, datetime | None]:
    return (0, None) if value is None else (1, value)


def new_event_row(
    aggregate_type: str,
    aggregate_id: str,
    version: int,
    event_type: str,
    payload: Mapping[str, Any],
    occurred_at: datetime,
    causation_id: str | None = None,
) -> tuple[uuid.UUID, str, str, int, str, str, str | None, datetime]:
    return (
        uuid.uuid4(),
        aggregate_type,
        aggregate_id,
        version,
        event_type,
        json.dumps(payload, separators=(",", ":")),
        causation_id,
        occurred_at,
    )


def append_event_rows(
    cur: psycopg.Cursor[Any],
    rows: list[tuple[Any, ...]],
    correlation_id: str | None,
    journal_events: list[list[Any]] | None = None,
    hold_events: list[tuple[Any, ...]] | None = None,
) -> None:
    """Append events and their outbox rows. Caller commits.

    No lock is taken: each event records its transaction id (`txid`, migration 0012) and consumers read
    in (txid, seq) order up to the oldest transaction still running, so writers never queue on each
    other here. `rows` are complete events (see `new_event_row`); `journal_events` are the columns of
    `_APPEND_JOURNAL_EVENTS` and `hold_events` the rows of `_APPEND_HOLD_EVENTS`, whose payloads the
    server builds.
    """
    has_journal_events = bool(journal_events and journal_events[0])
    if not rows and not has_journal_events and not hold_events:
        return
    if has_journal_events:
        assert journal_events is not None
        codes, currencies, versions, journals, references, kinds, effective, reverses, channels, *amounts = (
            journal_events
        )
        cur.execute(
            _APPEND_JOURNAL_EVENTS,
            (
                correlation_id,
                random_uuids(len(codes)),
                TextArray(codes),
                TextArray(currencies),
                Int8Array(versions),
                Int8Array(journals),
                TextArray(references),
                TextArray(kinds),
                effective,
                Int8Array(reverses),
                TextArray(channels),
                *(NumericArray(column) for column in amounts),
            ),
        )
    if hold_events:
        accounts, versions, holds, types, held, available, occurred = map(list, zip(*hold_events, strict=True))
        cur.execute(
            _APPEND_HOLD_EVENTS,
            (
                correlation_id,
                random_uuids(len(accounts)),
                Int8Array(accounts),
                Int8Array(versions),
                Int8Array(holds),
                types,
                NumericArray(held),
                NumericArray(available),
                occurred,
            ),
        )
    if rows:
        cur.execute(_APPEND_EVENTS, (correlation_id, *map(list, zip(*rows, strict=True))))


class WriteBatch:
    """State of one write transaction. Create it inside `conn.transaction()`."""

    def __init__(self, conn: psycopg.Connection[Any], correlation_id: str | None) -> None:
        self.conn = conn
        self.correlation_id = correlation_id
        self._balances: dict[int, _Balance] = {}
        self._journals: list[tuple[Draft, list[Change]]] = []
        self._sent = 0  # journals (in order of acceptance) whose rows have been sent already
        self._events: list[tuple[Any, ...]] = []
        self._hold_events: list[tuple[Any, ...]] = []

    # -- locking --------------------------------------------------------------------------------
    def lock(self, refs: Iterable[AccountRef]) -> None:
        """Lock the balance rows of `refs` (all of them, once, before any check)."""
        self.load(self.queue_lock(refs))

    def queue_lock(self, refs: Iterable[AccountRef]) -> psycopg.Cursor[Any]:
        """Send the lock query without waiting (in a pipeline, more queries can share its round trip);
        pass the returned cursor to `load()`."""
        if self._balances:
            raise RuntimeError("a WriteBatch locks its accounts once, in one ordered statement")
        self._refs = {ref.account_id: ref for ref in refs}
        cur = self.conn.cursor()
        cur.execute(_LOCK_SQL, (sorted(self._refs),))
        return cur

    def load(self, cur: psycopg.Cursor[Any]) -> None:
        with cur:
            for account_id, is_closed, posted, held, version, last_movement_at in cur.fetchall():
                ref = self._refs[account_id]
                self._balances[account_id] = _Balance(
                    ref, is_closed, posted, held, version, version, posted, last_movement_at
                )

    def balance_of(self, account_id: int) -> tuple[Decimal, Decimal]:
        state = self._balances[account_id]
        return state.posted, state.held

    # -- checks and changes ---------------------------------------------------------------------
    def apply(
        self,
        posted: Mapping[int, Decimal],
        held: Mapping[int, Decimal],
        fields: Mapping[int, str],
    ) -> list[Change]:
        """Apply signed changes (normal-balance terms) to posted and held amounts, all or nothing.

        Raises AccountClosed or InsufficientFunds, naming the field of the offending account, and
        leaves the batch unchanged.
        """
        touched = sorted(set(posted) | set(held))
        for account_id in touched:
            state = self._balances[account_id]
            field_name = fields.get(account_id, "account")
            if state.is_closed:
                raise AccountClosed(
                    f"{field_name}: account {state.ref.code!r} is closed",
                    field=field_name,
                    account=state.ref.code,
                )
            d_posted = posted.get(account_id, ZERO)
            d_held = held.get(account_id, ZERO)
            available_change = MONEY.subtract(d_posted, d_held)
            if available_change < ZERO and not state.ref.allow_negative:
                available = MONEY.subtract(state.posted, state.held)
                if MONEY.add(available, available_change) < ZERO:
                    raise InsufficientFunds(
                        f"{field_name}: account {state.ref.code!r} has {canonical(available)} "
                        f"{state.ref.currency} available; {canonical(-available_change)} is needed",
                        field=field_name,
                        account=state.ref.code,
                        available=canonical(available),
                        requested=canonical(-available_change),
                    )
        changes: list[Change] = []
        for account_id in touched:
            state = self._balances[account_id]
            d_posted = posted.get(account_id, ZERO)
            d_held = held.get(account_id, ZERO)
            state.posted = MONEY.add(state.posted, d_posted)
            state.held = MONEY.add(state.held, d_held)
            state.version += 1
            changes.append(
                Change(
                    account_id,
                    state.version,
                    d_posted,
                    d_held,
                    state.posted,
                    MONEY.subtract(state.posted, state.held),
                )
            )
        return changes

    def add_journal(self, draft: Draft) -> None:
        """Check and apply a journal entry; raises (leaving the batch unchanged) if it cannot post."""
        posted: dict[int, Decimal] = {}
        fields: dict[int, str] = {}
        for i, (ref, direction, amount) in enumerate(draft.legs):
            signed = amount if direction == ref.normal_side else -amount
            posted[ref.account_id] = MONEY.add(posted.get(ref.account_id, ZERO), signed)
            fields.setdefault(ref.account_id, draft.leg_fields[i] if draft.leg_fields else f"legs[{i}].account")
        held = {account_id: -amount for account_id, amount in draft.held_release.items()}
        for account_id, change in posted.items():
            if change < ZERO:
                self._check_history(account_id, draft.effective_at, change, fields[account_id])
        changes = self.apply(posted, held, fields)
        for account_id, change in posted.items():
            state = self._balances[account_id]
            state.moves.append((draft.effective_at, change))
            if state.latest_move_at is None or draft.effective_at > state.latest_move_at:
                state.latest_move_at = draft.effective_at
        self._journals.append((draft, changes))

    def _check_history(self, account_id: int, at: datetime, change: Decimal, field_name: str) -> None:
        """A decrease effective at `at` on an account that may not go negative must leave it at or above
        zero at every later time too, not only now: a back-dated debit is checked against the balance
        after each later movement (committed, and this batch's). Raises InsufficientFunds naming the
        first time it would go below zero."""
        state = self._balances[account_id]
        if state.ref.allow_negative:
            return
        latest = max((state.last_movement_at, state.latest_move_at), key=_sortable)
        if latest is None or at >= latest:
            return  # nothing after it: the check of the present balance (apply) is the whole check
        if state.history is None or state.history_after is None or at < state.history_after:
            rows = self.conn.execute(_HISTORY_SQL, (state.ref.normal_side.value, account_id, at)).fetchall()
            state.history, state.history_after = [(t, c) for t, c in rows], at
        # posted at time p >= at = committed now - committed changes after p + this batch's changes up to p
        committed = [(t, c) for t, c in state.history if t > at]
        moves = sorted(state.moves)
        points = sorted({at, *(t for t, _ in committed), *(t for t, _ in moves if t > at)})
        committed_after = ZERO
        for _, c in committed:
            committed_after = MONEY.add(committed_after, c)
        batch_upto, i, j = ZERO, 0, 0
        for p in points:
            while i < len(committed) and committed[i][0] <= p:
                committed_after = MONEY.subtract(committed_after, committed[i][1])
                i += 1
            while j < len(moves) and moves[j][0] <= p:
                batch_upto = MONEY.add(batch_upto, moves[j][1])
                j += 1
            balance = MONEY.add(MONEY.add(MONEY.subtract(state.locked_posted, committed_after), batch_upto), change)
            if balance < ZERO:
                raise InsufficientFunds(
                    f"{field_name}: account {state.ref.code!r} would be overdrawn on {p.isoformat()} "
                    f"({canonical(balance)} {state.ref.currency}): a back-dated debit may not take an account "
                    "that cannot go negative below zero at any later time",
                    field=field_name,
                    account=state.ref.code,
                    at=p.isoformat(),
                    balance=canonical(balance),
                )

    def add_event(self, row: tuple[Any, ...]) -> None:
        self._events.append(row)

    def add_hold_events(self, changes: Iterable[Change], hold_id: int, event_type: str, at: datetime) -> None:
        """One event per changed account for a hold whose row is written before `flush` sends events."""
        for change in changes:
            self._hold_events.append(
                (change.account_id, change.version, hold_id, event_type, change.held_change, change.available_after, at)
            )

    def ref(self, account_id: int) -> AccountRef:
        return self._balances[account_id].ref

    @property
    def journal_count(self) -> int:
        return len(self._journals)

    def written_drafts(self) -> list[tuple[Draft, list[Change]]]:
        """The journals accepted so far, in order, with what each did to its accounts."""
        return list(self._journals)

    # -- writing ----------------------------------------------------------------------------------
    def send_journals(self, journal_ids: list[int]) -> None:
        """Queue the journal rows, legs and journal events accepted since the last call, using
        `journal_ids` (pre-allocated, one per accepted journal in order). In a pipeline the server starts
        writing them while the caller prepares more; balances wait for `flush`.
        """
        if len(journal_ids) < len(self._journals):
            raise RuntimeError("not enough journal ids reserved for the batch")
        start, self._sent = self._sent, len(self._journals)
        if start == self._sent:
            return
        pending = [(draft, changes, journal_ids[i]) for i, (draft, changes) in enumerate(self._journals[start:], start)]
        with self.conn.cursor() as cur:
            self._write_journals(cur, [(draft, journal_id) for draft, _, journal_id in pending])
            append_event_rows(cur, [], self.correlation_id, self._journal_event_columns(pending))

    def flush(
        self,
        journal_ids: list[int],
        after_journals: Callable[[psycopg.Cursor[Any], list[tuple[Draft, int]]], None] | None = None,
    ) -> list[tuple[Draft, int]]:
        """Write everything accepted so far (journals not sent yet, balances, events); returns every journal
        of the batch with its id.

        `after_journals` queues statements that must follow the journal rows and precede the events
        (hold rows, whose events are built from them).
        """
        self.send_journals(journal_ids)
        written = [(draft, journal_ids[i]) for i, (draft, _) in enumerate(self._journals)]
        moved = [s for s in self._balances.values() if s.version != s.locked_version]
        # each account's earliest and latest entry written now (none for holds)
        first_at = {s.ref.account_id: min(t for t, _ in s.moves) for s in moved if s.moves}
        last_at = {s.ref.account_id: s.latest_move_at for s in moved if s.latest_move_at is not None}
        # Queued, not awaited: inside the caller's pipeline these share one round trip with COMMIT.
        with self.conn.cursor() as cur:
            if after_journals is not None:
                after_journals(cur, written)
            if moved:
                cur.execute(
                    _UPDATE_BALANCES,
                    (
                        Int8Array(s.ref.account_id for s in moved),
                        NumericArray(s.posted for s in moved),
                        NumericArray(s.held for s in moved),
                        Int8Array(s.version for s in moved),
                        Int8Array(s.locked_version for s in moved),
                        [first_at.get(s.ref.account_id) for s in moved],
                        [last_at.get(s.ref.account_id) for s in moved],
                        len(moved),
                    ),
                )
            append_event_rows(cur, self._events, self.correlation_id, hold_events=self._hold_events)
        return written

    def _journal_event_columns(self, journals: list[tuple[Draft, list[Change], int]]) -> list[list[Any]]:
        """The columns of `_APPEND_JOURNAL_EVENTS`: one event per account a journal changed."""
        columns: list[list[Any]] = [[] for _ in range(13)]
        (codes, currencies, versions, journal_col, references, kinds, effective, reverses, channels) = columns[:9]
        changes_col, held_col, posted_col, available_col = columns[9:]
        for draft, changes, journal_id in journals:
            kind = draft.kind.value
            channel = draft.details.channel.value
            for change in changes:
                ref = self._balances[change.account_id].ref
                codes.append(ref.code)
                currencies.append(ref.currency)
                versions.append(change.version)
                journal_col.append(journal_id)
                references.append(draft.reference_id)
                kinds.append(kind)
                effective.append(draft.effective_at)
                reverses.append(draft.reverses_journal_id)
                channels.append(channel)
                changes_col.append(change.posted_change)
                held_col.append(change.held_change)
                posted_col.append(change.posted_after)
                available_col.append(change.available_after)
        return columns

    def _write_journals(self, cur: psycopg.Cursor[Any], written: list[tuple[Draft, int]]) -> None:
        cur.execute(
            _INSERT_JOURNALS,
            (
                self.correlation_id,
                Int8Array(jid for _, jid in written),
                TextArray(d.reference_id for d, _ in written),
                TextArray(d.kind.value for d, _ in written),
                TextArray(d.description for d, _ in written),
                TextArray(d.metadata_json for d, _ in written),
                [d.content_hash for d, _ in written],
                Int8Array(d.reverses_journal_id for d, _ in written),
                [d.effective_at for d, _ in written],
                *detail_columns([d.details for d, _ in written]),
            ),
        )
        j_ids: list[int] = []
        leg_nos: list[int] = []
        accounts: list[int] = []
        directions: list[str] = []
        amounts: list[Decimal] = []
        currencies: list[str] = []
        effective: list[datetime] = []
        for draft, journal_id in written:
            for leg_no, (ref, direction, amount) in enumerate(draft.legs, start=1):
                j_ids.append(journal_id)
                leg_nos.append(leg_no)
                accounts.append(ref.account_id)
                directions.append(direction.value)
                amounts.append(amount)
                currencies.append(ref.currency)
                effective.append(draft.effective_at)
        cur.execute(
            _INSERT_ENTRIES,
            (
                Int8Array(j_ids),
                Int8Array(leg_nos),
                Int8Array(accounts),
                TextArray(directions),
                NumericArray(amounts),
                TextArray(currencies),
                effective,
            ),
        )


def detail_columns(details: list[PaymentDetails]) -> list[TextArray]:
    """Channel, counterparty name, account, institution, country and location, as text-array parameters."""
    parties = [d.counterparty for d in details]
    return [
        TextArray(d.channel.value for d in details),
        TextArray(p.name if p else None for p in parties),
        TextArray(p.account if p else None for p in parties),
        TextArray(p.institution if p else None for p in parties),
        TextArray(p.country if p else None for p in parties),
        TextArray(d.location for d in details),
    ]


# Constant sequence names: nextval() looks a constant regclass up once per statement, a computed one
# (pg_get_serial_sequence) once per row, ten times slower.
RESERVE_IDS = """
SELECT now(),
       array(SELECT nextval('ledger.journal_entries_journal_id_seq'::regclass) FROM generate_series(1, %s)),
       array(SELECT nextval('ledger.holds_hold_id_seq'::regclass) FROM generate_series(1, %s))
"""
