"""The outbox relay: publishes pending outbox rows to a sink, at least once, in outbox order.

Each `run_once()` claims outbox partitions (by the row's `partition_key`, the aggregate: an account's
events share one) with transaction-level advisory locks, takes the oldest pending rows of those
partitions, hands the messages to the sink, then marks them published and commits. A partition is
published by one transaction at a time, oldest row first, so each account's events reach the sink in
order however many relays run; a relay claims every free partition by default (relays take turns), or at
most `max_partitions` so that several publish side by side. If the
process dies between publishing and committing the mark, the rows stay pending and the next run
publishes them again: messages can repeat, never vanish. Consumers dedupe by `event_id`.

Sinks: `PostgresNotifySink` (NOTIFY on a channel, the default) and `WebhookSink` (HTTP POST of a
JSON batch). A sink is anything with `publish(messages) -> None` that raises on failure. A message
(`OutboxMessage`) is the event's JSON, rendered by PostgreSQL in the query that takes the rows (`_PENDING`:
parsing each row into Python objects and dumping it again cost the relay as much as publishing), with the
fields sinks route and label by beside it.

Freshness: a sink that can say so (`mark_drained`, the JetStream sink) is told, when a batch finds nothing
pending anywhere, the time up to which everything is published: every event whose transaction committed
before that statement began was visible to it, hence already published. Its consumers put that time on
what they build (how the API knows how far the read store's views lag). At most once per
`DRAINED_INTERVAL_S`.

Retention: published rows are deleted once they are older than the retention (`prune_outbox`, run by
the relay when idle); a row not yet published is never deleted, however old. The events themselves
stay in `ledger.event_store`: the outbox only says what is left to publish.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import httpx
import psycopg

log = logging.getLogger(__name__)

NOTIFY_PAYLOAD_LIMIT = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
DEFAULT_RETENTION = timedelta(days=7)
"""How long a published outbox row is kept (to see what was sent, and when) before it is deleted."""
PRUNE_INTERVAL_S = 60.0
"""How often an idle relay prunes."""

_PRUNE = """
DELETE FROM ledger.outbox
 WHERE outbox_id IN (SELECT outbox_id FROM ledger.outbox
                      WHERE published_at IS NOT NULL AND published_at < now() - %s
                      ORDER BY outbox_id LIMIT %s FOR UPDATE SKIP LOCKED)
"""


def prune_outbox(url: str, retention: timedelta = DEFAULT_RETENTION, *, batch: int = 10_000) -> int:
    """Delete outbox rows published more than `retention` ago, `batch` per transaction; returns how many.
    Pending rows are never touched."""
    if retention < timedelta(0):
        raise ValueError("retention must not be negative")
    removed = 0
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            cur = conn.execute(_PRUNE, (retention, batch))
            removed += cur.rowcount
            if cur.rowcount < batch:
                return removed


def outbox_backlog(conn: psycopg.Connection) -> tuple[int, float]:
    """(events not yet published, seconds since the oldest of them was recorded; 0 when none): the relay's
    lag, as metrics report it."""
    row = conn.execute(
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(e.recorded_at)), 0)"
        " FROM ledger.outbox o JOIN ledger.event_store e ON e.seq = o.event_seq WHERE o.published_at IS NULL"
    ).fetchone()
    return (int(row[0]), float(row[1])) if row else (0, 0.0)


PARTITIONS = 16
"""The outbox's partitions (by `partition_key`, the aggregate): one relay at a time publishes a partition."""
_PARTITION_LOCKS = 0x0B0C  # advisory lock class of the outbox partitions (key 2: the partition)

# The partitions this transaction may publish: those with pending rows that no other relay's transaction
# holds, up to a number (CASE: only a partition with work is locked).
_CLAIM = """
SELECT coalesce(array_agg(p), '{}') FROM (
  SELECT p FROM unnest(%(order)s::int[]) AS p
   WHERE CASE WHEN EXISTS (SELECT 1 FROM ledger.outbox o
                            WHERE o.published_at IS NULL
                              AND abs(hashtext(o.partition_key)::bigint) %% %(partitions)s = p)
              THEN pg_try_advisory_xact_lock(%(class)s, p) ELSE false END
   LIMIT %(most)s
) AS claimed
"""

