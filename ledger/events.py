"""The event store: append-only streams with optimistic concurrency and a commit-safe global order.

Account streams (aggregate_type "account", aggregate_id = the account code) belong to the ledger:
their versions move in step with the balance projection, so only ledger writes append to them. Other
aggregates (risk decisions, cases, ...) use `append()` with the version they last read, and name their
ids `<aggregate_type>:<id>` so they can never collide with an account code.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from ledger.errors import ConcurrencyConflict, InvalidRequest
from ledger.write import append_event_rows, new_event_row

LEDGER_AGGREGATE = "account"

_READ_STREAM = """
SELECT seq, event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
       correlation_id, causation_id, occurred_at, recorded_at
  FROM ledger.event_store WHERE aggregate_id = %s AND version >= %s ORDER BY version
"""
# Commit-safe order (migration 0012): (txid, seq), only events of transactions that have ended.
_READ_ALL = """
SELECT seq, event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
       correlation_id, causation_id, occurred_at, recorded_at, txid::text::bigint
  FROM ledger.event_store
 WHERE (txid, seq) > (%s::text::xid8, %s) AND txid < pg_snapshot_xmin(pg_current_snapshot())
 ORDER BY txid, seq
 LIMIT %s
"""


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A consumer's place in the global event order: (transaction id, seq) of the last event it processed.

    Why not seq alone: writers no longer serialise on a lock, so a transaction can commit an event with a
    lower seq after a higher one was read. Ordered by the writing transaction first, and read only up to
    the oldest transaction still running, the order never admits an event behind a position already
    passed.
    """

    txid: int = 0
    seq: int = 0


@dataclass(frozen=True, slots=True)
class NewEvent:
    event_type: str
    payload: Mapping[str, Any]
    occurred_at: datetime | None = None
    causation_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    event_id: uuid.UUID
    aggregate_type: str
    aggregate_id: str
    version: int
    event_type: str
    schema_version: int
    payload: Mapping[str, Any] = field(default_factory=dict)
    correlation_id: str | None = None
    causation_id: str | None = None
    occurred_at: datetime | None = None
    recorded_at: datetime | None = None
    txid: int | None = None  # the writing transaction (read_all's position is (txid, seq))

    @property
    def position(self) -> Position:
        """Where a consumer that has processed this event resumes (`read_all(after=...)`)."""
        if self.txid is None:
            raise ValueError("this event was read without its transaction id")
        return Position(self.txid, self.seq)


def stored_event(row: Sequence[Any]) -> StoredEvent:
    return StoredEvent(*row)


def append(
    conn: psycopg.Connection[Any],
    aggregate_type: str,
    aggregate_id: str,
    expected_version: int,
    events: Sequence[NewEvent],
    *,
    correlation_id: str | None = None,
) -> int:
    """Append `events` to a stream that is at `expected_version`; returns the new version.

    Raises ConcurrencyConflict when another writer appended first (nothing is written).
    """
    if aggregate_type == LEDGER_AGGREGATE:
        raise InvalidRequest("account streams are written by the ledger API only", field="aggregate_type")
    if not aggregate_id.startswith(f"{aggregate_type}:"):
        raise InvalidRequest(f"aggregate_id must start with '{aggregate_type}:'", field="aggregate_id")
    if not events:
        return expected_version
    now = datetime.now(UTC)
    rows = [
        new_event_row(
            aggregate_type,
            aggregate_id,
            expected_version + i,
            e.event_type,
            e.payload,
            e.occurred_at or now,
            e.causation_id,
        )
        for i, e in enumerate(events, start=1)
    ]
    try:
        with conn.transaction():
            current = conn.execute(
                "SELECT coalesce(max(version), 0) FROM ledger.event_store WHERE aggregate_id = %s",
                (aggregate_id,),
            ).fetchone()
            if current is None or current[0] != expected_version:
                raise ConcurrencyConflict(
                    f"stream {aggregate_id!r} is at version {current[0] if current else 0}, not {expected_version}",
                    field="expected_version",
                )
            with conn.cursor() as cur:
                append_event_rows(cur, rows, correlation_id)
    except pg_errors.UniqueViolation as exc:
        raise ConcurrencyConflict(
            f"stream {aggregate_id!r} moved past version {expected_version} while appending",
            field="expected_version",
        ) from exc
    return expected_version + len(events)


def read_stream(conn: psycopg.Connection[Any], aggregate_id: str, from_version: int = 1) -> list[StoredEvent]:
    return [stored_event(r) for r in conn.execute(_READ_STREAM, (aggregate_id, from_version))]


def read_all(conn: psycopg.Connection[Any], after: Position = Position(), limit: int = 1000) -> list[StoredEvent]:
    """Events in commit-safe global order after `after` (pass the last event's `position`): every event is
    read once, none is skipped by one that committed earlier. Events of transactions still running, and
    of any that began after the oldest one still running, wait for the next read."""
    return [stored_event(r) for r in conn.execute(_READ_ALL, (str(after.txid), after.seq, limit))]
