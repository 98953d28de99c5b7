"""Value types of the ledger API: what callers pass in and what they get back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ledger.payments import Channel, Counterparty


class Direction(StrEnum):
    DEBIT = "DEBIT"
    CREDIT = "CREDIT"

    @property
    def opposite(self) -> Direction:
        return Direction.CREDIT if self is Direction.DEBIT else Direction.DEBIT


class AccountType(StrEnum):
    ASSET = "ASSET"
    LIABILITY = "LIABILITY"
    EQUITY = "EQUITY"
    REVENUE = "REVENUE"
    EXPENSE = "EXPENSE"

    @property
    def normal_side(self) -> Direction:
        """The side that increases the balance: DEBIT for assets and expenses, CREDIT otherwise."""
        return Direction.DEBIT if self in (AccountType.ASSET, AccountType.EXPENSE) else Direction.CREDIT


class HoldStatus(StrEnum):
    PENDING = "PENDING"
    CAPTURED = "CAPTURED"
    VOIDED = "VOIDED"
    EXPIRED = "EXPIRED"


class JournalKind(StrEnum):
    TRANSFER = "TRANSFER"
    CAPTURE = "CAPTURE"
    REVERSAL = "REVERSAL"
    CONVERSION = "CONVERSION"


AmountLike = Decimal | int | str


@dataclass(frozen=True, slots=True)
class Leg:
    """One side of a journal entry: a positive amount debited or credited to an account (by code).

    `currency` is optional; when given it must be the account's currency (a guard for callers that
    carry the currency alongside the amount).
    """

    account: str
    direction: Direction | str
    amount: AmountLike
    currency: str | None = None

    @classmethod
    def debit(cls, account: str, amount: AmountLike, currency: str | None = None) -> Leg:
        return cls(account, Direction.DEBIT, amount, currency)

    @classmethod
    def credit(cls, account: str, amount: AmountLike, currency: str | None = None) -> Leg:
        return cls(account, Direction.CREDIT, amount, currency)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A journal entry to post: the input of `post_many`.

    `channel`, `counterparty` and `location` are the payment semantics every compliance rule reads
    (see `ledger.payments`); the helpers of `ledger.movements` fill them in by convention.
    """

    reference_id: str
    legs: Sequence[Leg]
    description: str | None = None
    metadata: Mapping[str, Any] | None = None
    effective_at: datetime | None = None
    channel: Channel | str | None = None
    counterparty: Counterparty | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class HoldRequest:
    """A reservation to place: the input of `hold_many`. A card authorisation is a hold with channel
    CARD, the merchant as `counterparty` (its descriptor as `description`) and its `mcc`."""

    reference_id: str
    from_account: str
    to_account: str
    amount: AmountLike
    expires_at: datetime
    description: str | None = None
    metadata: Mapping[str, Any] | None = None
    effective_at: datetime | None = None
    channel: Channel | str | None = None
    counterparty: Counterparty | None = None
    location: str | None = None
    mcc: int | None = None


@dataclass(frozen=True, slots=True)
class CaptureRequest:
    """A hold to capture (fully when `amount` is None): the input of `capture_many`."""

    hold_id: int
    amount: AmountLike | None = None
    effective_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ConversionRequest:
    """A currency conversion: the input of `convert_many` (see `Ledger.convert`)."""

    reference_id: str
    from_account: str
    to_account: str
    amount: AmountLike
    rate: AmountLike
    fee: Fee | None = None
    description: str | None = None
    metadata: Mapping[str, Any] | None = None
    effective_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee charged on a conversion, in the source currency, credited to `account`."""

    amount: AmountLike
    account: str


@dataclass(frozen=True, slots=True)
class Account:
    account_id: int
    code: str
    name: str
    type: AccountType
    currency: str
    allow_negative: bool
    is_closed: bool
    metadata: Mapping[str, Any]
    opened_at: datetime
    customer_id: int | None = None

    @property
    def normal_side(self) -> Direction:
        return self.type.normal_side


@dataclass(frozen=True, slots=True)
class PostedLeg:
    leg_no: int
    account: str
    direction: Direction
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class JournalEntry:
    journal_id: int
    reference_id: str
    kind: JournalKind
    legs: tuple[PostedLeg, ...]
    effective_at: datetime
    posted_at: datetime
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    reverses_journal_id: int | None = None
    correlation_id: str | None = None
    replayed: bool = False
    channel: Channel = Channel.INTERNAL
    counterparty: Counterparty | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Hold:
    hold_id: int
    reference_id: str
    from_account: str
    to_account: str
    currency: str
    amount: Decimal
    status: HoldStatus
    effective_at: datetime
    expires_at: datetime
    captured_amount: Decimal | None = None
    capture_journal_id: int | None = None
    resolved_at: datetime | None = None
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    replayed: bool = False
    channel: Channel = Channel.INTERNAL
    counterparty: Counterparty | None = None
    location: str | None = None
    mcc: int | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    """An account's balance in its normal-balance terms. `version` is None for historical balances."""

    account: str
    currency: str
    posted: Decimal
    held: Decimal
    available: Decimal
    version: int | None
    as_of: datetime | None = None


@dataclass(frozen=True, slots=True)
class StatementLine:
    effective_at: datetime
    journal_id: int
    reference_id: str
    kind: JournalKind
    description: str | None
    direction: Direction
    amount: Decimal
    balance_after: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    account: str
    currency: str
    start: datetime
    end: datetime
    opening_balance: Decimal
    closing_balance: Decimal
    lines: tuple[StatementLine, ...]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A transfer of a batch that was not posted, with its position in the batch and why."""

    index: int
    reference_id: str
    error: Exception


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Outcome of a batch call, in input order: the ids written (journal ids for `post_many`,
    `capture_many` and `convert_many`; hold ids for `hold_many` and `void_many`; None where rejected),
    how many were new and replayed, and the rejections."""

    ids: tuple[int | None, ...]
    posted: int
    replayed: int
    rejected: tuple[Rejection, ...]

    @property
    def journal_ids(self) -> tuple[int | None, ...]:
        return self.ids

    def raise_first(self) -> None:
        """Raise the first rejection's error, if any (for callers that expect every transfer to post)."""
        if self.rejected:
            raise self.rejected[0].error
