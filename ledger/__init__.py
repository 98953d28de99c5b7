"""The double-entry ledger: the transactional core every other stage reads from or writes to.

Design overview
- Holds: the SQL migrations (`ledger/migrations`), the `Ledger` client (accounts, `post`,
  `post_many`, holds, reversals, FX conversion, balances, statements), typed payment semantics
  (`ledger.payments`: channel, counterparty, location) and the common movements built by convention
  (`ledger.movements`: cash deposit, wires, ACH, P2P, posted with `Ledger.move`), the event store
  (`ledger.events`), the outbox relay (`ledger.outbox`) and the `fintra db` / `fintra ledger` commands.
- Guarantees: every journal entry balances per currency (checked by the database at commit); entries
  are append-only; amounts are exact Decimals (NUMERIC(28,18)) and never rounded silently; a
  reference id posts at most once; no account that may not go negative is overdrawn, even under
  concurrent writers; every write updates the balance projection and appends events and outbox rows
  in the same transaction.
- Imports: `fintra` and third-party packages only. Nothing here may import pipelines, features,
  models or serving.
"""

from ledger.accounts import AccountSpec
from ledger.client import Ledger
from ledger.errors import (
    AccountClosed,
    AccountExists,
    AccountNotEmpty,
    AlreadyReversed,
    AmountPrecision,
    BatchAborted,
    ConcurrencyConflict,
    ConflictError,
    CurrencyMismatch,
    HoldExpired,
    HoldNotFound,
    HoldNotPending,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidRequest,
    JournalNotFound,
    LedgerError,
    TooFewLegs,
    UnbalancedEntry,
    UnknownAccount,
    UnknownCurrency,
    ValidationError,
)
from ledger.market import Tick
from ledger.model import (
    Account,
    AccountType,
    Balance,
    BatchResult,
    CaptureRequest,
    ConversionRequest,
    Direction,
    Fee,
    Hold,
    HoldRequest,
    HoldStatus,
    JournalEntry,
    JournalKind,
    Leg,
    PostedLeg,
    Rejection,
    Statement,
    StatementLine,
    Transfer,
)
from ledger.movements import (
    Movement,
    Rails,
    ach_in,
    ach_out,
    cash_deposit,
    cash_withdrawal,
    p2p,
    p2p_in,
    p2p_out,
    wire_in,
    wire_out,
)
from ledger.parties import CustomerProfile, RiskRating, Segment
from ledger.payments import Channel, Counterparty
from ledger.schema import migrate

__all__ = [
    "Account",
    "AccountClosed",
    "AccountExists",
    "AccountNotEmpty",
    "AccountSpec",
    "AccountType",
    "AlreadyReversed",
    "AmountPrecision",
    "Balance",
    "BatchAborted",
    "BatchResult",
    "CaptureRequest",
    "Channel",
    "ConcurrencyConflict",
    "ConflictError",
    "ConversionRequest",
    "Counterparty",
    "CurrencyMismatch",
    "CustomerProfile",
    "Direction",
    "Fee",
    "Hold",
    "HoldExpired",
    "HoldNotFound",
    "HoldNotPending",
    "HoldRequest",
    "HoldStatus",
    "IdempotencyConflict",
    "InsufficientFunds",
    "InvalidAmount",
    "InvalidRequest",
    "JournalEntry",
    "JournalKind",
    "JournalNotFound",
    "Ledger",
    "LedgerError",
    "Leg",
    "Movement",
    "PostedLeg",
    "Rails",
    "Rejection",
    "RiskRating",
    "Segment",
    "Statement",
    "StatementLine",
    "Tick",
    "TooFewLegs",
    "Transfer",
    "UnbalancedEntry",
    "UnknownAccount",
    "UnknownCurrency",
    "ValidationError",
    "ach_in",
    "ach_out",
    "cash_deposit",
    "cash_withdrawal",
    "migrate",
    "p2p",
    "p2p_in",
    "p2p_out",
    "wire_in",
    "wire_out",
]
