"""`Ledger`: the one object callers hold. It owns a connection pool and the reference-data cache and
exposes the ledger API; the work is done by the modules it delegates to."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

import psycopg

from fintra.logs import current_correlation_id, new_correlation_id
from fintra.pools import LivePool
from ledger import accounts as _accounts
from ledger import cases as _cases
from ledger import fx as _fx
from ledger import holds as _holds
from ledger import market as _market
from ledger import parties as _parties
from ledger import reads as _reads
from ledger import reversals as _reversals
from ledger.accounts import AccountSpec
from ledger.catalog import Catalog
from ledger.errors import LedgerError
from ledger.market import Tick
from ledger.model import (
    Account,
    AccountType,
    Balance,
    BatchResult,
    CaptureRequest,
    ConversionRequest,
    Fee,
    Hold,
    HoldRequest,
    JournalEntry,
    Leg,
    Rejection,
    Statement,
    Transfer,
)
from ledger.movements import DEFAULT_RAILS, Movement, Rails
from ledger.parties import CustomerProfile
from ledger.payments import Channel, Counterparty
from ledger.posting import Outcome, draft_transfers, journal_result, post_transfers, write_drafts


class Ledger:
    """Double-entry ledger client. Thread-safe: share one instance per process.

    Every write runs in one transaction that also updates the balance projection and appends events
    and outbox rows. Correlation ids come from the argument, else from the ambient
    `fintra.logs.correlation()` context, else a new one per call.
    """

    def __init__(
        self, url: str, *, pool_size: int = 8, rails: Rails = DEFAULT_RAILS, connect_timeout: float = 30.0
    ) -> None:
        self.url = url
        self.rails = rails
        self._catalog = Catalog()
        # LivePool: a connection the server dropped while it idled (a restart, a failover) is found out
        # and replaced before a call uses it, instead of failing that call. `connect_timeout`: how long a
        # call waits for a connection (psycopg_pool.PoolTimeout after it), e.g. while the server is down.
        self._pool = LivePool(
            url,
            min_size=1,
            max_size=pool_size,
            open=True,
            kwargs={"autocommit": True, "options": "-c TimeZone=UTC"},
            name="ledger",
            timeout=connect_timeout,
        )

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @staticmethod
    def _cid(correlation_id: str | None) -> str:
        return correlation_id or current_correlation_id() or new_correlation_id()

    # -- accounts -----------------------------------------------------------------------------------
    def open_account(
        self,
        code: str,
        name: str,
        type: AccountType | str,
        currency: str,
        allow_negative: bool = False,
        metadata: Mapping[str, Any] | None = None,
        *,
        customer_id: int | None = None,
        correlation_id: str | None = None,
    ) -> Account:
        """Open an account; the same code with the same attributes returns the existing one."""
        with self._pool.connection() as conn:
            return _accounts.open_account(
                conn,
                self._catalog,
                code,
                name,
                type,
                currency,
                allow_negative=allow_negative,
                metadata=metadata,
                customer_id=customer_id,
                correlation_id=self._cid(correlation_id),
            )

    def open_accounts(
        self, specs: Iterable[AccountSpec], *, correlation_id: str | None = None
    ) -> list[Account | LedgerError]:
        """Open many accounts in one transaction; per item, the account or the error that refused it."""
        items = list(specs)
        with self._pool.connection() as conn:
            results = _accounts.open_accounts(conn, self._catalog, items, correlation_id=self._cid(correlation_id))
        return [results[i] for i in range(len(items))]

    def register_customers(self, profiles: Iterable[CustomerProfile]) -> dict[str, int]:
        """Register customers and their personal data (idempotent by external_ref); ids by external_ref."""
        with self._pool.connection() as conn:
            return _parties.register_customers(conn, list(profiles))

    def close_account(self, code: str, *, correlation_id: str | None = None) -> Account:
        with self._pool.connection() as conn:
            return _accounts.close_account(conn, self._catalog, code, correlation_id=self._cid(correlation_id))

    def account(self, code: str) -> Account:
        with self._pool.connection() as conn:
            return _accounts.get_account(conn, code)

    # -- posting ------------------------------------------------------------------------------------
    def post(
        self,
        reference_id: str,
        legs: Sequence[Leg],
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        effective_at: datetime | None = None,
        *,
        channel: Channel | str | None = None,
        counterparty: Counterparty | None = None,
        location: str | None = None,
        correlation_id: str | None = None,
        within_transaction: Callable[[psycopg.Connection[Any], int], None] | None = None,
    ) -> JournalEntry:
        """Post one balanced journal entry; a replay of the same reference and content returns the
        original (with `replayed=True`); raises the domain error otherwise.

        `channel`, `counterparty` and `location` say how the money moved (see `ledger.payments`); a
        movement on a customer's account must name its channel. For the common movements the helpers of
        `ledger.movements` with `move` set them by convention.

        `within_transaction(conn, journal_id)` is called in the posting's own transaction once the new
        entry is written (never on a replay or a refusal): what it writes commits with the entry or not
        at all (an audit record, say)."""
        transfer = Transfer(reference_id, legs, description, metadata, effective_at, channel, counterparty, location)
        return self._post_one(transfer, correlation_id, within_transaction)

    def move(self, movement: Movement, *, correlation_id: str | None = None) -> JournalEntry:
        """Post one common movement built by `ledger.movements` (cash deposit, wire, ACH, P2P, ...)."""
        return self._post_one(movement, correlation_id, None)

    def _post_one(
        self,
        item: Transfer | Movement,
        correlation_id: str | None,
        within_transaction: Callable[[psycopg.Connection[Any], int], None] | None,
    ) -> JournalEntry:
        with self._pool.connection() as conn:
            drafts, errors = draft_transfers(conn, self._catalog, [item], prefix=lambda _: "", rails=self.rails)
            if errors:
                raise errors[0]
            cid = self._cid(correlation_id)
            outcome = write_drafts(conn, self._catalog, drafts, correlation_id=cid, also=_new_only(within_transaction))[
                0
            ]
            return journal_result(conn, drafts[0], outcome, cid)

    def post_many(
        self,
        transfers: Iterable[Transfer | Movement],
        *,
        correlation_id: str | None = None,
        all_or_nothing: bool = False,
    ) -> BatchResult:
        """Post a batch in one transaction, each transfer judged as if posted alone, in order. Movements of
        `ledger.movements` may stand beside plain transfers.

        `all_or_nothing=True`: if any transfer is refused, nothing is written; the refused ones carry their
        reason in `rejected` and every other new one `BatchAborted` naming the first refusal."""
        items = list(transfers)
        with self._pool.connection() as conn:
            outcomes = post_transfers(
                conn,
                self._catalog,
                items,
                correlation_id=self._cid(correlation_id),
                rails=self.rails,
                all_or_nothing=all_or_nothing,
            )
        return _batch_result([t.reference_id for t in items], outcomes)

    def reverse(
        self,
        journal_id: int,
        reference_id: str,
        reason: str,
        *,
        effective_at: datetime | None = None,
        correlation_id: str | None = None,
    ) -> JournalEntry:
        with self._pool.connection() as conn:
            return _reversals.reverse(
                conn,
                self._catalog,
                journal_id,
                reference_id,
                reason,
                effective_at=effective_at,
                correlation_id=self._cid(correlation_id),
            )

    def convert(
        self,
        reference_id: str,
        from_account: str,
        to_account: str,
        amount: decimal.Decimal | int | str,
        rate: decimal.Decimal | int | str,
        fee: Fee | None = None,
        *,
        rounding: str = decimal.ROUND_HALF_EVEN,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        effective_at: datetime | None = None,
        correlation_id: str | None = None,
    ) -> JournalEntry:
        """Convert between currencies through the FX clearing accounts (see `ledger.fx`)."""
        request = ConversionRequest(
            reference_id, from_account, to_account, amount, rate, fee, description, metadata, effective_at
        )
        with self._pool.connection() as conn:
            return _fx.convert(
                conn, self._catalog, request, rounding=rounding, correlation_id=self._cid(correlation_id)
            )

    def convert_many(
        self,
        requests: Iterable[ConversionRequest],
        *,
        rounding: str = decimal.ROUND_HALF_EVEN,
        correlation_id: str | None = None,
    ) -> BatchResult:
        items = list(requests)
        with self._pool.connection() as conn:
            _, outcomes = _fx.convert_many(
                conn, self._catalog, items, rounding=rounding, correlation_id=self._cid(correlation_id)
            )
        return _batch_result([r.reference_id for r in items], outcomes)

    # -- holds --------------------------------------------------------------------------------------
    def hold(
        self,
        reference_id: str,
        from_account: str,
        to_account: str,
        amount: decimal.Decimal | int | str,
        expires_at: datetime,
        *,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        effective_at: datetime | None = None,
        channel: Channel | str | None = None,
        counterparty: Counterparty | None = None,
        location: str | None = None,
        mcc: int | None = None,
        correlation_id: str | None = None,
        within_transaction: Callable[[psycopg.Connection[Any], int], None] | None = None,
    ) -> Hold:
        """Reserve `amount` on `from_account` for a later transfer to `to_account` (see `ledger.holds`);
        a card authorisation is a hold with channel CARD and the merchant's `mcc`.
        `within_transaction(conn, hold_id)` runs in the hold's transaction, as for `post`."""
        request = HoldRequest(
            reference_id,
            from_account,
            to_account,
            amount,
            expires_at,
            description,
            metadata,
            effective_at,
            channel,
            counterparty,
            location,
            mcc,
        )
        with self._pool.connection() as conn:
            outcome = _holds.place_holds(
                conn,
                self._catalog,
                [request],
                correlation_id=self._cid(correlation_id),
                prefix="",
                also=_new_only(within_transaction),
            )[0]
            if outcome.error is not None:
                raise outcome.error
            assert outcome.id is not None
            return _holds.fetch_hold(conn, outcome.id, replayed=outcome.replayed)

    def hold_many(self, requests: Iterable[HoldRequest], *, correlation_id: str | None = None) -> BatchResult:
        items = list(requests)
        with self._pool.connection() as conn:
            outcomes = _holds.place_holds(conn, self._catalog, items, correlation_id=self._cid(correlation_id))
        return _batch_result([r.reference_id for r in items], outcomes)

    def capture(
        self,
        hold_id: int,
        amount: decimal.Decimal | int | str | None = None,
        *,
        effective_at: datetime | None = None,
        correlation_id: str | None = None,
    ) -> JournalEntry:
        """Post up to the held amount and release the rest; replays return the original capture."""
        with self._pool.connection() as conn:
            outcome = _holds.capture_holds(
                conn,
                self._catalog,
                [CaptureRequest(hold_id, amount, effective_at)],
                correlation_id=self._cid(correlation_id),
                prefix="",
            )[0]
            if outcome.error is not None:
                raise outcome.error
            assert outcome.id is not None
            return _reads.fetch_journal(conn, outcome.id, replayed=outcome.replayed)

    def capture_many(self, requests: Iterable[CaptureRequest], *, correlation_id: str | None = None) -> BatchResult:
        items = list(requests)
        with self._pool.connection() as conn:
            outcomes = _holds.capture_holds(conn, self._catalog, items, correlation_id=self._cid(correlation_id))
        return _batch_result([str(r.hold_id) for r in items], outcomes)

    def void(self, hold_id: int, *, effective_at: datetime | None = None, correlation_id: str | None = None) -> Hold:
        with self._pool.connection() as conn:
            outcome = _holds.void_holds(
                conn, self._catalog, [hold_id], effective_at=effective_at, correlation_id=self._cid(correlation_id)
            )[0]
            if outcome.error is not None:
                raise outcome.error
            return _holds.fetch_hold(conn, hold_id, replayed=outcome.replayed)

    def void_many(
        self, hold_ids: Iterable[int], *, effective_at: datetime | None = None, correlation_id: str | None = None
    ) -> BatchResult:
        items = list(hold_ids)
        with self._pool.connection() as conn:
            outcomes = _holds.void_holds(
                conn, self._catalog, items, effective_at=effective_at, correlation_id=self._cid(correlation_id)
            )
        return _batch_result([str(h) for h in items], outcomes)

    def expire_holds(self, now: datetime, *, correlation_id: str | None = None) -> int:
        """Release every pending hold that expired by `now`; returns how many."""
        with self._pool.connection() as conn:
            return _holds.expire_holds(conn, self._catalog, now, correlation_id=self._cid(correlation_id))

    def decide_case(
        self,
        case_id: int,
        disposition: str,
        *,
        release: bool | None,
        actor: str,
        note: str | None = None,
        correlation_id: str | None = None,
    ) -> _cases.Case:
        """Close a case (`ledger.cases.decide`): its held transfer is captured (release) or voided with it."""
        with self._pool.connection() as conn:
            return _cases.decide(
                conn,
                self._catalog,
                case_id,
                disposition,
                release=release,
                actor=actor,
                note=note,
                correlation_id=self._cid(correlation_id),
            )

    def get_hold(self, hold_id: int) -> Hold:
        with self._pool.connection() as conn:
            return _holds.fetch_hold(conn, hold_id)

    # -- market data --------------------------------------------------------------------------------
    def record_ticks(self, ticks: Iterable[Tick]) -> int:
        """Store FX / crypto prices (idempotent per symbol and time); returns how many were new."""
        with self._pool.connection() as conn:
            return _market.record_ticks(conn, self._catalog, list(ticks))

    def price_at(self, symbol: str, at: datetime) -> decimal.Decimal | None:
        with self._pool.connection() as conn:
            return _market.price_at(conn, symbol, at)

    # -- reading ------------------------------------------------------------------------------------
    def balance(self, account: str, as_of: datetime | None = None) -> Balance:
        with self._pool.connection() as conn:
            return _reads.balance(conn, self._catalog, account, as_of)

    def statement(self, account: str, start: datetime | None = None, end: datetime | None = None) -> Statement:
        """Entries with running balance; by default the 30 days up to the account's latest movement."""
        with self._pool.connection() as conn:
            return _reads.statement(conn, self._catalog, account, start, end)

    def journal(self, journal_id: int) -> JournalEntry:
        with self._pool.connection() as conn:
            return _reads.fetch_journal(conn, journal_id)


def _new_only(
    work: Callable[[psycopg.Connection[Any], int], None] | None,
) -> Callable[[psycopg.Connection[Any], dict[int, Outcome]], None] | None:
    """Adapt a single write's hook: called with the id of what was newly written, not for replays."""
    if work is None:
        return None

    def run(conn: psycopg.Connection[Any], outcomes: dict[int, Outcome]) -> None:
        outcome = outcomes.get(0)
        if outcome is not None and outcome.error is None and not outcome.replayed and outcome.id is not None:
            work(conn, outcome.id)

    return run


def _batch_result(references: Sequence[str], outcomes: Mapping[int, Outcome]) -> BatchResult:
    ids: list[int | None] = [None] * len(references)
    rejected: list[Rejection] = []
    posted = replayed = 0
    for index in range(len(references)):
        outcome = outcomes[index]
        if outcome.error is not None:
            rejected.append(Rejection(index, references[index], outcome.error))
            continue
        ids[index] = outcome.id
        replayed += outcome.replayed
        posted += not outcome.replayed
    return BatchResult(tuple(ids), posted, replayed, tuple(rejected))
