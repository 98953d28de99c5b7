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
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import psycopg

from ledger.accounts import AccountSpec, open_accounts
from ledger.catalog import Catalog
from ledger.errors import CurrencyMismatch, InvalidAmount, InvalidRequest, LedgerError
from ledger.model import AccountType, ConversionRequest, JournalEntry, JournalKind, Leg, Transfer
from ledger.money import MAX_SCALE, MONEY, canonical, check_leg_amount, decimals_of, parse_amount
from ledger.payments import Channel
from ledger.posting import Outcome, draft_transfer, journal_result, write_drafts
from ledger.write import Draft

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


def clearing_account_spec(currency: str) -> AccountSpec:
    """The FX clearing account of `currency`: an asset that may run negative (it is the platform's position)."""
    return AccountSpec(
        clearing_account_code(currency),
        f"FX clearing {currency}",
        AccountType.ASSET,
        currency,
        allow_negative=True,
        metadata={"role": "fx_clearing"},
    )


def ensure_clearing_account(conn: psycopg.Connection[Any], catalog: Catalog, currency: str) -> str:
    """The FX clearing account of `currency`, opened on first use."""
    spec = clearing_account_spec(currency)
    if spec.code not in catalog.accounts(conn, [spec.code]):
        result = open_accounts(conn, catalog, [spec])[0]
        if isinstance(result, LedgerError):
            raise result
    return spec.code


def converted_amount(amount: Decimal, rate: Decimal, minor_units: int, rounding: str) -> tuple[Decimal, Decimal]:
    """(rounded target amount, exact product). Rounding is explicit here and nowhere else."""
    exact = MONEY.multiply(amount, rate)
    rounded = exact.quantize(Decimal(1).scaleb(-minor_units), rounding=rounding, context=decimal.Context(prec=76))
    return rounded, exact


def draft_conversion(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    request: ConversionRequest,
    *,
    rounding: str = decimal.ROUND_HALF_EVEN,
    index: int = 0,
    prefix: str = "",
) -> Draft:
    """Validate a conversion and build its four (or six, with a fee) legs; raise the first problem."""
    if rounding not in ROUNDING_MODES:
        raise InvalidRequest(f"rounding must be one of {sorted(ROUNDING_MODES)}", field="rounding")
    source = catalog.account(conn, request.from_account, field=f"{prefix}from_account")
    target = catalog.account(conn, request.to_account, field=f"{prefix}to_account")
    if source.currency == target.currency:
        raise CurrencyMismatch(
            f"{prefix}to_account: both accounts are in {source.currency}; use post() for same-currency transfers",
            field=f"{prefix}to_account",
        )
    value = check_leg_amount(
        parse_amount(request.amount, field=f"{prefix}amount"),
        currency=source.currency,
        minor_units=catalog.minor_units(conn, source.currency),
        field=f"{prefix}amount",
    )
    fx_rate = parse_amount(request.rate, field=f"{prefix}rate")
    if fx_rate <= 0 or decimals_of(fx_rate) > MAX_SCALE:
        raise InvalidAmount(
            f"{prefix}rate must be positive with at most {MAX_SCALE} decimals, got {request.rate}",
            field=f"{prefix}rate",
        )
    target_amount, exact = converted_amount(value, fx_rate, catalog.minor_units(conn, target.currency), rounding)
    if target_amount <= 0:
        raise InvalidAmount(
            f"{prefix}amount {canonical(value)} {source.currency} converts to less than one minor unit of "
            f"{target.currency}",
            field=f"{prefix}amount",
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
    fee = request.fee
    if fee is not None:
        fee_account = catalog.account(conn, fee.account, field=f"{prefix}fee.account")
        if fee_account.currency != source.currency:
            raise CurrencyMismatch(
                f"{prefix}fee.account: {fee_account.code!r} is in {fee_account.currency}; fees are charged in "
                f"{source.currency}",
                field=f"{prefix}fee.account",
            )
        fee_amount = check_leg_amount(
            parse_amount(fee.amount, field=f"{prefix}fee.amount"),
            currency=source.currency,
            minor_units=catalog.minor_units(conn, source.currency),
            field=f"{prefix}fee.amount",
        )
        legs += [Leg.debit(source.code, fee_amount), Leg.credit(fee_account.code, fee_amount)]
        fx_record["fee_amount"] = canonical(fee_amount)
        fx_record["fee_account"] = fee_account.code

    transfer = Transfer(
        request.reference_id,
        legs,
        request.description,
        {**(request.metadata or {}), "fx": fx_record},
        request.effective_at,
    )
    accounts = catalog.accounts(conn, {leg.account for leg in legs})
    crypto = catalog.is_crypto(conn, source.currency) or catalog.is_crypto(conn, target.currency)
    return draft_transfer(
        index,
        transfer,
        accounts,
        lambda cur: catalog.minor_units(conn, cur),
        kind=JournalKind.CONVERSION,
        prefix=prefix,
        inherited=Channel.CRYPTO if crypto else Channel.FX,
    )


def convert_many(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    requests: Sequence[ConversionRequest],
    *,
    rounding: str = decimal.ROUND_HALF_EVEN,
    correlation_id: str | None = None,
    prefix: str = "conversions[{i}].",
) -> tuple[list[Draft], dict[int, Outcome]]:
    """Convert each request in one transaction; the drafts written and an outcome per request index."""
    drafts: list[Draft] = []
    outcomes: dict[int, Outcome] = {}
    for i, request in enumerate(requests):
        try:
            drafts.append(
                draft_conversion(conn, catalog, request, rounding=rounding, index=i, prefix=prefix.format(i=i))
            )
        except LedgerError as exc:
            outcomes[i] = Outcome(error=exc)
    outcomes.update(write_drafts(conn, catalog, drafts, correlation_id=correlation_id))
    return drafts, outcomes


def convert(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    request: ConversionRequest,
    *,
    rounding: str = decimal.ROUND_HALF_EVEN,
    correlation_id: str | None = None,
) -> JournalEntry:
    """Move `amount` (source currency) out of `from_account` and `amount * rate` into `to_account`."""
    drafts, outcomes = convert_many(
        conn, catalog, [request], rounding=rounding, correlation_id=correlation_id, prefix=""
    )
    if outcomes[0].error is not None:
        raise outcomes[0].error
    return journal_result(conn, drafts[0], outcomes[0], correlation_id)
