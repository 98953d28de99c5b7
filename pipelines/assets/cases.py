"""The case queue fed from the compliance marts (pipelines.cases), after every build of them."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.

import dagster as dg

from pipelines.cases import cases_from_alerts
from pipelines.resources import PostgresResource
from pipelines.transform import SCHEMA


@dg.asset(
    key=dg.AssetKey(["compliance", "case_intake"]),
    deps=[dg.AssetKey([SCHEMA, "fct_aml_alerts"])],
    group_name="compliance",
    kinds={"python", "postgres"},
)
def compliance_cases(context: dg.AssetExecutionContext, postgres: PostgresResource) -> dg.MaterializeResult:
    """New alerts as cases: evidence added to the open case of the same customer and rule, else a new case."""
    intake = cases_from_alerts(postgres.resolved_url())
    context.log.info(f"{intake.opened} cases opened, {intake.added} alerts added to open cases")
    return dg.MaterializeResult(
        metadata={"opened": intake.opened, "added_to_open_cases": intake.added, "already_linked": intake.known}
    )
