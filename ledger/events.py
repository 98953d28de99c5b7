"""The event store: append-only streams with optimistic concurrency and a global sequence.

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
_READ_ALL = """
SELECT seq, event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
       correlation_id, causation_id, occurred_at, recorded_at
  FROM ledger.event_store WHERE seq > %s ORDER BY seq LIMIT %s
"""


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

    def to_message(self) -> dict[str, Any]:
        """The JSON message published for this event."""
        return {
            "event_id": str(self.event_id),
            "seq": self.seq,
            "type": self.event_type,
            "schema_version": self.schema_version,
            "aggregate_type": self.aggregate_type,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "payload": dict(self.payload),
        }


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


def read_all(conn: psycopg.Connection[Any], after_seq: int = 0, limit: int = 1000) -> list[StoredEvent]:
    """Events in global order after `after_seq`: a consumer's checkpoint never skips a later commit."""
    return [stored_event(r) for r in conn.execute(_READ_ALL, (after_seq, limit))]
