"""Views apps read, kept in the read store (Redis protocol) from the event bus.

Per account, from its own events (`ledger.transfer.posted.v1`, `ledger.hold.*.v1`, `ledger.fx.converted.v1`,
... each carries the account's balances after it and its version):
- `view:account:<code>`: a hash of `posted`, `available`, `currency`, `version`, `as_of` (the event's
  effective time), `event_id`;
- `view:account:<code>:recent`: the latest `RECENT` movements (JSON: journal, reference, change, channel,
  kind, effective time), newest first.
An event is applied only when its version is above the view's (one Lua script, atomic in the server): a
message delivered twice, or after a newer one, changes nothing, so the consumer is idempotent without a
separate record of what it saw. `view:watermark` holds the commit time of the newest event applied;
`view:fresh_at` (epoch seconds) the latest time up to which every committed event is applied: the relay's
drained mark (`ledger.relay.drained.v1`: everything committed before it was published ahead of it),
applied after the events before it. The API compares `fresh_at` with the clock to say how far the views
lag, and reads the database instead when they lag more than its bound.

`ViewsConsumer` is a durable JetStream pull consumer (`views`, `ledger.durable_consumer`) on the stream
`FINTRA_EVENTS`: it fetches a batch, reads each message once, applies the batch, then acknowledges each
message, so a consumer killed mid-batch gets it again and the version check absorbs what was already
applied. A message it cannot apply (not JSON, no account) is published to `dlq.views` with the error in
a header before the batch is acknowledged, and the consumer goes on.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis
from nats.aio.client import Client
from nats.aio.msg import Msg

from ledger.durable_consumer import DurableConsumer, dead_letters_subject, drained_at
from ledger.jetstream import DRAINED_SUBJECT, STREAM

RECENT = 50
DURABLE = "views"
DEAD_LETTERS = dead_letters_subject(DURABLE)

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


_FRESH = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
"""
# Kept insights: written only when their account version is not below the kept one's (a slower computation
# of an older version never overwrites a newer one)
_KEEP_INSIGHTS = """
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if tonumber(ARGV[1]) < current then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'resolver', ARGV[2], 'format', ARGV[3], 'payload', ARGV[4])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return 1
"""
# Kept insights name payees (merchants, people paid): they expire when no run or read keeps them again, and
# a window of months nobody asks for again does not stay
INSIGHTS_TTL_S = 3 * 86400
FRESH_KEY = "view:fresh_at"


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


def _view(code: str, found: dict[str, str]) -> AccountView | None:
    """The account view of a `view:account:<code>` hash; None when there is none."""
    if not found:
        return None
    return AccountView(
        code, found.get("posted"), found["available"], found["currency"], int(found["version"]), found["as_of"],
        found["event_id"],
    )  # fmt: skip


def _insights_key(code: str, months: int) -> str:
    return f"view:insights:{code}:{months}"


@dataclass(frozen=True, slots=True)
class KeptInsights:
    """An account's insights as computed at its balance `version`, by merchant index `resolver`, in payload
    `format` (`serving.insights`)."""

    version: int
    resolver: int
    format: int
    payload: dict[str, Any]


def _lag(mark: str) -> float:
    """Seconds the views may be behind the ledger, from their `view:fresh_at` mark."""
    return max(0.0, time.time() - float(mark))


@dataclass(frozen=True, slots=True)
class ViewRead:
    """What the read store answers for an account: its view when it is fresh enough, else why not."""

    view: AccountView | None
    lag_seconds: float | None  # how far the views may be behind the ledger (None: not known)
    fallback: str | None  # why the database must answer (None when the view does)


