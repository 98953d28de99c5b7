"""The outside accounting engine as an asset check of the marts: Beancount re-derives every balance."""

# No `from __future__ import annotations` here: Dagster reads the annotations at definition time.

import dagster as dg

from pipelines.beancount_check import check_with_beancount
from pipelines.resources import PostgresResource
from pipelines.transform import SCHEMA


@dg.asset_check(
    asset=dg.AssetKey([SCHEMA, "rpt_trial_balance"]),
    name="agrees_with_beancount",
    description="Beancount balances every journal exactly and agrees with ledger.balances, fct_daily_balances"
    " and rpt_trial_balance to the last decimal",
)
def agrees_with_beancount(postgres: PostgresResource) -> dg.AssetCheckResult:
    report = check_with_beancount(postgres.resolved_url())
    return dg.AssetCheckResult(
        passed=report.ok,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "transactions": report.transactions,
            "accounts": report.accounts,
            **{f"compared_{name.replace('.', '_')}": count for name, count in report.compared.items()},
            "differences": report.mismatch_count,
            "problems": "\n".join(report.problems()[:20]) or "none",
        },
    )