# The message of each event, as JSON text: the keys every consumer reads (see `OutboxMessage`). The rows are
# taken (and locked) first, so that only they are rendered; timestamps are written in UTC (`SET LOCAL
# TimeZone` before it).
_PENDING = """
WITH taken AS (
  SELECT o.outbox_id, o.event_seq FROM ledger.outbox o
   WHERE o.published_at IS NULL AND abs(hashtext(o.partition_key)::bigint) %% %s = ANY(%s)
   ORDER BY o.outbox_id
   LIMIT %s
     FOR UPDATE OF o
)
SELECT t.outbox_id, e.event_id::text, e.event_type, e.aggregate_type, e.aggregate_id, e.correlation_id,
       e.causation_id,
       json_build_object('event_id', e.event_id, 'seq', e.seq, 'type', e.event_type,
                         'schema_version', e.schema_version, 'aggregate_type', e.aggregate_type,
                         'aggregate_id', e.aggregate_id, 'version', e.version,
                         'correlation_id', e.correlation_id, 'causation_id', e.causation_id,
                         'occurred_at', e.occurred_at, 'recorded_at', e.recorded_at, 'payload', e.payload)::text
  FROM taken t JOIN ledger.event_store e ON e.seq = t.event_seq
 ORDER BY t.outbox_id
"""


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One event as published: `body` is its JSON (`event_id`, `seq`, `type`, `schema_version`,
    `aggregate_type`, `aggregate_id`, `version`, `correlation_id`, `causation_id`, `occurred_at` and
    `recorded_at` in ISO 8601 UTC, `payload`); the other fields repeat what sinks route and label by."""

    event_id: str
    type: str
    aggregate_type: str
    aggregate_id: str
    correlation_id: str | None
    causation_id: str | None
    body: bytes

    def as_dict(self) -> dict[str, Any]:
        """The body parsed."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


class Sink(Protocol):
    def publish(self, messages: Sequence[OutboxMessage]) -> None: ...


DRAINED_INTERVAL_S = 0.5
"""How often at most an idle relay tells its sink that everything is published (see the module docstring)."""
# statement_timestamp(): the statement's snapshot was taken after it, so every transaction committed before
# it is visible here
_DRAINED = "SELECT statement_timestamp() WHERE NOT EXISTS (SELECT 1 FROM ledger.outbox WHERE published_at IS NULL)"


