"""Point-in-time features of every historical outgoing transfer, from the lake, into the lake.

Reads `raw/ledger/{entries,journal_entries,accounts,customers,currencies,ticks}` (the latest snapshot of
reference tables), builds the movements (`features.movements`) and computes `feature_frame` month by
month (each month's transfers against the movements of the LOOKBACK before them), writing
`features/transfers/date=YYYY-MM-DD/` partitions: the transfer's keys and every feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import polars as pl

from features.definitions import FEATURE_NAMES, LOOKBACK, feature_frame
from features.movements import LEGS_SCHEMA, movements
from fintra.lake import Lake, PartitionWrite

DATASET = "features/transfers"
KEYS = ("target_id", "account_id", "customer_id", "ts", "channel", "counterparty", "amount_usd")


@dataclass(frozen=True, slots=True)
class LakeTables:
    """The raw tables the features read, as polars frames."""

    legs: pl.DataFrame  # LEGS_SCHEMA
    accounts: pl.DataFrame
    customers: pl.DataFrame
    currencies: pl.DataFrame


def _latest(lake: Lake, dataset: str) -> pl.DataFrame:
    partitions = lake.partitions(dataset)
    if not partitions:
        raise FileNotFoundError(f"{lake.uri(dataset)} has no partition: run the lake extraction first (fintra run)")
    return pl.from_arrow(lake.read_partition(dataset, partitions[-1]))  # type: ignore[return-value]


def read_lake(lake: Lake) -> LakeTables:
    accounts = _latest(lake, "raw/ledger/accounts")
    journals = (
        lake.scan("raw/ledger/journal_entries")
        .select(
            "journal_id",
            "reference_id",
            "kind",
            "channel",
            "counterparty_name",
        )
        .collect()
    )
    ticks = (
        lake.scan("raw/ledger/ticks")
        .filter(pl.col("symbol").str.ends_with("/USD"))
        .select(pl.col("symbol"), pl.col("ts").alias("priced_at"), pl.col("price"))
        .sort("priced_at")
        .collect()
    )
    entries = (
        lake.scan("raw/ledger/entries")
        .select(
            "entry_id",
            "journal_id",
            "account_id",
            "direction",
            "amount",
            "currency",
            pl.col("effective_at").alias("ts"),
        )
        .collect()
        .with_columns(symbol=pl.col("currency") + "/USD")
        .sort("ts")
    )
    # the price in force at each leg's time: the last tick at or before it (as ledger.price_at)
    priced = entries.join_asof(
        ticks, left_on="ts", right_on="priced_at", by="symbol", strategy="backward", check_sortedness=False
    )
    legs = (
        priced.with_columns(
            usd_rate=pl.when(pl.col("currency") == "USD").then(pl.lit(1).cast(pl.Decimal(38, 18))).otherwise("price")
        )
        .join(journals, on="journal_id")
        .join(
            accounts.select("account_id", pl.col("code").alias("account_code"), "customer_id", "normal_side"),
            on="account_id",
        )
        .select(list(LEGS_SCHEMA))
    )
    return LakeTables(
        legs=legs,
        accounts=accounts,
        customers=_latest(lake, "raw/ledger/customers"),
        currencies=_latest(lake, "raw/ledger/currencies"),
    )


def transfer_targets(moves: pl.DataFrame, tables: LakeTables) -> pl.DataFrame:
    """Every outgoing transfer (wire, ACH, P2P) with what `feature_frame` needs of it (TARGET_SCHEMA)."""
    by_time = moves.sort("ts")
    # posted balance strictly before each transfer: exact running sums of the account's legs
    balances = (
        moves.group_by("account_id", "ts")
        .agg(pl.col("signed_amount").sum())
        .sort("ts")
        .with_columns(balance=pl.col("signed_amount").cum_sum().over("account_id"))
        .select("account_id", pl.col("ts").alias("balance_at"), "balance")
    )
    first_seen = moves.group_by("account_id").agg(pl.col("ts").min().alias("first_seen_at"))
    countries = tables.customers.select("customer_id", pl.col("country").alias("customer_country"))
    counterparties = tables.accounts.join(tables.customers, on="customer_id").select(
        pl.col("code").alias("counterparty"), pl.col("country").alias("counterparty_country")
    )
    transfers = by_time.filter((pl.col("flow") == "OUT") & pl.col("is_transfer"))
    return (
        transfers.join_asof(
            balances.sort("balance_at"),
            left_on="ts",
            right_on="balance_at",
            by="account_id",
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,  # sorted by time overall, so within every account
        )
        .join(first_seen, on="account_id", how="left")
        .join(countries, on="customer_id", how="left")
        .join(counterparties, on="counterparty", how="left")
        .join(
            tables.currencies.select(pl.col("code").alias("currency"), pl.col("kind").alias("currency_kind")),
            on="currency",
            how="left",
        )
        .select(
            pl.col("reference_id").alias("target_id"),
            "account_id",
            "customer_id",
            "ts",
            pl.col("amount").cast(pl.Float64),
            "amount_usd",
            "currency",
            "currency_kind",
            "channel",
            "counterparty",
            "customer_country",
            pl.when(pl.col("channel") == "P2P").then(pl.col("counterparty_country")).alias("counterparty_country"),
            pl.col("balance").cast(pl.Float64).fill_null(0.0).alias("balance_before"),
            "first_seen_at",
        )
    )


def build_features(
    lake: Lake,
    *,
    first: date | None = None,
    last: date | None = None,
    on_partition: Callable[[PartitionWrite], None] | None = None,
) -> list[PartitionWrite]:
    """Compute and write the features of every outgoing transfer dated in [first, last] (default: all)."""
    tables = read_lake(lake)
    moves = movements(tables.legs)
    targets = transfer_targets(moves, tables)
    if first is not None:
        targets = targets.filter(pl.col("ts") >= datetime.combine(first, time(0), tzinfo=UTC))
    if last is not None:
        targets = targets.filter(pl.col("ts").dt.date() <= last)
    writes: list[PartitionWrite] = []
    months = targets.select(pl.col("ts").dt.truncate("1mo").unique().sort()).to_series().to_list()
    for month in months:
        batch = targets.filter(pl.col("ts").dt.truncate("1mo") == month)
        history = moves.filter(pl.col("ts") >= month - LOOKBACK, pl.col("ts") < batch["ts"].max())
        rows = batch.select(KEYS).join(feature_frame(batch, history), on="target_id").sort("ts", "target_id")
        rows = rows.with_columns(date=pl.col("ts").dt.date())
        for (day,), part in rows.partition_by("date", as_dict=True, maintain_order=True).items():
            written = lake.write_partition(DATASET, f"date={day.isoformat()}", part.drop("date").to_arrow())
            writes.append(written)
            if on_partition is not None:
                on_partition(written)
    return writes


def feature_columns() -> tuple[str, ...]:
    """The columns of the feature table, keys first."""
    return (*KEYS, *FEATURE_NAMES)
