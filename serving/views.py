"""Views apps read, kept in the read store (Redis protocol) from the event bus.

Per account, from its own events (`ledger.transfer.posted.v1`, `ledger.hold.*.v1`, `ledger.fx.converted.v1`,
... each carries the account's balances after it and its version):
- `view:account:<code>`: a hash of `posted`, `available`, `currency`, `version`, `as_of` (the event's
  effective time), `event_id`;
- `view:account:<code>:recent`: the latest `RECENT` movements (JSON: journal, reference, change, channel,
  kind, effective time), newest first.
An event is applied only when its version is above the view's (one Lua script, atomic in the server): a
message delivered twice, or after a newer one, changes nothing, so the consumer is idempotent without a
separate record of what it saw. `view:watermark` holds the commit time of the newest event applied (what
the API compares with the clock to say how far the views lag).

`ViewsConsumer` is a durable JetStream pull consumer (`views`) on the stream `FINTRA_EVENTS`: it fetches a
batch, reads each message once, applies the batch, then acknowledges it by its last message
(AckPolicy.ALL), so a consumer killed mid-batch redelivers and the version check absorbs what was already
applied. A message it cannot apply (not JSON, no account) is published to `dlq.views` with the error in
a header before the batch is acknowledged, and the consumer goes on.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nats
import redis
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from ledger.jetstream import STREAM

log = logging.getLogger(__name__)

RECENT = 50
DURABLE = "views"
DEAD_LETTERS = "dlq.views"

_APPLY = """
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if tonumber(ARGV[1]) <= current then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'available', ARGV[3], 'currency', ARGV[4], 'as_of', ARGV[5],
           'event_id', ARGV[6])
-- a hold placed or voided changes what is available, not what is posted
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'posted', ARGV[2]) end
if ARGV[7] ~= '' then
  redis.call('LPUSH', KEYS[2], ARGV[7])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[8]) - 1)
end
local mark = redis.call('GET', KEYS[3])
if not mark or ARGV[9] > mark then redis.call('SET', KEYS[3], ARGV[9]) end
return 1
"""


class PoisonMessage(ValueError):
    """An event the views cannot be built from."""


@dataclass(frozen=True, slots=True)
class AccountView:
    account: str
    posted: str | None  # None until the account's first posting reaches the view
    available: str
    currency: str
    version: int
    as_of: str
    event_id: str


def _key(account: str) -> str:
    return f"view:account:{account}"


class ViewStore:
    """The views in one read store."""

    def __init__(self, url: str) -> None:
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self._apply = self.redis.register_script(_APPLY)

    def apply(self, messages: Sequence[dict[str, Any]]) -> int:
        """Apply events (message bodies as the relay publishes them) in one pipeline; how many changed a
        view. Events that concern no account's balance (cases, decisions) are skipped; a malformed one
        raises PoisonMessage before anything is written."""
        return self.apply_read([args for m in messages if (args := view_arguments(m)) is not None])

    def apply_read(self, calls: Sequence[tuple[list[str], list[str]]]) -> int:
        """Apply events already read by `view_arguments` (the consumer reads each message once)."""
        pipe = self.redis.pipeline(transaction=False)
        for keys, argv in calls:
            self._apply(keys=keys, args=argv, client=pipe)
        return sum(int(r) for r in pipe.execute())

    def account(self, code: str) -> AccountView | None:
        found = self.redis.hgetall(_key(code))
        if not found:
            return None
        return AccountView(
            code, found.get("posted"), found["available"], found["currency"], int(found["version"]), found["as_of"],
            found["event_id"],
        )  # fmt: skip

    def recent(self, code: str, limit: int = RECENT) -> list[dict[str, Any]]:
        return [json.loads(x) for x in self.redis.lrange(f"{_key(code)}:recent", 0, limit - 1)]

    def watermark(self) -> str | None:
        mark = self.redis.get("view:watermark")
        return str(mark) if mark is not None else None

    def close(self) -> None:
        self.redis.close()


def view_arguments(message: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """The keys and arguments of the apply script for an event; None when it changes no view."""
    try:
        payload = message["payload"]
        if message.get("aggregate_type") != "account":
            return None
        if "posted_after" not in payload and "available_after" not in payload:
            return None  # an account opened: nothing to show until money moves
        account = str(payload["account"])
        movement = ""
        if "journal_id" in payload:
            movement = json.dumps(
                {
                    "journal_id": payload["journal_id"],
                    "reference_id": payload.get("reference_id"),
                    "change": payload.get("change"),
                    "channel": payload.get("channel"),
                    "kind": payload.get("kind"),
                    "effective_at": payload.get("effective_at"),
                },
                separators=(",", ":"),
            )
        argv = [
            str(int(message["version"])),
            str(payload.get("posted_after", "")),
            str(payload["available_after"]),
            str(payload["currency"]),
            str(payload.get("effective_at", "")),
            str(message["event_id"]),
            movement,
            str(RECENT),
            str(message["recorded_at"]),
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise PoisonMessage(f"not an account event the views can apply: {exc!r}") from exc
    return [_key(account), f"{_key(account)}:recent", "view:watermark"], argv


class ViewsConsumer:
    """The durable JetStream consumer that keeps the views (see the module docstring)."""

    def __init__(
        self, servers: str, store: ViewStore, *, batch: int = 500, timeout: float = 1.0, stream: str = STREAM
    ) -> None:
        self.servers, self.store, self.batch, self.timeout, self.stream = servers, store, batch, timeout, stream

    async def run(self, stop: asyncio.Event | None = None, *, once: bool = False) -> int:
        """Apply what the stream holds (until it is drained when `once`, else until `stop` is set); how
        many messages were consumed."""
        nc = await nats.connect([s.strip() for s in self.servers.split(",")], name="fintra-views")
        try:
            js = nc.jetstream()
            sub = await js.pull_subscribe(
                "ledger.>",
                durable=DURABLE,
                stream=self.stream,
                # acknowledging a batch's last message acknowledges the whole batch (AckPolicy.ALL)
                config=ConsumerConfig(
                    durable_name=DURABLE, ack_policy=AckPolicy.ALL, deliver_policy=DeliverPolicy.ALL,
                    max_ack_pending=20_000,
                ),
            )  # fmt: skip
            consumed = 0
            while stop is None or not stop.is_set():
                try:
                    messages = await sub.fetch(self.batch, timeout=self.timeout)
                except nats.errors.TimeoutError:
                    if once:
                        return consumed
                    continue
                calls = []
                for msg in messages:
                    try:
                        call = view_arguments(json.loads(msg.data))
                    except (ValueError, PoisonMessage) as exc:
                        await nc.publish(
                            DEAD_LETTERS,
                            msg.data,
                            headers={"Fintra-Error": str(exc)[:500], "Fintra-Subject": msg.subject},
                        )
                        log.warning("views: dead letter", extra={"fields": {"subject": msg.subject}})
                        continue
                    if call is not None:
                        calls.append(call)
                await asyncio.to_thread(self.store.apply_read, calls)
                await messages[-1].ack()  # the whole batch, dead letters included (published first)
                consumed += len(messages)
            return consumed
        finally:
            await nc.flush()  # the acknowledgements sent
            await nc.close()
