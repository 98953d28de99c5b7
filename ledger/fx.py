"""Currency conversion through one FX clearing account per currency.

Converting 100 USD to EUR at 0.92 posts four legs: the customer's USD account is debited and
FX-CLEARING-USD credited 100 USD; FX-CLEARING-EUR is debited and the customer's EUR account credited
92 EUR. Each currency balances on its own, and the clearing accounts carry the platform's position.
The target amount is rounded to the target currency's minor unit with the rounding mode the caller
names (banker's rounding by default); the rate, both amounts, the unrounded product and the mode are
recorded on the entry. A fee, in the source currency, adds two legs.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from ledger.accounts import open_account
from ledger.catalog import Catalog
from ledger.errors import CurrencyMismatch, InvalidAmount, InvalidRequest
from ledger.model import AccountType, Fee, JournalEntry, JournalKind, Leg, Transfer
from ledger.money import MAX_SCALE, MONEY, canonical, check_leg_amount, decimals_of, parse_amount
from ledger.posting import draft_transfer, journal_result, write_drafts

ROUNDING_MODES = frozenset(
    {
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_CEILING,
    }
)


def clearing_account_code(currency: str) -> str:
    return f"FX-CLEARING-{currency}"


def ensure_clearing_account(conn: psycopg.Connection[Any], catalog: Catalog, currency: str) -> str:
    """The FX clearing account of `currency`, opened on first use (it may run negative: it is a position)."""
    code = clearing_account_code(currency)
    if code not in catalog.accounts(conn, [code]):
        open_account(
            conn,
            catalog,
            code,
            f"FX clearing {currency}",
            AccountType.ASSET,
            currency,
            allow_negative=True,
            metadata={"role": "fx_clearing"},
        )
    return code


def converted_amount(amount: Decimal, rate: Decimal, minor_units: int, rounding: str) -> tuple[Decimal, Decimal]:
    """(rounded target amount, exact product). Rounding is explicit here and nowhere else."""
    exact = MONEY.multiply(amount, rate)
    rounded = exact.quantize(Decimal(1).scaleb(-minor_units), rounding=rounding, context=decimal.Context(prec=76))
    return rounded, exact


def convert(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    reference_id: str,
    from_account: str,
    to_account: str,
    amount: object,
    rate: object,
    fee: Fee | None = None,
    *,
    rounding: str = decimal.ROUND_HALF_EVEN,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    effective_at: datetime | None = None,
    correlation_id: str | None = None,
) -> JournalEntry:
    """Move `amount` (source currency) out of `from_account` and `amount * rate` into `to_account`."""
    if rounding not in ROUNDING_MODES:
        raise InvalidRequest(f"rounding must be one of {sorted(ROUNDING_MODES)}", field="rounding")
    source = catalog.account(conn, from_account, field="from_account")
    target = catalog.account(conn, to_account, field="to_account")
    if source.currency == target.currency:
        raise CurrencyMismatch(
            f"to_account: both accounts are in {source.currency}; use post() for same-currency transfers",
            field="to_account",
        )
    value = check_leg_amount(
        parse_amount(amount, field="amount"),
        currency=source.currency,
        minor_units=catalog.minor_units(conn, source.currency),
        field="amount",
    )
    fx_rate = parse_amount(rate, field="rate")
    if fx_rate <= 0 or decimals_of(fx_rate) > MAX_SCALE:
        raise InvalidAmount(f"rate must be positive with at most {MAX_SCALE} decimals, got {rate}", field="rate")
    target_amount, exact = converted_amount(value, fx_rate, catalog.minor_units(conn, target.currency), rounding)
    if target_amount <= 0:
        raise InvalidAmount(
            f"amount {canonical(value)} {source.currency} converts to less than one minor unit of {target.currency}",
            field="amount",
        )
    source_clearing = ensure_clearing_account(conn, catalog, source.currency)
    target_clearing = ensure_clearing_account(conn, catalog, target.currency)
    legs = [
        Leg.debit(source.code, value),
        Leg.credit(source_clearing, value),
        Leg.debit(target_clearing, target_amount),
        Leg.credit(target.code, target_amount),
    ]
    fx_record: dict[str, Any] = {
        "rate": canonical(fx_rate),
        "source_currency": source.currency,
        "source_amount": canonical(value),
        "target_currency": target.currency,
        "target_amount": canonical(target_amount),
        "unrounded_target_amount": canonical(exact),
        "rounding": rounding,
    }
    if fee is not None:
        fee_account = catalog.account(conn, fee.account, field="fee.account")
        if fee_account.currency != source.currency:
            raise CurrencyMismatch(
                f"fee.account: {fee_account.code!r} is in {fee_account.currency}; fees are charged in "
                f"{source.currency}",
                field="fee.account",
            )
        fee_amount = check_leg_amount(
            parse_amount(fee.amount, field="fee.amount"),
            currency=source.currency,
            minor_units=catalog.minor_units(conn, source.currency),
            field="fee.amount",
        )
        legs += [Leg.debit(source.code, fee_amount), Leg.credit(fee_account.code, fee_amount)]
        fx_record["fee_amount"] = canonical(fee_amount)
        fx_record["fee_account"] = fee_account.code

    transfer = Transfer(reference_id, legs, description, {**(metadata or {}), "fx": fx_record}, effective_at)
    accounts = catalog.accounts(conn, {leg.account for leg in legs})
    draft = draft_transfer(
        0, transfer, accounts, lambda cur: catalog.minor_units(conn, cur), kind=JournalKind.CONVERSION
    )
    outcome = write_drafts(conn, catalog, [draft], correlation_id=correlation_id)[0]
    return journal_result(conn, draft, outcome, correlation_id)
