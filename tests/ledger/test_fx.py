"""FX conversion through per-currency clearing accounts."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import psycopg
import pytest

from ledger import (
    AccountType,
    AmountPrecision,
    CurrencyMismatch,
    Direction,
    Fee,
    InvalidAmount,
    InvalidRequest,
    JournalKind,
    Ledger,
    Leg,
)
from tests.ledger.helpers import counts, unbalanced_currencies

D = Decimal


@pytest.fixture
def wallets(ledger: Ledger, uid: str) -> dict[str, str]:
    codes = {
        "cash": f"{uid}-CASH-USD",
        "usd": f"{uid}-C-USD",
        "eur": f"{uid}-C-EUR",
        "jpy": f"{uid}-C-JPY",
        "btc": f"{uid}-C-BTC",
        "fees": f"{uid}-FEES-USD",
        "fees_eur": f"{uid}-FEES-EUR",
    }
    ledger.open_account(codes["cash"], "Cash", AccountType.ASSET, "USD")
    for key, cur in [("usd", "USD"), ("eur", "EUR"), ("jpy", "JPY"), ("btc", "BTC")]:
        ledger.open_account(codes[key], f"Customer {cur}", AccountType.LIABILITY, cur)
    ledger.open_account(codes["fees"], "Fees", AccountType.REVENUE, "USD")
    ledger.open_account(codes["fees_eur"], "Fees EUR", AccountType.REVENUE, "EUR")
    ledger.post(f"{uid}-dep", [Leg.debit(codes["cash"], "5000"), Leg.credit(codes["usd"], "5000")])
    return codes


def test_conversion_posts_through_both_clearing_accounts(
    ledger: Ledger, uid: str, wallets: dict[str, str], conn: psycopg.Connection
) -> None:
    entry = ledger.convert(
        f"{uid}-fx", wallets["usd"], wallets["eur"], "1000.00", "0.91373", fee=Fee("2.50", wallets["fees"])
    )
    assert entry.kind is JournalKind.CONVERSION
    assert [(leg.account, leg.direction, leg.amount, leg.currency) for leg in entry.legs] == [
        (wallets["usd"], Direction.DEBIT, D("1000"), "USD"),
        ("FX-CLEARING-USD", Direction.CREDIT, D("1000"), "USD"),
        ("FX-CLEARING-EUR", Direction.DEBIT, D("913.73"), "EUR"),
        (wallets["eur"], Direction.CREDIT, D("913.73"), "EUR"),
        (wallets["usd"], Direction.DEBIT, D("2.5"), "USD"),
        (wallets["fees"], Direction.CREDIT, D("2.5"), "USD"),
    ]
    assert entry.metadata["fx"] == {
        "rate": "0.91373",
        "source_currency": "USD",
        "source_amount": "1000",
        "target_currency": "EUR",
        "target_amount": "913.73",
        "unrounded_target_amount": "913.73",
        "rounding": "ROUND_HALF_EVEN",
        "fee_amount": "2.5",
        "fee_account": wallets["fees"],
    }
    assert ledger.balance(wallets["usd"]).posted == D("3997.5")
    assert ledger.balance(wallets["eur"]).posted == D("913.73")
    assert unbalanced_currencies(conn) == []
    assert ledger.convert(
        f"{uid}-fx", wallets["usd"], wallets["eur"], "1000.00", "0.91373", fee=Fee("2.50", wallets["fees"])
    ).replayed


def test_rounding_is_explicit_and_recorded(ledger: Ledger, uid: str, wallets: dict[str, str]) -> None:
    to_jpy = ledger.convert(f"{uid}-jpy", wallets["usd"], wallets["jpy"], "10.01", "151.235")
    assert to_jpy.legs[3].amount == D("1514")  # 1513.86235 → 1514 (half-even to 0 decimals)
    assert to_jpy.metadata["fx"]["unrounded_target_amount"] == "1513.86235"
    down = ledger.convert(f"{uid}-jpy-down", wallets["usd"], wallets["jpy"], "10.01", "151.235", rounding=ROUND_DOWN)
    assert down.legs[3].amount == D("1513") and down.metadata["fx"]["rounding"] == "ROUND_DOWN"
    to_btc = ledger.convert(f"{uid}-btc", wallets["usd"], wallets["btc"], "100", "0.0000104123456")
    assert to_btc.legs[3].amount == D("0.00104123")  # 8 decimals for BTC


def test_conversion_errors_write_nothing(
    ledger: Ledger, uid: str, wallets: dict[str, str], conn: psycopg.Connection
) -> None:
    ledger.convert(f"{uid}-warm", wallets["usd"], wallets["eur"], "1", "0.9")  # clearing accounts exist now
    before = counts(conn)
    cases = [
        (dict(to_account=wallets["usd"]), CurrencyMismatch, "to_account"),
        (dict(rate="0"), InvalidAmount, "rate"),
        (dict(rate=0.9), InvalidAmount, "rate"),
        (dict(amount="0.001"), AmountPrecision, "amount"),
        (dict(amount="0.01", rate="0.0001"), InvalidAmount, "amount"),
        (dict(fee=Fee("1", wallets["fees_eur"])), CurrencyMismatch, "fee.account"),
        (dict(fee=Fee("0.001", wallets["fees"])), AmountPrecision, "fee.amount"),
        (dict(rounding="ROUND_SOMETIMES"), InvalidRequest, "rounding"),
    ]
    for overrides, error, field in cases:
        args = (
            dict(
                reference_id=f"{uid}-bad",
                from_account=wallets["usd"],
                to_account=wallets["eur"],
                amount="10",
                rate="0.9",
            )
            | overrides
        )
        with pytest.raises(error) as err:
            ledger.convert(**args)
        assert err.value.field == field, overrides
    assert counts(conn) == before


def test_convert_many(ledger: Ledger, uid: str, wallets: dict[str, str], conn: psycopg.Connection) -> None:
    from ledger import ConversionRequest

    result = ledger.convert_many(
        [
            ConversionRequest(f"{uid}-m1", wallets["usd"], wallets["eur"], "100", "0.9"),
            ConversionRequest(f"{uid}-m2", wallets["usd"], wallets["btc"], "100", "0.00001"),
            ConversionRequest(f"{uid}-m3", wallets["usd"], wallets["eur"], "999999", "0.9"),
            ConversionRequest(f"{uid}-m4", wallets["usd"], wallets["usd"], "1", "1"),
        ]
    )
    assert result.posted == 2
    assert [(r.index, type(r.error).__name__, r.error.field) for r in result.rejected] == [
        (2, "InsufficientFunds", "conversions[2].legs[0].account"),
        (3, "CurrencyMismatch", "conversions[3].to_account"),
    ]
    assert ledger.balance(wallets["eur"]).posted == D("90")
    assert ledger.balance(wallets["btc"]).posted == D("0.001")
    assert unbalanced_currencies(conn) == []
