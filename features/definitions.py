"""The features of a proposed outgoing transfer, in two stages.

1. The window statistics of the account before the transfer (`WINDOW_COLUMNS`: counts, sums, mean and
   spread of its movements in the last hour/day/week/30 days, its previous movement, its last payment to
   the same party). Offline they are computed over the lake's movements by `window_statistics` (polars);
   online, for one transfer, by one SQL statement over the ledger (`features.online`). Both are held to
   the definitions below and to each other (equal to 1e-9 on hundreds of historical transfers in the
   tests and in the feature table's asset check).
2. `finish`: the features from the transfer's own fields and those statistics. One numpy function that
   both paths call: a million rows offline, one row online (~50 µs, where a polars frame costs ~1 ms).

Every value of a transfer at time t comes from movements strictly before t.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl

LOOKBACK = timedelta(days=400)  # the furthest any window reaches back (seconds_since_last is capped at it)
NEW_COUNTERPARTY = timedelta(days=90)
BURST = timedelta(minutes=10)  # "many transfers in a short window": what the fast brain's burst rules read
SHARE_CAP = 10.0  # share_of_balance when the balance is not positive, and its ceiling
# Payment categories' risk weights (channel of a transfer; documented, not learned): wires reach anyone
# anywhere and are final, P2P is mostly between people who know each other, ACH mostly payroll and bills.
CHANNEL_RISK = {"WIRE": 0.6, "P2P": 0.3, "ACH": 0.2}
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
    Feature("out_count_10m", "outgoing movements in the last 10 minutes"),
    Feature(
        "drain_share_1h",
        "(USD sent in the last hour + amount) / (balance before + USD sent in the last hour): the share of what"
        " the account held an hour ago that leaves with this transfer (10 when not positive, at most 10)",
    ),
    Feature(
        "payee_age_days",
        "days since the account first paid this party in the last 90 days (0: not paid in 90 days, new now)",
    ),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)


# What `finish` reads besides the target's own fields: the window statistics (null when there is no
# movement to compute them from) with times as float microseconds since the epoch (exact below 2**53).
WINDOW_COLUMNS: tuple[str, ...] = (
    "mean_30d",  # mean USD amount of outgoing movements in the last 30 days
    "std_30d",  # their population standard deviation
    "out_count_1h",
    "out_count_24h",
    "out_count_7d",
    "out_sum_usd_1h",
    "out_sum_usd_24h",
    "out_sum_usd_7d",
    "in_count_24h",
    "in_sum_usd_24h",
    "distinct_counterparties_24h",
    "out_count_10m",
    # times, as float microseconds since the epoch
    "previous_us",  # the account's previous movement (any kind)
    "last_paid_us",  # its previous outgoing transfer to the same counterparty
    "payee_first_paid_us",  # its first outgoing transfer to the same counterparty in the last 90 days
)
TIME_COLUMNS: tuple[str, ...] = ("previous_us", "last_paid_us", "payee_first_paid_us")
STATISTIC_COLUMNS: tuple[str, ...] = tuple(c for c in WINDOW_COLUMNS if c not in TIME_COLUMNS)
# The target's own fields `finish` reads (with WINDOW_COLUMNS).
TARGET_INPUTS: tuple[str, ...] = (
    "amount",
    "amount_usd",
    "balance_before",
    "currency",
    "currency_kind",
    "channel",
    "customer_country",
    "counterparty_country",
    "ts_us",
    "first_seen_us",
)
FINISH_INPUTS: tuple[str, ...] = (*TARGET_INPUTS, *WINDOW_COLUMNS)
_MICROS_PER_HOUR = 3_600_000_000
_MICROS_PER_DAY = 86_400_000_000


def _within(age: timedelta) -> pl.Expr:
    return pl.col("ts_history") >= pl.col("ts") - age


def window_statistics(targets: pl.DataFrame, history: pl.DataFrame) -> pl.DataFrame:
    """`target_id` and WINDOW_COLUMNS of each target, from `history` movements strictly before its time.
    `history` must reach LOOKBACK back from the earliest target."""
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
    burst = _within(BURST)
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
        out_count_10m=(out & burst).sum(),
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
    first_paid = (
        by_time.join(paid, on=["account_id", "counterparty"])  # null counterparties never join
        .filter((pl.col("ts_history") < pl.col("ts")) & _within(NEW_COUNTERPARTY))
        .group_by("target_id")
        .agg(payee_first_paid_at=pl.col("ts_history").min())
    )
    return (
        targets.select("target_id")
        .join(windows, on="target_id", how="left")
        .join(previous, on="target_id", how="left")
        .join(last_paid, on="target_id", how="left")
        .join(first_paid, on="target_id", how="left")
        .select(
            "target_id",
            *STATISTIC_COLUMNS,
            previous_us=_micros(pl.col("previous_at")),
            last_paid_us=_micros(pl.col("last_paid_at")),
            payee_first_paid_us=_micros(pl.col("payee_first_paid_at")),
        )
    )


def _micros(column: pl.Expr) -> pl.Expr:
    return column.dt.epoch("us").cast(pl.Float64)


def _float(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)  # None becomes NaN


def finish(columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """Every feature, a (rows, FEATURE_NAMES) float64 matrix, from equal-length arrays: FINISH_INPUTS, the
    TARGET_SCHEMA fields (times as `ts_us` and `first_seen_us`, float microseconds since the epoch;
    strings as object arrays; missing values None or NaN) and WINDOW_COLUMNS."""
    c = {name: _float(columns[name]) for name in (*WINDOW_COLUMNS, "amount", "amount_usd", "balance_before")}
    ts, first_seen = _float(columns["ts_us"]), _float(columns["first_seen_us"])
    channel, currency = columns["channel"], columns["currency"]
    country, counterparty_country = columns["customer_country"], columns["counterparty_country"]
    amount_usd = c["amount_usd"]
    mean, spread = _zero_nan(c["mean_30d"]), _zero_nan(c["std_30d"])
    since_last = np.fmin((ts - c["previous_us"]) / 1e6, LOOKBACK.total_seconds())  # fmin: NaN gives the cap
    last_paid = c["last_paid_us"]
    is_new = np.isnan(last_paid) | (last_paid < ts - NEW_COUNTERPARTY / timedelta(microseconds=1))
    foreign = np.zeros(len(ts), dtype=bool)
    for code, home in HOME_CURRENCY.items():
        foreign |= (country == code) & (currency != home)
    category = np.zeros(len(ts))
    for name, weight in CHANNEL_RISK.items():
        category[channel == name] = weight
    balance = c["balance_before"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(balance > 0, np.fmin(c["amount"] / balance, SHARE_CAP), SHARE_CAP)
        # the last hour's outflows back in the account's currency at this transfer's price (none: the share)
        sent = np.where(c["out_count_1h"] > 0, c["out_sum_usd_1h"] * c["amount"] / amount_usd, 0.0)
        held = balance + sent
        drain = np.where(held > 0, np.fmin((c["amount"] + sent) / held, SHARE_CAP), SHARE_CAP)
        drain = np.where(np.isnan(drain), share, drain)
    first_paid = c["payee_first_paid_us"]
    payee_age = np.where(np.isnan(first_paid), 0.0, (ts - first_paid) / 1e6 / 86400.0)
    values = {
        "amount_usd_log": np.log1p(amount_usd),
        "amount_vs_mean_30d": amount_usd / (1.0 + mean),
        "amount_zscore_30d": (amount_usd - mean) / (1.0 + spread),
        "is_new_counterparty": is_new,
        "seconds_since_last": since_last,
        "hour_of_day": np.floor_divide(ts, _MICROS_PER_HOUR) % 24,
        "day_of_week": (np.floor_divide(ts, _MICROS_PER_DAY) + 3) % 7,  # 1970-01-01 was a Thursday
        "is_cross_border": (counterparty_country != None) & (counterparty_country != country),  # noqa: E711
        "is_foreign_currency": foreign,
        "is_crypto": columns["currency_kind"] == "CRYPTO",
        "category_risk": category,
        "account_age_days": (ts - first_seen) / 1e6 / 86400.0,
        "share_of_balance": share,
        "drain_share_1h": drain,
        "payee_age_days": payee_age,
    }
    matrix = np.column_stack([values[name] if name in values else c[name] for name in FEATURE_NAMES]).astype(np.float64)
    # a statistic over no movement (a count or sum of nothing) is 0, as is a feature of a missing price
    return _zero_nan(matrix)


def _zero_nan(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def feature_frame(targets: pl.DataFrame, history: pl.DataFrame) -> pl.DataFrame:
    """`target_id` and every feature (Float64, FEATURE_NAMES order) of each target, from `history`
    movements strictly before its time. `history` must reach LOOKBACK back from the earliest target."""
    targets = targets.select(list(TARGET_SCHEMA)).cast(TARGET_SCHEMA)  # type: ignore[arg-type]
    frame = targets.with_columns(ts_us=_micros(pl.col("ts")), first_seen_us=_micros(pl.col("first_seen_at"))).join(
        window_statistics(targets, history), on="target_id", how="left", maintain_order="left"
    )
    matrix = finish({name: frame[name].to_numpy() for name in FINISH_INPUTS})
    return pl.DataFrame(matrix, schema=list(FEATURE_NAMES), orient="row").insert_column(0, frame["target_id"])
