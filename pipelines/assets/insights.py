"""Insights an app shows (spending by category, cash flow, recurring and unusual payments), kept per
customer account so the API serves them without computing them on the request (serving.insights)."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.
import dagster as dg
import psycopg

from fintra.settings import get_settings
from models.merchants.build import NAME as MERCHANTS
from models.merchants.build import resolver_from_registry
from models.registry import Registry
from pipelines.assets.learning import MERCHANTS_KEY
from pipelines.resources import LakeResource, PostgresResource
from serving.insights import DEFAULT_MONTHS, precompute_insights
from serving.schema import migrate
from serving.state import open_views

INSIGHTS_KEY = dg.AssetKey(["serving", "account_insights"])


@dg.asset(
    key=INSIGHTS_KEY,
    deps=[MERCHANTS_KEY, dg.AssetKey(["ledger", "journal_entries"])],
    group_name="serving",
    kinds={"postgres"},
    description=f"Every customer account's insights over its last {DEFAULT_MONTHS} months up to its latest"
    " movement, card payments resolved by the production merchant index, kept in serving.account_insights",
)
def account_insights(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> dg.MaterializeResult:
    """Compute what is not already kept and current (an account that moved since, a new merchant index)."""
    url = postgres.resolved_url()
    migrate(url)
    registry = Registry(lake.lake())
    version = registry.production_version(MERCHANTS)
    resolver = resolver_from_registry(registry, get_settings(), version) if version is not None else None
    store = open_views(get_settings())  # the read store, if one runs: the API serves kept insights from it
    try:
        with psycopg.connect(url) as conn:
            computed, current = precompute_insights(conn, resolver, store=store)
    finally:
        if store is not None:
            store.close()
    context.log.info(f"{computed} accounts' insights computed, {current} still current")
    return dg.MaterializeResult(
        metadata={
            "computed": computed,
            "still_current": current,
            "merchant_index": version or "none",
            "read_store": "kept there too (when it answered)" if store is not None else "none running",
        }
    )
