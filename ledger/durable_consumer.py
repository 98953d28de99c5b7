"""A durable JetStream pull consumer of the events stream: what every consumer of the bus shares (the read
store's views, the lake's near-real-time events).

A consumer fetches a batch, hands it to `handle`, then acknowledges each of its messages (AckPolicy.EXPLICIT):
a batch whose `handle` failed is given back at once (`nak`), one fetched by a consumer that died is
delivered again after `ack_wait`, and nothing acknowledges it by accident meanwhile; so `handle` must be
idempotent (by event id or version), and order is per batch, not across a failure. A drained mark is only
trusted when no earlier batch is still out (`settled`). A message `handle` cannot use goes to the
consumer's dead-letter subject `dlq.<durable>` (`dead_letter`, the error in a header), kept by the stream
`FINTRA_DEAD_LETTERS` (created on first use) and acknowledged by it before the batch is, and the consumer
goes on. `consumer_figures` reads every consumer's backlog and dead letters from JetStream itself (what
the API's /metrics reports), so a consumer that died still shows its lag. Run until stopped, a bus that
goes away for longer than the client's own reconnection attempts is connected to again every
`RECONNECT_WAIT_S`; a one-off run (`once`) says the bus is gone instead.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.client import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError

from ledger.jetstream import DRAINED_SUBJECT, STREAM

log = logging.getLogger(__name__)

RECONNECT_WAIT_S = 1.0  # between attempts to reach a bus that went away
DEAD_LETTERS_STREAM = "FINTRA_DEAD_LETTERS"
DEAD_LETTERS_MAX_AGE_S = 90 * 86400  # long enough for someone to look at them and replay what was fixed


def dead_letters_subject(durable: str) -> str:
    return f"dlq.{durable}"


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Batch(Generic[T]):
    items: list[T]
    fresh_at: float | None  # epoch seconds up to which everything committed is in the batch or before it


def drained_at(mark: dict[str, object] | bytes) -> float | None:
    """The epoch seconds of a relay's drained mark (its message, parsed or not); None if unreadable (a mark
    is only an optimisation)."""
    try:
        body = json.loads(mark) if isinstance(mark, bytes) else mark
        return datetime.fromisoformat(str(body["drained_at"])).timestamp()
    except (ValueError, KeyError, TypeError):
        log.warning("unreadable drained mark")
        return None


class DurableConsumer(abc.ABC):
    """A durable pull consumer named `durable` of `subject` on the events stream (see the module docstring);
    subclasses implement `handle`."""

    def __init__(
        self,
        servers: str,
        *,
        durable: str,
        subject: str,
        batch: int = 500,
        timeout: float = 1.0,
        stream: str = STREAM,
        ack_wait: float = 30.0,
    ) -> None:
        self.servers, self.durable, self.subject = servers, durable, subject
        self.dead_letters = dead_letters_subject(durable)
        self.batch, self.timeout, self.stream = batch, timeout, stream
        # seconds before a batch fetched and not acknowledged (its consumer died) is delivered again; set
        # when the durable consumer is created
        self.ack_wait = ack_wait
        self.consumed = 0  # messages consumed by the current `run`
        # whether the batch being handled is the only one out (see `_run_connected`): a drained mark in it
        # may be trusted
        self.settled = True

    async def _explicit(self, js: JetStreamContext) -> None:
        """A durable consumer created before acknowledgements were per message is created again: it reads
        the stream from its start, which the consumers absorb (by version, by event id)."""
        try:
            info = await js.consumer_info(self.stream, self.durable)
        except NotFoundError:
            return
        if info.config.ack_policy != AckPolicy.EXPLICIT:
            log.warning(f"{self.durable}: re-created with per-message acknowledgements; it reads the stream again")
            await js.delete_consumer(self.stream, self.durable)

    @abc.abstractmethod
    async def handle(self, nc: Client, messages: Sequence[Msg]) -> None:
        """Apply one batch (idempotently: it may come again after a crash)."""

    async def read_batch(self, nc: Client, messages: Sequence[Msg], parse: Callable[[Msg], T | None]) -> Batch[T]:
        """A batch's messages read by `parse` (None: nothing to apply), with the time of the relay's drained
        mark among them when it may be trusted (`settled`); a message `parse` refuses (ValueError) goes to
        the dead letters."""
        items: list[T] = []
        fresh_at = None
        for msg in messages:
            if msg.subject == DRAINED_SUBJECT:
                fresh_at = drained_at(msg.data) if self.settled else None
                continue
            try:
                item = parse(msg)
            except ValueError as exc:
                await self.dead_letter(nc, msg, exc)
                continue
            if item is not None:
                items.append(item)
        return Batch(items, fresh_at)

    async def dead_letter(self, nc: Client, msg: Msg, error: Exception) -> None:
        """Send a message the consumer cannot use to its dead-letter subject, with the error (kept by the
        dead-letter stream: its acknowledgement is awaited)."""
        await nc.jetstream().publish(
            self.dead_letters,
            msg.data,
            stream=DEAD_LETTERS_STREAM,
            headers={"Fintra-Error": str(error)[:500], "Fintra-Subject": msg.subject},
        )
        log.warning(f"{self.durable}: dead letter", extra={"fields": {"subject": msg.subject}})

    async def run(self, stop: asyncio.Event | None = None, *, once: bool = False) -> int:
        """Consume what the stream holds (until it is drained when `once`, else until `stop` is set); how
        many messages were consumed."""
        self.consumed = 0
        while True:
            try:
                await self._run_connected(stop, once=once)
                return self.consumed
            except (nats.errors.ConnectionClosedError, nats.errors.NoServersError, OSError) as exc:
                if once or stop is None:
                    raise
                log.warning(
                    f"{self.durable}: the bus is unreachable, connecting again", extra={"fields": {"error": repr(exc)}}
                )
                try:
                    await asyncio.wait_for(stop.wait(), RECONNECT_WAIT_S)
                    return self.consumed
                except TimeoutError:
                    continue

    async def _run_connected(self, stop: asyncio.Event | None, *, once: bool) -> None:
        nc = await nats.connect(
            [s.strip() for s in self.servers.split(",")],
            name=f"fintra-{self.durable}",
            # the client reconnects by itself for a few seconds; then `run` opens a new connection
            max_reconnect_attempts=10,
            reconnect_time_wait=0.5,
        )
        try:
            js = nc.jetstream()
            await _ensure_dead_letters(js)
            await self._explicit(js)
            sub = await js.pull_subscribe(
                self.subject,
                durable=self.durable,
                stream=self.stream,
                # each message acknowledged on its own: acknowledging a batch by its last message would also
                # acknowledge an earlier batch fetched and never applied (a consumer that failed or died)
                config=ConsumerConfig(
                    durable_name=self.durable, ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL,
                    max_ack_pending=20_000, ack_wait=self.ack_wait,
                ),
            )  # fmt: skip
            while stop is None or not stop.is_set():
                try:
                    messages = await sub.fetch(self.batch, timeout=self.timeout)
                # nats-py raises its own TimeoutError, or asyncio's when the deadline passes between its
                # steps (a busy machine): both are "nothing arrived in time" (nats' is a subclass)
                except TimeoutError:
                    if once:
                        return
                    continue
                if not messages:  # a pull answered by a status (the server busy or restarting): nothing to apply
                    continue
                # A drained mark says everything before it is applied only if no earlier message is still
                # out, fetched by a consumer that failed or died and not yet delivered again.
                info = await sub.consumer_info()
                self.settled = (info.num_ack_pending or 0) <= len(messages)
                try:
                    await self.handle(nc, messages)
                except Exception:
                    for msg in messages:  # delivered again at once rather than after the acknowledgement wait
                        await msg.nak()
                    raise
                for msg in messages:  # dead letters included (published and kept first)
                    await msg.ack()
                self.consumed += len(messages)
        finally:
            if not nc.is_closed:
                await nc.flush()  # the acknowledgements sent
                await nc.close()


def run_until_signalled(consumer: DurableConsumer, *, once: bool, started: Callable[[], None] | None = None) -> int:
    """Run `consumer` as a command does: until SIGINT or SIGTERM (it stops after the batch in hand), or
    once through what the stream holds; how many messages it consumed. `started` is called once the
    signals are handled (a command says it runs only then)."""

    async def run() -> int:
        stop = asyncio.Event()
        if not once:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
        if started is not None:
            started()
        return await consumer.run(stop, once=once)

    return asyncio.run(run())


async def _ensure_dead_letters(js: JetStreamContext) -> None:
    try:
        await js.stream_info(DEAD_LETTERS_STREAM)
    except NotFoundError:
        config = StreamConfig(
            name=DEAD_LETTERS_STREAM,
            subjects=["dlq.>"],
            storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS,
            max_age=DEAD_LETTERS_MAX_AGE_S,
        )
        with contextlib.suppress(BadRequestError):  # another consumer created it meanwhile
            await js.add_stream(config)


def consumer_figures(servers: str, *, stream: str = STREAM, timeout: float = 1.0) -> dict[str, tuple[float, float]]:
    """Every durable consumer of `stream`: (messages it has still to read or acknowledge, dead letters it
    sent), from JetStream."""

    async def read() -> dict[str, tuple[float, float]]:
        nc = await nats.connect(
            [s.strip() for s in servers.split(",")], connect_timeout=timeout, max_reconnect_attempts=0
        )
        try:
            js = nc.jetstream(timeout=timeout)
            consumers = await js.consumers_info(stream)
            try:
                held = await js.stream_info(DEAD_LETTERS_STREAM, subjects_filter="dlq.>")
                dead = held.state.subjects or {}
            except NotFoundError:
                dead = {}
            return {
                c.name: (
                    float((c.num_pending or 0) + (c.num_ack_pending or 0)),
                    float(dead.get(dead_letters_subject(c.name), 0)),
                )
                for c in consumers
                if c.name
            }
        finally:
            await nc.close()

    return asyncio.run(read())
