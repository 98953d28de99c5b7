"""The dbt marts on a simulated ledger: the alert rules against the simulator's ground truth, the books
every day, and the incremental daily balances against a full rebuild."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import yaml

from pipelines.reporting.catalog import ALERT_MARTS
from pipelines.transform import PROJECT_DIR, run_dbt

# What each typology is meant to trip, and the rules (alert marts' `rule`) that target it.
TARGETS = {
    "structuring": {"STRUCTURING"},
    "account_takeover": {"OUTBOUND_TRANSFER_VELOCITY"},
    "card_testing": {"CARD_TESTING_ACCOUNT"},
    "money_mule": {"FUNNEL_ACCOUNT"},
    "round_tripping": {"ROUND_TRIP"},
    "dormant_reactivation": {"DORMANT_REACTIVATION"},
    "watchlist_payment": {"SANCTIONS_SCREENING"},
}
ALERTS = " UNION ALL ".join(f"SELECT rule, reference_ids FROM analytics.{mart}" for mart in ALERT_MARTS)


@pytest.fixture(scope="module")
def outcomes(compliance_db: str) -> tuple[dict[str, list[set[str]]], list[tuple[str, set[str]]]]:
    """Per labelled case, the ledger references it covers (by typology); and every alert with its references."""
    with psycopg.connect(compliance_db) as conn:
        labelled = conn.execute(
            "SELECT l.typology, array_agg(e.reference_id) FROM sim.labels AS l"
            " JOIN sim.label_entries AS e USING (label_id) GROUP BY l.label_id, l.typology"
        ).fetchall()
        alerts = [(rule, set(refs)) for rule, refs in conn.execute(ALERTS).fetchall()]
    cases: dict[str, list[set[str]]] = {}
    for typology, refs in labelled:
        cases.setdefault(typology, []).append(set(refs))
    return cases, alerts


@pytest.mark.parametrize("typology", sorted(TARGETS))
def test_each_rule_finds_at_least_90_percent_of_the_cases_it_targets(
    outcomes: tuple[dict[str, list[set[str]]], list[tuple[str, set[str]]]], typology: str
) -> None:
    cases, alerts = outcomes
    assert len(cases[typology]) >= 6, "the dataset must hold enough cases to measure recall"
    found = [case for case in cases[typology] if any(r in TARGETS[typology] and refs & case for r, refs in alerts)]
    assert len(found) / len(cases[typology]) >= 0.9, f"{typology}: {len(found)} of {len(cases[typology])}"


@pytest.mark.parametrize("rule", sorted(set().union(*TARGETS.values())))
def test_each_rule_mostly_alerts_on_labelled_activity(
    outcomes: tuple[dict[str, list[set[str]]], list[tuple[str, set[str]]]], rule: str
) -> None:
    """A rule that alerted on everything would find every case; most of its alerts must be real ones."""
    cases, alerts = outcomes
    labelled = set().union(*(refs for per_typology in cases.values() for refs in per_typology))
    fired = [refs for r, refs in alerts if r == rule]
    assert fired, f"{rule} raised no alert"
    unlabelled = [refs for refs in fired if not refs & labelled]
    assert len(unlabelled) <= 0.2 * len(fired), f"{rule}: {len(unlabelled)} of {len(fired)} alerts unlabelled"


def test_the_books_hold_every_day(compliance_db: str) -> None:
    with psycopg.connect(compliance_db) as conn:
        days = conn.execute(
            "SELECT count(DISTINCT business_date), count(*) FILTER (WHERE total_debits <> total_credits)"
            " FROM analytics.rpt_trial_balance"
        ).fetchone()
        unreconciled = conn.execute("SELECT count(*) FROM analytics.rpt_balance_reconciliation").fetchone()[0]
        closing = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE d.closing_balance <> b.posted)"
            " FROM analytics.fct_daily_balances AS d JOIN ledger.balances AS b USING (account_id)"
            " WHERE d.business_date = (SELECT max(business_date) FROM analytics.fct_daily_balances)"
        ).fetchone()
        shortfalls = conn.execute("SELECT count(*) FROM analytics.rpt_safeguarding WHERE is_shortfall").fetchone()[0]
    assert days[0] >= 35 and days[1] == 0
    assert unreconciled == 0
    assert closing[0] > 400 and closing[1] == 0
    assert shortfalls == 0


def test_the_recorded_thresholds_are_every_project_var() -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    model = (PROJECT_DIR / "models" / "compliance" / "dim_alert_thresholds.sql").read_text()
    missing = [name for name in project["vars"] if f"'{name}'" not in model]
    assert not missing, f"dim_alert_thresholds does not record {missing}"


def test_incremental_daily_balances_equal_a_full_rebuild(pg_server: str, tmp_path: Path) -> None:
    """New postings, one of them back-dated into an earlier day: the incremental run recomputes from that
    day and ends equal to a rebuild from scratch."""
    from datetime import UTC, date, datetime

    from fintra.database import create_database
    from ledger import Ledger, cash_deposit
    from ledger.simulator.engine import SimulationConfig, simulate

    url = create_database(pg_server, "t_marts_incremental", drop_existing=True)
    simulate(url, SimulationConfig(customers=30, days=4, start=date(2026, 6, 1), seed=21))
    # the lines (a table) rebuilt, the daily balances incrementally; tests of models not selected left out
    select = ["--select", "+fct_daily_balances", "--indirect-selection", "cautious"]
    assert run_dbt(["build"], url, capture=True).returncode == 0
    history = (
        "SELECT business_date, closing_balance FROM analytics.fct_daily_balances AS d"
        " JOIN ledger.accounts AS a USING (account_id) WHERE a.code = %s ORDER BY 1"
    )
    with psycopg.connect(url) as conn:
        customer = conn.execute(
            "SELECT code FROM ledger.accounts WHERE customer_id IS NOT NULL AND currency = 'USD' ORDER BY 1 LIMIT 1"
        ).fetchone()[0]
        before = dict(conn.execute(history, (customer,)).fetchall())
    with Ledger(url) as ledger:
        late = datetime(2026, 6, 2, 12, tzinfo=UTC)  # back-dated two days
        ledger.move(cash_deposit("late-deposit", customer, "250.75", effective_at=late))
        ledger.move(cash_deposit("new-day", customer, "10", effective_at=datetime(2026, 6, 5, 9, tzinfo=UTC)))
    assert run_dbt(["build", *select], url, capture=True).returncode == 0
    query = (
        "SELECT account_id, business_date, debits, credits, closing_balance, closing_balance_usd"
        " FROM analytics.fct_daily_balances ORDER BY 1, 2"
    )
    with psycopg.connect(url) as conn:
        incremental = conn.execute(query).fetchall()
        after = dict(conn.execute(history, (customer,)).fetchall())
    assert run_dbt(["build", *select, "--full-refresh"], url, capture=True).returncode == 0
    with psycopg.connect(url) as conn:
        rebuilt = conn.execute(query).fetchall()
    assert incremental == rebuilt
    assert after[date(2026, 6, 1)] == before[date(2026, 6, 1)]
    assert all(after[d] - before[d] == Decimal("250.75") for d in before if d >= date(2026, 6, 2))
    assert after[date(2026, 6, 5)] == after[date(2026, 6, 4)] + 10  # a new day, carried forward
