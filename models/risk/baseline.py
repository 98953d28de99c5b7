"""The rules a fraud analyst would write first, as a score in [0, 1]: the model must beat it.

One point each for: a party never paid before, a wire, a night-time transfer (00:00-06:00 UTC), three
or more payments in the last 24 hours, more than half of the balance, money arrived in the last 24 hours
worth more than the transfer, an amount over five times the account's usual."""

from __future__ import annotations

import numpy as np
import polars as pl

RULES = (
    pl.col("is_new_counterparty") > 0,
    pl.col("category_risk") >= 0.6,
    pl.col("hour_of_day") < 6,
    pl.col("out_count_24h") >= 3,
    pl.col("share_of_balance") > 0.5,
    pl.col("in_sum_usd_24h") > pl.col("amount_usd_log").exp() - 1,
    pl.col("amount_vs_mean_30d") > 5,
)


def rules_score(frame: pl.DataFrame) -> np.ndarray:
    points = frame.select(pl.sum_horizontal([rule.cast(pl.Float64) for rule in RULES]).alias("points"))
    return points.to_series().to_numpy() / len(RULES)
