"""Domain errors of the ledger, each with a stable `code` and the HTTP status an API should map it to.

    LedgerError
    ├── ValidationError (422)       bad input; nothing written
    │   ├── TooFewLegs              a journal entry needs at least two legs
    │   ├── InvalidAmount           zero, negative, not a decimal, or too large for NUMERIC(28,18)
    │   ├── AmountPrecision         more decimals than the currency's minor units
    │   ├── CurrencyMismatch        a leg's currency differs from its account's
    │   ├── UnbalancedEntry         debits != credits in some currency
    │   ├── UnknownCurrency         not in ledger.currencies
    │   └── InvalidRequest          any other malformed argument (naive datetime, bad account type, ...)
    ├── UnknownAccount (404)
    ├── JournalNotFound (404)
    ├── HoldNotFound (404)
    ├── InsufficientFunds (422)     an account that may not go negative lacks available funds
    └── ConflictError (409)         the request is well-formed but clashes with the ledger's state
        ├── IdempotencyConflict     same reference_id, different content
        ├── AccountExists           same account code, different attributes
        ├── AccountClosed
        ├── AccountNotEmpty         closing an account with a balance or pending holds
        ├── AlreadyReversed         a journal entry can be reversed once
        ├── HoldNotPending          capture/void of a hold that was captured, voided or expired
        ├── HoldExpired             capture after expires_at
        └── ConcurrencyConflict     an event stream moved past the expected version

Every error carries `field` (the argument or JSON path at fault, when there is one) so API clients can
point at it, and `to_problem()` renders RFC 9457 problem details.
"""

from __future__ import annotations

from typing import Any, ClassVar


class LedgerError(Exception):
    code: ClassVar[str] = "ledger_error"
    http_status: ClassVar[int] = 400
    title: ClassVar[str] = "Ledger error"

    def __init__(self, detail: str, *, field: str | None = None, **context: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.context = context

    def to_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://fintra.dev/problems/{self.code.replace('_', '-')}",
            "title": self.title,
            "status": self.http_status,
            "detail": self.detail,
            "code": self.code,
        }
        if self.field is not None:
            problem["field"] = self.field
        if self.context:
            problem["context"] = {k: str(v) for k, v in self.context.items()}
        return problem


class ValidationError(LedgerError):
    code = "validation_error"
    http_status = 422
    title = "Invalid request"


class TooFewLegs(ValidationError):
    code = "too_few_legs"
    title = "A journal entry needs at least two legs"


class InvalidAmount(ValidationError):
    code = "invalid_amount"
    title = "Invalid amount"


class AmountPrecision(ValidationError):
    code = "amount_precision"
    title = "Amount has more decimals than the currency allows"


class CurrencyMismatch(ValidationError):
    code = "currency_mismatch"
    title = "Leg currency differs from the account currency"


class UnbalancedEntry(ValidationError):
    code = "unbalanced_entry"
    title = "Debits and credits differ"


class UnknownCurrency(ValidationError):
    code = "unknown_currency"
    title = "Unknown currency"


class InvalidRequest(ValidationError):
    code = "invalid_request"


class UnknownAccount(LedgerError):
    code = "unknown_account"
    http_status = 404
    title = "Unknown account"


class JournalNotFound(LedgerError):
    code = "journal_not_found"
    http_status = 404
    title = "Journal entry not found"


class HoldNotFound(LedgerError):
    code = "hold_not_found"
    http_status = 404
    title = "Hold not found"


class CaseNotFound(LedgerError):
    code = "case_not_found"
    http_status = 404
    title = "Case not found"


class InsufficientFunds(LedgerError):
    code = "insufficient_funds"
    http_status = 422
    title = "Insufficient available funds"


class ConflictError(LedgerError):
    code = "conflict"
    http_status = 409
    title = "Conflict with the ledger's state"


class IdempotencyConflict(ConflictError):
    code = "idempotency_conflict"
    title = "Reference id reused with different content"


class AccountExists(ConflictError):
    code = "account_exists"
    title = "Account code already used with different attributes"


class AccountClosed(ConflictError):
    code = "account_closed"
    title = "Account is closed"


class AccountNotEmpty(ConflictError):
    code = "account_not_empty"
    title = "Account still has a balance or pending holds"


class AlreadyReversed(ConflictError):
    code = "already_reversed"
    title = "Journal entry already reversed"


class HoldNotPending(ConflictError):
    code = "hold_not_pending"
    title = "Hold is no longer pending"


class HoldExpired(ConflictError):
    code = "hold_expired"
    title = "Hold has expired"


class CaseClosed(ConflictError):
    code = "case_closed"
    title = "Case is closed"


class ConcurrencyConflict(ConflictError):
    code = "concurrency_conflict"
    title = "Stream version moved"


class BatchAborted(ConflictError):
    """An item of an all-or-nothing batch that was valid but not posted because another item was refused."""

    code = "batch_aborted"
    title = "Not posted: another item of the all-or-nothing batch was refused"
