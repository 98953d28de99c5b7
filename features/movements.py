"""Ledger legs into movements: one row per leg on a customer account, with the direction of the money
for the customer, how it moved and with whom, and its USD value at the price in force.

Both feature paths call `movements()` on the same shape of rows (`LEGS_SCHEMA`): the offline builder
joins the lake's tables into it, the online one selects it from PostgreSQL.
"""

from __future__ import annotations

import polars as pl

# One row per journal leg with its journal's and account's fields (and the USD price in force at the
# leg's time: the last `<currency>/USD` tick at or before it; 1 for USD; null when there is none).
LEGS_SCHEMA: dict[str, pl.DataType] = {
    "entry_id": pl.Int64(),
    "journal_id": pl.Int64(),
    "account_id": pl.Int64(),
    "direction": pl.String(),
    "amount": pl.Decimal(38, 18),
    "currency": pl.String(),
    "ts": pl.Datetime("us", "UTC"),
    "reference_id": pl.String(),
    "kind": pl.String(),
    "channel": pl.String(),
    "counterparty_name": pl.String(),
    "account_code": pl.String(),
    "customer_id": pl.Int64(),
    "normal_side": pl.String(),
    "usd_rate": pl.Decimal(38, 18),
}
TRANSFER_CHANNELS = ("WIRE", "ACH", "P2P")


def movements(legs: pl.DataFrame) -> pl.DataFrame:
    """Movements on customer accounts from `legs` (LEGS_SCHEMA), ordered by account, time and entry.

    flow: IN when the leg grows the account (it is on the account's normal side), else OUT.
    counterparty: the named outside party, or for P2P between customers the other customer's account code.
    signed_amount: exact, positive IN and negative OUT (balances are sums of it).
    """
    legs = legs.cast(LEGS_SCHEMA)  # type: ignore[arg-type]
    p2p_accounts = (
        legs.filter(
            pl.col("customer_id").is_not_null() & (pl.col("channel") == "P2P") & pl.col("counterparty_name").is_null()
        )
        .group_by("journal_id")
        .agg(pl.col("account_code").min().alias("first_code"), pl.col("account_code").max().alias("last_code"))
    )
    return (
        legs.filter(pl.col("customer_id").is_not_null())
        .join(p2p_accounts, on="journal_id", how="left")
        .with_columns(
            flow=pl.when(pl.col("direction") == pl.col("normal_side")).then(pl.lit("IN")).otherwise(pl.lit("OUT")),
            counterparty=pl.when(pl.col("counterparty_name").is_not_null())
            .then(pl.col("counterparty_name"))
            .when(pl.col("channel") == "P2P")
            .then(
                pl.when(pl.col("account_code") == pl.col("first_code"))
                .then(pl.col("last_code"))
                .otherwise(pl.col("first_code"))
            ),
            amount_usd=(pl.col("amount").cast(pl.Float64) * pl.col("usd_rate").cast(pl.Float64)),
        )
        .with_columns(
            signed_amount=pl.when(pl.col("flow") == "IN").then(pl.col("amount")).otherwise(-pl.col("amount")),
            is_transfer=pl.col("channel").is_in(TRANSFER_CHANNELS) & (pl.col("kind") == "TRANSFER"),
        )
        .select(
            "entry_id",
            "journal_id",
            "reference_id",
            "account_id",
            "customer_id",
            "ts",
            "flow",
            "kind",
            "channel",
            "counterparty",
            "currency",
            "amount",
            "signed_amount",
            "amount_usd",
            "is_transfer",
        )
        .sort("account_id", "ts", "entry_id")
    )