class ViewStore:
    """The views in one read store."""

    def __init__(self, url: str, *, timeout: float | None = None) -> None:
        # a read store that stops answering must cost a request `timeout`, not hang it (the API then reads
        # the database)
        self.redis = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._apply = self.redis.register_script(_APPLY)
        self._fresh = self.redis.register_script(_FRESH)
        self._keep_insights = self.redis.register_script(_KEEP_INSIGHTS)

    def apply(self, messages: Sequence[dict[str, Any]]) -> int:
        """Apply events (message bodies as the relay publishes them, its drained marks included) in one
        pipeline; how many changed a view. Events that concern no account's balance (cases, decisions) are
        skipped; a malformed one raises PoisonMessage before anything is written."""
        marks = [drained_at(m) for m in messages if m.get("type") == DRAINED_SUBJECT]
        fresh_at = marks[-1] if marks else None
        calls = [args for m in messages if m.get("type") != DRAINED_SUBJECT and (args := view_arguments(m))]
        return self.apply_read(calls, fresh_at=fresh_at)

    def apply_read(self, calls: Sequence[tuple[list[str], list[str]]], *, fresh_at: float | None = None) -> int:
        """Apply events already read by `view_arguments` (the consumer reads each message once), then, if
        given, the time up to which everything is applied (epoch seconds; never moved back); how many views
        changed."""
        pipe = self.redis.pipeline(transaction=False)
        for keys, argv in calls:
            self._apply(keys=keys, args=argv, client=pipe)
        if fresh_at is not None:
            self._fresh(keys=[FRESH_KEY], args=[repr(fresh_at)], client=pipe)
        return sum(int(r) for r in pipe.execute()[: len(calls)])

    def lag_seconds(self) -> float | None:
        """How far the views may be behind the ledger (seconds since `fresh_at`; None before the first mark)."""
        mark = self.redis.get(FRESH_KEY)
        return _lag(mark) if mark is not None else None

    def fresh_at(self) -> float | None:
        """Every event committed before this time (epoch seconds) is in the views; None before the first mark."""
        mark = self.redis.get(FRESH_KEY)
        return float(mark) if mark is not None else None

    def account(self, code: str) -> AccountView | None:
        return _view(code, self.redis.hgetall(_key(code)))

    def read(self, code: str, max_lag_seconds: float) -> ViewRead:
        """The account's view if the views lag less than `max_lag_seconds` (one round trip); a read store
        that fails says so rather than raising."""
        try:
            found, mark = self.redis.pipeline(transaction=False).hgetall(_key(code)).get(FRESH_KEY).execute()
        except redis.RedisError as exc:
            return ViewRead(None, None, f"read store unavailable ({type(exc).__name__})")
        return self._judged(code, found, mark, max_lag_seconds)

    def _judged(self, code: str, found: dict[str, str], mark: str | None, max_lag_seconds: float) -> ViewRead:
        if mark is None:
            return ViewRead(None, None, "the views have no freshness mark yet (is `fintra views` running?)")
        lag = _lag(mark)
        if lag > max_lag_seconds:
            return ViewRead(None, lag, f"views lag {lag:.1f} s (bound {max_lag_seconds:g} s)")
        view = _view(code, found)
        if view is None or view.posted is None:
            return ViewRead(None, lag, "no view of this account yet (nothing posted)")
        return ViewRead(view, lag, None)

    def keep_insights(self, code: str, months: int, kept: KeptInsights) -> bool:
        """Keep an account's insights, computed at its balance `version` (see `read_insights`); False when
        newer ones are kept."""
        payload = json.dumps(kept.payload, separators=(",", ":"))
        args = [kept.version, kept.resolver, kept.format, payload, INSIGHTS_TTL_S]
        return bool(self._keep_insights(keys=[_insights_key(code, months)], args=args))

    def read_insights(
        self, code: str, months: int, max_lag_seconds: float, *, resolver: int, format: int
    ) -> tuple[dict[str, Any] | None, ViewRead]:
        """The account's kept insights when they are current (one round trip): the views lag less than
        `max_lag_seconds` and the account's view is at the version they were computed at, by this merchant
        index and payload format; else None, with why in the read's `fallback`."""
        try:
            found, mark, insights = (
                self.redis.pipeline(transaction=False)
                .hgetall(_key(code)).get(FRESH_KEY).hgetall(_insights_key(code, months))
                .execute()
            )  # fmt: skip
        except redis.RedisError as exc:
            return None, ViewRead(None, None, f"read store unavailable ({type(exc).__name__})")
        read = self._judged(code, found, mark, max_lag_seconds)
        if read.view is None:
            return None, read
        if not insights:
            return None, ViewRead(None, read.lag_seconds, "no insights kept in the read store yet")
        if (int(insights["version"]), int(insights["resolver"]), int(insights["format"])) != (
            read.view.version,
            resolver,
            format,
        ):
            return None, ViewRead(None, read.lag_seconds, "the kept insights predate the account's latest change")
        return json.loads(insights["payload"]), read

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


class ViewsConsumer(DurableConsumer):
    """The durable JetStream consumer that keeps the views (see the module docstring)."""

    def __init__(
        self, servers: str, store: ViewStore, *, batch: int = 500, timeout: float = 1.0, stream: str = STREAM
    ) -> None:
        super().__init__(
            servers,
            durable=DURABLE,
            subject="ledger.>",
            batch=batch,
            timeout=timeout,
            stream=stream,
        )
        self.store = store

    async def handle(self, nc: Client, messages: Sequence[Msg]) -> None:
        batch = await self.read_batch(nc, messages, lambda msg: view_arguments(json.loads(msg.data)))
        await asyncio.to_thread(self.store.apply_read, batch.items, fresh_at=batch.fresh_at)
