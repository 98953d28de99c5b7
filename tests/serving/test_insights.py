"""Insights an app can show, on hand-made payments: the next monthly payment on its usual day of the month,
a recurring payment never unusual at its amount, amounts at the currency's precision, readable labels."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from serving.insights import Payment, at_precision, label, recurring, unusual


def _paid(day: date, amount: str, payee: str = "Payee") -> Payment:
    return Payment(f"r-{payee}-{day}", datetime(day.year, day.month, day.day, 9, tzinfo=UTC), Decimal(amount),
                   "TRANSFER", "ach", payee)  # fmt: skip


def test_a_fee_taken_on_the_first_is_next_due_on_the_first() -> None:
    fee = [_paid(date(2026, 1, 1), "4.99"), _paid(date(2026, 2, 1), "4.99"), _paid(date(2026, 3, 1), "4.99")]
    (found,) = recurring({"Bank fee": fee})
    assert (found["cadence"], found["next_expected_on"], found["typical_amount"]) == ("monthly", "2026-04-01", "4.99")


def test_a_payment_on_the_31st_is_due_on_the_last_day_of_a_shorter_month() -> None:
    rent = [_paid(date(2025, 10, 31), "950"), _paid(date(2025, 12, 1), "950"), _paid(date(2025, 12, 31), "950")]
    (found,) = recurring({"Landlord": rent})
    assert found["next_expected_on"] == "2026-01-31" and found["typical_amount"] == "950.00"
    (weekly,) = recurring({"Gym": [_paid(date(2026, 3, d), "12") for d in (2, 9, 16)]})
    assert (weekly["cadence"], weekly["next_expected_on"]) == ("weekly", "2026-03-23")


def test_the_rent_is_never_unusual_but_a_one_off_is() -> None:
    small = [_paid(date(2026, 1, d), "20", f"Shop {d}") for d in range(2, 20)]
    rent = [_paid(date(2026, m, 1), "1500", "Landlord") for m in (1, 2, 3)]
    one_off = _paid(date(2026, 3, 10), "1200", "Jeweller")
    payments = sorted([*small, *rent, one_off], key=lambda p: p.at)
    expected = {r["payee"] for r in recurring({"Landlord": rent})}
    flagged = unusual(payments, {}, 2, expected=expected)
    assert [f["payee"] for f in flagged] == ["Jeweller"] and flagged[0]["amount"] == "1200.00"
    assert {f["payee"] for f in unusual(payments, {}, 2)} == {"Jeweller", "Landlord"}  # what it used to say


def test_amounts_at_the_currencys_precision_and_labels() -> None:
    assert at_precision(Decimal("194.1"), 2) == "194.10" and at_precision(Decimal("1000"), 0) == "1000"
    assert at_precision(Decimal("0.1"), 8) == "0.10000000"
    assert label("fast_food") == "Fast food" and label("grocery") == "Grocery"
