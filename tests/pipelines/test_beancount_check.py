"""Beancount, an accounting engine nobody on the project wrote, re-derives every balance of the simulated
ledger and agrees with the projection and the marts exactly; an error of 1e-18 anywhere is caught."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pytest

from pipelines.beancount_check import check_connection, check_with_beancount, export

TINY = Decimal("1e-18")


@pytest.fixture
def planting(compliance_db: str) -> Iterator[psycopg.Connection]:
    """A transaction on the compliance database that is always rolled back: plant an error, check, undo."""
    with psycopg.connect(compliance_db) as conn:
        yield conn
        conn.rollback()


def test_beancount_agrees_with_the_ledger_and_the_marts(compliance_db: str) -> None:
    report = check_with_beancount(compliance_db)
    assert report.ok, report.problems()
    assert report.transactions > 1000 and report.accounts > 50
    assert report.compared["ledger.balances"] == report.accounts
    assert report.compared["fct_daily_balances"] > report.accounts
    assert report.compared["rpt_trial_balance"] > 0


def test_a_projection_off_by_1e_18_is_found(planting: psycopg.Connection) -> None:
    account_id, code = planting.execute(
        "SELECT b.account_id, a.code FROM ledger.balances b JOIN ledger.accounts a USING (account_id)"
        " WHERE b.allow_negative ORDER BY b.version DESC LIMIT 1"
    ).fetchone()
    planting.execute("UPDATE ledger.balances SET posted = posted + %s WHERE account_id = %s", (TINY, account_id))
    report = check_connection(planting)
    assert not report.ok and report.mismatch_count == 1
    assert report.mismatches[0].startswith(f"ledger.balances {code}:")


def test_a_daily_balance_off_by_1e_18_is_found(planting: psycopg.Connection) -> None:
    account_id, day = planting.execute(
        "SELECT account_id, business_date FROM analytics.fct_daily_balances ORDER BY debits DESC LIMIT 1"
    ).fetchone()
    planting.execute(
        "UPDATE analytics.fct_daily_balances SET closing_balance = closing_balance - %s"
        " WHERE account_id = %s AND business_date = %s",
        (TINY, account_id, day),
    )
    report = check_connection(planting)
    assert report.mismatch_count == 1 and f" {day}: closing/debits/credits" in report.mismatches[0]


def test_a_missing_daily_row_and_a_trial_balance_off_by_1e_18_are_found(planting: psycopg.Connection) -> None:
    planting.execute(
        "DELETE FROM analytics.fct_daily_balances WHERE (account_id, business_date) ="
        " (SELECT account_id, max(business_date) FROM analytics.fct_daily_balances GROUP BY 1 ORDER BY 1 LIMIT 1)"
    )
    planting.execute(
        "UPDATE analytics.rpt_trial_balance SET total_credits = total_credits + %s"
        " WHERE (business_date, currency) = (SELECT business_date, currency FROM analytics.rpt_trial_balance LIMIT 1)",
        (TINY,),
    )
    report = check_connection(planting)
    assert any("daily rows" in m for m in report.mismatches)
    assert any(m.startswith("rpt_trial_balance") for m in report.mismatches)


def test_a_journal_unbalanced_by_1e_18_is_refused_by_beancount(planting: psycopg.Connection) -> None:
    # one more leg of 1e-18 on a posted journal (rolled back before the ledger's commit-time check runs)
    planting.execute(
        "INSERT INTO ledger.entries (journal_id, leg_no, account_id, direction, amount, currency, effective_at)"
        " SELECT journal_id, 99, account_id, 'DEBIT', %s, currency, effective_at FROM ledger.entries"
        " WHERE currency = 'USD' ORDER BY entry_id LIMIT 1",
        (TINY,),
    )
    report = check_connection(planting, marts=False)
    assert any("does not balance" in e for e in report.errors), report.errors


def test_the_export_keeps_every_decimal_and_names_accounts_for_beancount() -> None:
    from datetime import UTC, date, datetime

    from pipelines.beancount_check import _Account

    accounts = {
        1: _Account(1, "Assets:Cash-USD", "cash usd", "DEBIT", "USD", date(2026, 1, 1)),
        2: _Account(2, "Liabilities:C1-USD", "c1:usd", "CREDIT", "USD", date(2026, 1, 1)),
    }
    at = datetime(2026, 1, 2, tzinfo=UTC)
    text = export(
        accounts,
        [
            (7, date(2026, 1, 2), at, 1, "DEBIT", "0.000000000000000001", "USD"),
            (7, date(2026, 1, 2), at, 2, "CREDIT", "0.000000000000000001", "USD"),
        ],
    )
    assert "  Assets:Cash-USD  0.000000000000000001 USD" in text
    assert "  Liabilities:C1-USD  -0.000000000000000001 USD" in text
    assert 'option "inferred_tolerance_default" "*:0"' in text
