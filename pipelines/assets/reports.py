"""Regulatory reports as daily-partitioned assets downstream of the marts they read: each partition is
an immutable report folder `reports/<report>/date=<date>/version=<N>/` in the lake (see pipelines.reporting)."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.
from datetime import date, timedelta

import dagster as dg

from pipelines.partitions import REPORT_DAILY, quiet_beta
from pipelines.reporting.catalog import REPORTS, ReportSpec
from pipelines.reporting.issue import issue_range, verify_issued
from pipelines.resources import LakeResource, PostgresResource


class ReportConfig(dg.Config):
    supersede: bool = False  # issue a new version where an issued report would change


def partition_days(context: dg.AssetExecutionContext) -> list[date]:
    first, last = (date.fromisoformat(k) for k in (context.partition_key_range.start, context.partition_key_range.end))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _report_asset(spec: ReportSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["reports", spec.name]),
        deps=[dg.AssetKey(["analytics", mart]) for mart in spec.marts],
        group_name="reports",
        partitions_def=REPORT_DAILY,
        backfill_policy=dg.BackfillPolicy.single_run(),
        kinds={"csv", "parquet", "html", "pdf"},
        check_specs=[
            dg.AssetCheckSpec(
                "files_and_rows_as_issued",
                asset=dg.AssetKey(["reports", spec.name]),
                description="Every file of each issued day as its manifest hashes it, and the rows the marts give",
            )
        ],
        description=f"{spec.title}: {spec.description} Written to reports/{spec.name}/date=<date>/version=<N>/.",
    )
    def report(
        context: dg.AssetExecutionContext, config: ReportConfig, postgres: PostgresResource, lake: LakeResource
    ) -> dg.MaterializeResult:
        """Issue the report for each selected day; fail naming every day that would change an issued one."""
        store = lake.lake()
        issued, refused = issue_range(
            postgres.resolved_url(),
            store,
            spec,
            partition_days(context),
            pseudonym_key=lake.key(),
            supersede=config.supersede,
            on_day=lambda r: context.log.info(f"{r.report} {r.day}: {r.status} v{r.version}, {r.rows} rows"),
        )
        if refused:
            raise dg.Failure(description="\n".join(str(r) for r in refused))
        problems = verify_issued(postgres.resolved_url(), store, spec, issued)
        return dg.MaterializeResult(
            check_results=[
                dg.AssetCheckResult(
                    check_name="files_and_rows_as_issued",
                    passed=not problems,
                    metadata={"days": len(issued), "problems": "\n".join(problems) or "none"},
                )
            ],
            metadata={
                "days": len(issued),
                "rows": sum(r.rows for r in issued),
                "new_versions": sum(r.status != "unchanged" for r in issued),
                "lake": store.uri("reports", spec.name),
            },
        )

    return report


with quiet_beta():
    REPORT_ASSETS = [_report_asset(spec) for spec in REPORTS.values()]
