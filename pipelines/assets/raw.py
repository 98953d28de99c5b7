"""Raw ledger tables in the lake: daily partitions of journal entries, entries, holds and ticks (the
ledger's quiet history before its first dense day extracted by one run: `pipelines.history`), daily
snapshots of the reference tables, and the event store appended by its commit-safe (txid, seq)
watermark. Each materialisation checks what it wrote against PostgreSQL."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.
from datetime import UTC, date, datetime, timedelta

import dagster as dg

from pipelines.assets.ledger import ledger_table
from pipelines.checks import check_range, declared_schema
from pipelines.event_stream import DATASET as STREAM_DATASET
from pipelines.event_stream import settle
from pipelines.events import DATASET, event_problems, extract_events
from pipelines.extract import TABLES, extract_range
from pipelines.history import HISTORY_TABLES, data_range, history_window
from pipelines.partitions import DAILY, quiet_beta
from pipelines.resources import LakeResource, PostgresResource

DAILY_TABLES = HISTORY_TABLES
SNAPSHOT_TABLES = ("accounts", "balances", "currencies", "customers", "customer_pii")
CHECK = "matches_source"
STREAM_CHECK = "stream_reconciles"


def matches_source(problems: list[str]) -> dg.AssetCheckResult:
    """The `matches_source` check of what an asset wrote: failed (an error) when there is any problem, with
    the first 20 of them."""
    return dg.AssetCheckResult(
        check_name=CHECK,
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"problems": "\n".join(problems[:20]) or "none"},
    )


def _raw_asset(table: str, partitioned: bool) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", "ledger", table])

    @dg.asset(
        key=key,
        deps=[ledger_table(table)],
        group_name="raw_ledger",
        partitions_def=DAILY if partitioned else None,
        backfill_policy=dg.BackfillPolicy.single_run() if partitioned else None,
        check_specs=[dg.AssetCheckSpec(CHECK, asset=key, description="rows, money and schema equal PostgreSQL")],
        kinds={"postgres", "parquet"},
        description=f"ledger.{table} as zstd Parquet under raw/ledger/{table}/date=YYYY-MM-DD/",
    )
    def raw_table(
        context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
    ) -> dg.MaterializeResult:
        """Extract the selected days (or today's snapshot) and verify each partition written."""
        pg, store = postgres.resolved_url(), lake.lake()
        if partitioned:
            first, last = (
                date.fromisoformat(k) for k in (context.partition_key_range.start, context.partition_key_range.end)
            )
        else:
            first = last = datetime.now(UTC).date()
        # No log line per day written: each is an event Dagster stores, and a backfill's range can hold
        # hundreds of days (the rows of each partition are in the lake's files; the totals in the metadata).
        writes = extract_range(pg, store, table, first, last, pseudonym_key=lake.key())
        verdict = check_range(pg, store, table, first, last, declared_schema(pg, TABLES[table]))
        problems = verdict.problems
        # per-currency debit and credit totals of what was written (entries), as exact decimal strings
        sums = {"sums": dg.MetadataValue.json({k: str(v) for k, v in verdict.totals.items()})} if verdict.totals else {}
        return dg.MaterializeResult(
            metadata={
                "rows": sum(w.rows for w in writes),
                "bytes": sum(w.bytes for w in writes),
                "partitions_written": len([w for w in writes if w.rows]),
                "lake": store.uri(TABLES[table].dataset),
                **sums,
            },
            check_results=[matches_source(problems)],
        )

    return raw_table


with quiet_beta():
    RAW_DAILY = [_raw_asset(t, partitioned=True) for t in DAILY_TABLES]
    RAW_SNAPSHOTS = [_raw_asset(t, partitioned=False) for t in SNAPSHOT_TABLES]


@dg.asset(
    key=dg.AssetKey(["raw", "ledger", "event_store"]),
    deps=[ledger_table("event_store")],
    group_name="raw_ledger",
    check_specs=[
        dg.AssetCheckSpec(
            CHECK, asset=dg.AssetKey(["raw", "ledger", "event_store"]), description="events per day equal PostgreSQL"
        ),
        dg.AssetCheckSpec(
            STREAM_CHECK,
            asset=dg.AssetKey(["raw", "ledger", "event_store"]),
            description="the near-real-time events from the bus (raw/stream/event_store) equal this extraction",
        ),
    ],
    kinds={"postgres", "parquet"},
    description="ledger.event_store, appended by commit-safe (txid, seq) watermark into"
    " raw/ledger/event_store/date=YYYY-MM-DD/ (partitioned by occurred_at); then the bus's near-real-time copy"
    " (raw/stream/event_store, `fintra lake stream`) compacted to a file per day and reconciled with it",
)
def raw_event_store(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> dg.MaterializeResult:
    """Append the events committed since the lake's watermark, then verify the whole dataset."""
    pg, store = postgres.resolved_url(), lake.lake()
    run = extract_events(pg, store)
    problems = event_problems(pg, store)
    compacted, stream = settle(pg, store)
    if stream.problems:
        context.log.error(f"the stream lake disagrees with the batch: {stream.problems[0]}")
    return dg.MaterializeResult(
        metadata={
            "new_events": run.events,
            "watermark": f"{run.watermark.txid}:{run.watermark.seq}",
            "previous_watermark": f"{run.previous.txid}:{run.previous.seq}",
            "partitions_written": len(run.partitions),
            "bytes": sum(w.bytes for w in run.partitions),
            "lake": store.uri(DATASET),
            "stream_days_compacted": compacted,
        },
        check_results=[
            matches_source(problems),
            dg.AssetCheckResult(
                check_name=STREAM_CHECK,
                passed=not stream.problems,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    "problems": "\n".join(stream.problems[:20]) or "none",
                    "events_compared": stream.compared,
                    "not_yet_consumed": stream.lagging,
                    "not_consumed_long_after_publication": stream.stale,
                    "beyond_the_batch": stream.beyond,
                    "days_read": stream.days_read,
                    "days_unchanged_since_reconciled": stream.days_unchanged,
                    "lake": store.uri(STREAM_DATASET),
                },
            ),
        ],
    )


HISTORY_KEY = dg.AssetKey(["raw", "ledger", "history"])


class HistoryDays(dg.Config):
    """The days to extract (ISO dates); both empty: from the ledger's first day up to the day before
    its first dense day (`pipelines.history`)."""

    first: str = ""
    last: str = ""


@dg.asset(
    key=HISTORY_KEY,
    deps=[ledger_table(t) for t in HISTORY_TABLES],
    group_name="raw_ledger",
    check_specs=[dg.AssetCheckSpec(CHECK, asset=HISTORY_KEY, description="rows, money and schema equal PostgreSQL")],
    kinds={"postgres", "parquet"},
    description="The daily tables' days before the ledger's first dense day, in one run, into the same"
    " raw/ledger/<table>/date=YYYY-MM-DD/ partitions as the daily assets",
)
def raw_history(
    context: dg.AssetExecutionContext, config: HistoryDays, postgres: PostgresResource, lake: LakeResource
) -> dg.MaterializeResult:
    """Extract and verify every daily table over the history's days."""
    pg, store = postgres.resolved_url(), lake.lake()
    if config.first or config.last:
        try:
            window = (date.fromisoformat(config.first), date.fromisoformat(config.last))
        except ValueError as exc:
            raise dg.Failure(f"raw/ledger/history: first and last must both be ISO dates ({exc})") from None
        if window[1] < window[0]:
            raise dg.Failure(f"raw/ledger/history: last {config.last} is before first {config.first}")
    else:
        span = data_range(pg)
        today = datetime.now(UTC).date()
        window = history_window(pg, span[0], today, partitions_start=DAILY.start.date()) if span is not None else None
    problems: list[str] = []
    # every table named, with nothing written when there is no quiet history: a run's metadata has one shape
    rows = dict.fromkeys(HISTORY_TABLES, 0)
    written = partitions = 0
    if window is not None:
        first, last = window
        for table in HISTORY_TABLES:
            writes = extract_range(pg, store, table, first, last, pseudonym_key=lake.key())
            rows[table] = sum(w.rows for w in writes)
            written += sum(w.bytes for w in writes)
            partitions += len([w for w in writes if w.rows])
            verdict = check_range(pg, store, table, first, last, declared_schema(pg, TABLES[table]))
            problems += [f"{table} {problem}" for problem in verdict.problems]
    else:
        context.log.info("raw/ledger/history: no quiet history (the ledger is empty or dense from its first day)")
    return dg.MaterializeResult(
        metadata={
            "history": f"{window[0].isoformat()} to {window[1].isoformat()}" if window else "none: every day is dense",
            "first": window[0].isoformat() if window else "",
            "last": window[1].isoformat() if window else "",
            "daily_partitions_from": (window[1] + timedelta(days=1)).isoformat() if window else "the first day",
            **{f"rows_{table}": n for table, n in rows.items()},
            "bytes": written,
            "partitions_written": partitions,
            "lake": store.uri("raw/ledger"),
        },
        check_results=[matches_source(problems)],
    )