class PostgresNotifySink:
    """NOTIFY each message on `channel` over its own autocommit connection (so it is sent at once)."""

    def __init__(self, url: str, channel: str = "ledger_events") -> None:
        self.channel = channel
        self._conn = psycopg.connect(url, autocommit=True)

    def publish(self, messages: Sequence[OutboxMessage]) -> None:
        payloads = [self._payload(m) for m in messages]
        with self._conn.cursor() as cur:
            cur.executemany("SELECT pg_notify(%s, %s)", [(self.channel, p) for p in payloads])

    @staticmethod
    def _payload(message: OutboxMessage) -> str:
        if len(message.body) < NOTIFY_PAYLOAD_LIMIT:
            return message.body.decode()
        # Too large for NOTIFY: send the reference; consumers read the event by seq.
        keys = ("event_id", "seq", "type", "aggregate_id", "version")
        whole = message.as_dict()
        return json.dumps({**{k: whole[k] for k in keys}, "truncated": True}, separators=(",", ":"))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PostgresNotifySink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class WebhookSink:
    """POST `{"events": [...]}` to `url`; any non-2xx answer is a failure (the batch is retried)."""

    def __init__(
        self,
        url: str,
        *,
        client: httpx.Client | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self._client = client or httpx.Client(timeout=timeout)
        self._headers = headers or {}

    def publish(self, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        response = self._client.post(
            self.url,
            content=b'{"events":[' + b",".join(m.body for m in messages) + b"]}",
            headers={
                **self._headers,
                "Content-Type": "application/json",
                "Idempotency-Key": f"{messages[0].event_id}..{messages[-1].event_id}",
            },
        )
        response.raise_for_status()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> WebhookSink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class OutboxRelay:
    """Moves outbox rows to a sink. `after_publish` is a seam for crash tests (it runs before the mark)."""

    def __init__(
        self,
        url: str,
        sink: Sink,
        *,
        batch_size: int = 500,
        after_publish: Callable[[Sequence[OutboxMessage]], None] | None = None,
        retention: timedelta | None = DEFAULT_RETENTION,
        partitions: int = PARTITIONS,
        max_partitions: int | None = None,
    ) -> None:
        if partitions < 1 or (max_partitions is not None and max_partitions < 1):
            raise ValueError("partitions and max_partitions must be at least 1")
        self.url = url
        self.sink = sink
        self.batch_size = batch_size
        self.partitions = partitions
        # how many partitions one batch may claim: all (one relay publishes at a time, relays take turns),
        # or fewer so that several relays publish side by side
        self.max_partitions = max_partitions or partitions
        self.after_publish = after_publish
        self.retention = retention  # None: keep published rows (prune elsewhere)
        self._pruned_at = float("-inf")
        self._drained_at = float("-inf")

    def run_once(self) -> int:
        """Publish one batch; returns how many messages were published and marked."""
        with psycopg.connect(self.url) as conn:
            with conn.transaction():
                # Per-aggregate order across relays: a partition is published by one transaction at a time
                # (its advisory lock is held until the rows are marked), always oldest row first.
                order = random.sample(range(self.partitions), self.partitions)
                claim = {"order": order, "partitions": self.partitions, "class": _PARTITION_LOCKS}
                owned = conn.execute(_CLAIM, {**claim, "most": self.max_partitions}).fetchone()[0]
                if not owned:
                    self._mark_drained(conn)
                    return 0
                conn.execute("SET LOCAL TimeZone TO 'UTC'")
                rows = conn.execute(_PENDING, (self.partitions, owned, self.batch_size)).fetchall()
                if not rows:
                    return 0
                ids = [r[0] for r in rows]
                messages = [OutboxMessage(*r[1:7], r[7].encode()) for r in rows]
                try:
                    self.sink.publish(messages)
                except Exception as exc:
                    failure = exc
                else:
                    failure = None
                    if self.after_publish is not None:
                        self.after_publish(messages)
                    conn.execute(
                        "UPDATE ledger.outbox SET published_at = now(), attempts = attempts + 1"
                        " WHERE outbox_id = ANY(%b)",
                        (ids,),
                    )
            if failure is not None:
                conn.execute(
                    "UPDATE ledger.outbox SET attempts = attempts + 1, last_error = %s WHERE outbox_id = ANY(%b)",
                    (repr(failure)[:500], ids),
                )
                conn.commit()
                log.warning("outbox publish failed", extra={"fields": {"rows": len(ids), "error": repr(failure)}})
                raise failure
        return len(rows)

    def _mark_drained(self, conn: psycopg.Connection) -> None:
        mark = getattr(self.sink, "mark_drained", None)
        if mark is None or time.monotonic() - self._drained_at < DRAINED_INTERVAL_S:
            return
        found = conn.execute(_DRAINED).fetchone()
        if found is not None:
            mark(found[0])
            self._drained_at = time.monotonic()

    def drain(self) -> int:
        """Publish until nothing is pending; returns the total."""
        total = 0
        while published := self.run_once():
            total += published
        return total

    def run(self, stop: threading.Event, *, poll_interval: float = 1.0) -> None:
        """Relay until `stop` is set, waiting `poll_interval` when idle and after failures."""
        while not stop.is_set():
            try:
                published = self.run_once()
            except Exception:
                log.exception("outbox relay iteration failed")
                published = 0
            if published == 0:
                self._prune_if_due()
                stop.wait(poll_interval)

    def _prune_if_due(self) -> None:
        if self.retention is None or time.monotonic() - self._pruned_at < PRUNE_INTERVAL_S:
            return
        self._pruned_at = time.monotonic()
        try:
            removed = prune_outbox(self.url, self.retention)
        except psycopg.Error:
            log.exception("outbox prune failed")
            return
        if removed:
            log.info("outbox pruned", extra={"fields": {"rows": removed}})
