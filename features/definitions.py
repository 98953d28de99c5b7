"""The features of a proposed outgoing transfer, and the one function that computes them.

`feature_frame(targets, history)` is called offline (every historical transfer, history = every movement
in the lake) and online (one proposed transfer, history = the account's movements of the last
LOOKBACK from PostgreSQL). Every value of a transfer at time t comes from movements strictly before t.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

LOOKBACK = timedelta(days=400)  # the furthest any window reaches back (seconds_since_last is capped at it)
NEW_COUNTERPARTY = timedelta(days=90)
SHARE_CAP = 10.0  # share_of_balance when the balance is not positive, and its ceiling
# Payment categories' risk weights (channel of a transfer; documented, not learned): wires reach anyone
# anywhere and are final, P2P stays between customers, ACH is mostly payroll and bills.
CHANNEL_RISK = {"wire": 0.6, "p2p": 0.3, "ach": 0.2}
# A customer's home currency by country (the currencies the platform holds accounts in).
HOME_CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    **dict.fromkeys(("AT", "BE", "DE", "ES", "FI", "FR", "IE", "IT", "NL", "PT"), "EUR"),
}

# The columns a target (a transfer to score) carries in; `history` rows are movements (features.movements).
TARGET_SCHEMA: dict[str, pl.DataType] = {
    "target_id": pl.String(),
    "account_id": pl.Int64(),
    "ts": pl.Datetime("us", "UTC"),
    "amount": pl.Float64(),  # in the account's currency
    "amount_usd": pl.Float64(),
    "currency": pl.String(),
    "currency_kind": pl.String(),
    "channel": pl.String(),
    "counterparty": pl.String(),
    "customer_country": pl.String(),
    "counterparty_country": pl.String(),  # known for P2P (the other customer's), else null
    "balance_before": pl.Float64(),  # the account's posted balance from every leg strictly before ts
    "first_seen_at": pl.Datetime("us", "UTC"),  # the account's first movement (null: none)
}


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    description: str


FEATURES: tuple[Feature, ...] = (
    Feature("amount_usd_log", "ln(1 + amount in USD)"),
    Feature("amount_vs_mean_30d", "amount / (1 + mean outgoing amount of the last 30 days), USD"),
    Feature("amount_zscore_30d", "(amount - 30-day mean) / (1 + 30-day standard deviation) of outgoing amounts, USD"),
    Feature("out_count_1h", "outgoing movements in the last hour"),
    Feature("out_count_24h", "outgoing movements in the last 24 hours"),
    Feature("out_count_7d", "outgoing movements in the last 7 days"),
    Feature("out_sum_usd_1h", "USD sent in the last hour"),
    Feature("out_sum_usd_24h", "USD sent in the last 24 hours"),
    Feature("out_sum_usd_7d", "USD sent in the last 7 days"),
    Feature("in_count_24h", "incoming movements in the last 24 hours"),
    Feature("in_sum_usd_24h", "USD received in the last 24 hours"),
    Feature("distinct_counterparties_24h", "distinct parties paid by transfer in the last 24 hours"),
    Feature("is_new_counterparty", "1 when the account has not paid this party in the last 90 days"),
    Feature("seconds_since_last", "seconds since the account's previous movement (at most 400 days)"),
    Feature("hour_of_day", "hour of the transfer, UTC"),
    Feature("day_of_week", "day of the week, Monday = 0"),
    Feature("is_cross_border", "1 when the counterparty is known to be in another country"),
    Feature("is_foreign_currency", "1 when the account is not in the customer's home currency"),
    Feature("is_crypto", "1 when the currency is a crypto asset"),
    Feature("category_risk", "risk weight of the payment category (the transfer's channel)"),
    Feature("account_age_days", "days since the account's first movement"),
    Feature("share_of_balance", "amount / posted balance before it (10 when the balance is not positive, at most 10)"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)


def _within(age: timedelta) -> pl.Expr:
    return pl.col("ts_history") >= pl.col("ts") - age


def feature_frame(targets: pl.DataFrame, history: pl.DataFrame) -> pl.DataFrame:
    """`target_id` and every feature (Float64, FEATURE_NAMES order) of each target, from `history`
    movements strictly before its time. `history` must reach LOOKBACK back from the earliest target."""
    targets = targets.select(list(TARGET_SCHEMA)).cast(TARGET_SCHEMA)  # type: ignore[arg-type]
    past = history.select(
        "account_id",
        pl.col("ts").alias("ts_history"),
        "entry_id",
        "flow",
        "amount_usd",
        pl.col("counterparty").alias("counterparty_history"),
        "is_transfer",
    )
    window = (
        targets.select("target_id", "account_id", "ts")
        .join(past, on="account_id")
        .filter((pl.col("ts_history") < pl.col("ts")) & _within(timedelta(days=30)))
        .sort("target_id", "ts_history", "entry_id")
    )
    out, inward = pl.col("flow") == "OUT", pl.col("flow") == "IN"
    day, hour, week = _within(timedelta(days=1)), _within(timedelta(hours=1)), _within(timedelta(days=7))
    windows = window.group_by("target_id", maintain_order=True).agg(
        mean_30d=pl.col("amount_usd").filter(out).mean(),
        std_30d=pl.col("amount_usd").filter(out).std(ddof=0),
        out_count_1h=(out & hour).sum(),
        out_count_24h=(out & day).sum(),
        out_count_7d=(out & week).sum(),
        out_sum_usd_1h=pl.col("amount_usd").filter(out & hour).sum(),
        out_sum_usd_24h=pl.col("amount_usd").filter(out & day).sum(),
        out_sum_usd_7d=pl.col("amount_usd").filter(out & week).sum(),
        in_count_24h=(inward & day).sum(),
        in_sum_usd_24h=pl.col("amount_usd").filter(inward & day).sum(),
        distinct_counterparties_24h=pl.col("counterparty_history")
        .filter(out & day & pl.col("is_transfer") & pl.col("counterparty_history").is_not_null())
        .n_unique(),
    )
    by_time = targets.select("target_id", "account_id", "ts", "counterparty").sort("ts")
    previous = by_time.join_asof(
        past.select("account_id", "ts_history").sort("ts_history"),
        left_on="ts",
        right_on="ts_history",
        by="account_id",
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,  # sorted by time overall, so within every group
    ).select("target_id", pl.col("ts_history").alias("previous_at"))
    paid = (
        past.filter((pl.col("flow") == "OUT") & pl.col("is_transfer"))
        .select("account_id", pl.col("counterparty_history").alias("counterparty"), "ts_history")
        .sort("ts_history")
    )
    last_paid = by_time.join_asof(
        paid,
        left_on="ts",
        right_on="ts_history",
        by=["account_id", "counterparty"],
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,  # sorted by time overall, so within every group
    ).select("target_id", pl.col("ts_history").alias("last_paid_at"))
    home = pl.col("customer_country").replace_strict(HOME_CURRENCY, default=None)
    frame = (
        targets.join(windows, on="target_id", how="left")
        .join(previous, on="target_id", how="left")
        .join(last_paid, on="target_id", how="left")
        .with_columns(pl.col("mean_30d", "std_30d").fill_null(0.0))
    )
    seconds = lambda delta: delta.dt.total_microseconds().cast(pl.Float64) / 1e6  # noqa: E731
    features = frame.select(
        "target_id",
        amount_usd_log=pl.col("amount_usd").log1p(),
        amount_vs_mean_30d=pl.col("amount_usd") / (1.0 + pl.col("mean_30d")),
        amount_zscore_30d=(pl.col("amount_usd") - pl.col("mean_30d")) / (1.0 + pl.col("std_30d")),
        out_count_1h=pl.col("out_count_1h"),
        out_count_24h=pl.col("out_count_24h"),
        out_count_7d=pl.col("out_count_7d"),
        out_sum_usd_1h=pl.col("out_sum_usd_1h"),
        out_sum_usd_24h=pl.col("out_sum_usd_24h"),
        out_sum_usd_7d=pl.col("out_sum_usd_7d"),
        in_count_24h=pl.col("in_count_24h"),
        in_sum_usd_24h=pl.col("in_sum_usd_24h"),
        distinct_counterparties_24h=pl.col("distinct_counterparties_24h"),
        is_new_counterparty=(
            pl.col("last_paid_at").is_null() | (pl.col("last_paid_at") < pl.col("ts") - NEW_COUNTERPARTY)
        ),
        seconds_since_last=pl.min_horizontal(
            seconds(pl.col("ts") - pl.col("previous_at")).fill_null(LOOKBACK.total_seconds()),
            pl.lit(LOOKBACK.total_seconds()),
        ),
        hour_of_day=pl.col("ts").dt.hour(),
        day_of_week=pl.col("ts").dt.weekday() - 1,
        is_cross_border=pl.col("counterparty_country").is_not_null()
        & (pl.col("counterparty_country") != pl.col("customer_country")),
        is_foreign_currency=home.is_not_null() & (pl.col("currency") != home),
        is_crypto=pl.col("currency_kind") == "CRYPTO",
        category_risk=pl.col("channel").replace_strict(CHANNEL_RISK, default=0.0, return_dtype=pl.Float64),
        account_age_days=(seconds(pl.col("ts") - pl.col("first_seen_at")) / 86400.0).fill_null(0.0),
        share_of_balance=pl.when(pl.col("balance_before") > 0)
        .then(pl.min_horizontal(pl.col("amount") / pl.col("balance_before"), pl.lit(SHARE_CAP)))
        .otherwise(pl.lit(SHARE_CAP)),
    )
    return features.with_columns(pl.col(FEATURE_NAMES).cast(pl.Float64).fill_null(0.0))
