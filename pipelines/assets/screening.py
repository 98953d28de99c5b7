"""Counterparty names screened against the watch list (pipelines.screening): a source of the compliance
marts, refreshed before them in every run that builds them."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.

import dagster as dg

from pipelines.assets.ledger import ledger_table
from pipelines.resources import PostgresResource
from pipelines.screening import screen_counterparties

SCREENING_KEY = dg.AssetKey(["screening", "counterparty_matches"])


@dg.asset(
    key=SCREENING_KEY,
    deps=[ledger_table("journal_entries")],
    group_name="compliance",
    kinds={"python", "postgres"},
)
def counterparty_screening(context: dg.AssetExecutionContext, postgres: PostgresResource) -> dg.MaterializeResult:
    """New counterparty names screened against the watch list (screening.counterparty_matches)."""
    run = screen_counterparties(postgres.resolved_url())
    context.log.info(f"screened {run.screened} new names, {run.matches} possible matches (list {run.list_version})")
    return dg.MaterializeResult(
        metadata={"screened": run.screened, "matches": run.matches, "list_version": run.list_version}
    )
