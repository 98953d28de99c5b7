"""The outbox relay's NATS JetStream sink: every event onto the bus, durably, exactly once in the stream.

Each message goes to the subject named after its event type (`ledger.transfer.posted.v1`, ...) in the
stream `FINTRA_EVENTS` (file storage, created on first use), except the fast brain's: its decisions
(`risk.decision.made.v1`) go to `brain.decisions.v1` and its alerts (`risk.alert.raised.v1`, a transfer
held for review or blocked) to `brain.alerts.v1`, the topics apps and case tools subscribe to. Headers:
- `Nats-Msg-Id`: the event id. JetStream drops a message whose id it saw within the stream's duplicate
  window, so a relay that dies after publishing and before marking its rows publishes them again
  harmlessly (the relay is at-least-once; the stream holds each event once).
- `Fintra-Correlation-Id`, `Fintra-Causation-Id`: the request the event came from, end to end.
- `Fintra-Aggregate`: `<aggregate_type>:<aggregate_id>`, the key consumers order by.
- `Fintra-Event-Type`: the event's type (the body's `type`), whatever subject it went to.
When the outbox has nothing pending, the relay publishes `ledger.relay.drained.v1` (`{"drained_at": ...}`:
every event committed before that time is in the stream ahead of it) with `Nats-Rollup: sub`, so the
stream keeps only the latest one. Consumers stamp what they build with it.
A batch counts as published only when the stream acknowledged every message of it; a missing or negative
acknowledgement raises, the relay records the error on the rows and they are retried.

Messages are published as plain NATS publishes whose reply subject is `<inbox>.<batch>.<index>` on one
subscription the sink holds, with `Nats-Expected-Stream` set: the stream answers each on that subject, and
the sink matches the answers to the batch. nats-py's `publish_async` does the same with a future and a
timer per message, which cost most of the relay's time (about three times the publishing itself); an answer
for an earlier batch (one that timed out) is ignored.

The relay is synchronous (one PostgreSQL transaction per batch); the sink keeps its own event loop for the
asyncio client (`nats-py`) and runs each batch on it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import nats
from nats.js import api
from nats.js.errors import NotFoundError

from ledger.decisions import ALERT_EVENT, DECISION_EVENT
from ledger.outbox import OutboxMessage

STREAM = "FINTRA_EVENTS"
SUBJECTS = ("ledger.>", "risk.>", "compliance.>", "brain.>")
DRAINED_SUBJECT = "ledger.relay.drained.v1"
# The fast brain's events go to its topics; every other event to the subject of its type.
BRAIN_TOPICS = {DECISION_EVENT: "brain.decisions.v1", ALERT_EVENT: "brain.alerts.v1"}
DUPLICATE_WINDOW_S = 3600.0  # how long JetStream remembers an event id (a relay restart is well within it)


def stream_config(name: str = STREAM, duplicate_window_s: float = DUPLICATE_WINDOW_S) -> api.StreamConfig:
    return api.StreamConfig(
        name=name,
        subjects=list(SUBJECTS),
        storage=api.StorageType.FILE,
        retention=api.RetentionPolicy.LIMITS,
        duplicate_window=duplicate_window_s,
        allow_rollup_hdrs=True,  # the drained mark replaces the previous one
    )


def subject_of(message: OutboxMessage) -> str:
    """The subject an outbox message is published on (see the module docstring)."""
    return BRAIN_TOPICS.get(message.type, message.type)


def headers_of(message: OutboxMessage) -> dict[str, str]:
    """The NATS headers of an outbox message (see the module docstring)."""
    headers = {
        "Nats-Msg-Id": message.event_id,
        "Fintra-Aggregate": f"{message.aggregate_type}:{message.aggregate_id}",
        "Fintra-Event-Type": message.type,
    }
    if message.correlation_id:
        headers["Fintra-Correlation-Id"] = message.correlation_id
    if message.causation_id:
        headers["Fintra-Causation-Id"] = message.causation_id
    return headers


class JetStreamSink:
    """Publishes outbox messages to JetStream (the relay's `Sink`)."""

    def __init__(
        self,
        servers: str,
        *,
        stream: str = STREAM,
        duplicate_window_s: float = DUPLICATE_WINDOW_S,
        timeout: float = 10.0,
    ) -> None:
        self.stream = stream
        self.timeout = timeout
        self.servers = [s.strip() for s in servers.split(",")]
        self._config = stream_config(stream, duplicate_window_s)
        self._loop = asyncio.new_event_loop()
        self._nc: nats.NATS | None = None
        self._inbox = ""
        self._batch = 0  # the batch whose acknowledgements are awaited
        self._acks: dict[int, bytes] = {}
        self._expected = 0
        self._all_acked = asyncio.Event()
        try:
            self._connect()
        except BaseException:
            if self._nc is not None:
                self._run(self._nc.close())
            self._loop.close()
            raise
        self.duplicates = 0  # messages the stream already held (re-published after a crash)

    def _connect(self) -> None:
        self._nc = self._run(
            nats.connect(
                self.servers,
                connect_timeout=self.timeout,
                # the client reconnects by itself for a few seconds (a batch in flight fails and the relay
                # retries it); after that the connection is closed and the next batch opens a new one
                max_reconnect_attempts=10,
                reconnect_time_wait=0.5,
                name="fintra-outbox-relay",
            )
        )
        self._js = self._nc.jetstream(timeout=self.timeout)
        self._run(self._ensure_stream(self._config))
        self._inbox = self._nc.new_inbox()
        self._run(self._nc.subscribe(f"{self._inbox}.*.*", cb=self._on_ack))

    def _connected(self) -> None:
        """A new connection if the client gave up reconnecting (the bus was down longer than its retries)."""
        if self._nc is not None and self._nc.is_closed:
            self._connect()

    def publish(self, messages: Sequence[OutboxMessage]) -> None:
        if messages:
            self._connected()
            try:
                self._run(asyncio.wait_for(self._publish(messages), self.timeout))
            except TimeoutError:
                raise TimeoutError(
                    f"JetStream acknowledged {len(self._acks)} of {self._expected} messages within {self.timeout} s"
                ) from None

    async def _publish(self, messages: Sequence[OutboxMessage]) -> None:
        assert self._nc is not None
        self._batch += 1
        self._acks = {}
        self._expected = len(messages)
        self._all_acked.clear()
        prefix = f"{self._inbox}.{self._batch}."
        expected_stream = {"Nats-Expected-Stream": self.stream}
        for index, m in enumerate(messages):
            await self._nc.publish(
                subject_of(m),
                m.body,
                reply=f"{prefix}{index}",
                headers=headers_of(m) | expected_stream,
            )
        await self._nc.flush()
        await self._all_acked.wait()
        # An acknowledgement is `{"stream":...,"seq":...}`, with `"duplicate": true` when the id was seen, or
        # holds an `"error"`: only those two are worth parsing. The server's own answer when no stream holds
        # the subject (status 503, "no responders", an empty body) is recorded as an error by `_on_ack`.
        for index, raw in sorted(self._acks.items()):
            if b'"error"' in raw or b'"duplicate"' in raw:
                ack = json.loads(raw)
                if "error" in ack:
                    reason = ack["error"].get("description", ack["error"])
                    raise RuntimeError(f"JetStream refused event {messages[index].event_id}: {reason}")
                self.duplicates += bool(ack.get("duplicate"))

    async def _on_ack(self, msg: Any) -> None:
        batch, _, index = msg.subject[len(self._inbox) + 1 :].partition(".")
        if int(batch) != self._batch:
            return  # the answer to a batch that already failed
        status = (msg.headers or {}).get(api.Header.STATUS)
        if status or not msg.data:
            # not the stream's acknowledgement: the server answering for it (503: no stream holds the subject)
            reason = f"no stream took the message (status {status or 'none'}, {api.Header.DESCRIPTION}: " + (
                (msg.headers or {}).get(api.Header.DESCRIPTION, "no responders") + ")"
            )
            self._acks[int(index)] = json.dumps({"error": {"description": reason}}).encode()
        else:
            self._acks[int(index)] = msg.data
        if len(self._acks) >= self._expected:
            self._all_acked.set()

    def mark_drained(self, at: datetime) -> None:
        """Everything committed before `at` is in the stream (see the module docstring)."""
        self._connected()
        body = json.dumps({"type": DRAINED_SUBJECT, "drained_at": at.isoformat()}).encode()
        self._run(
            asyncio.wait_for(
                self._js.publish(DRAINED_SUBJECT, body, stream=self.stream, headers={"Nats-Rollup": "sub"}),
                self.timeout,
            )
        )

    async def _ensure_stream(self, config: api.StreamConfig) -> None:
        try:
            found = await self._js.stream_info(config.name)
        except NotFoundError:
            await self._js.add_stream(config)
            return
        if not found.config.allow_rollup_hdrs:  # a stream created before the drained mark existed
            await self._js.update_stream(replace(found.config, allow_rollup_hdrs=True))

    def _run(self, coroutine: Any) -> Any:
        return self._loop.run_until_complete(coroutine)

    def close(self) -> None:
        if not self._loop.is_closed():
            if self._nc is not None and not self._nc.is_closed:
                self._run(self._nc.drain())
            self._loop.close()

    def __enter__(self) -> JetStreamSink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def delete_stream(servers: str, stream: str) -> None:
    """Delete `stream` (a benchmark's or a test's own) from the bus at `servers`."""

    async def delete() -> None:
        nc = await nats.connect(servers)
        try:
            await nc.jetstream().delete_stream(stream)
        finally:
            await nc.close()

    asyncio.run(delete())
