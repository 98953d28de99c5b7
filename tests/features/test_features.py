"""Transfer features: the definitions on hand-made movements, point-in-time correctness, and the online
values (from PostgreSQL) equal to the offline ones (from the lake) for hundreds of transfers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import polars as pl
import psycopg
import pytest

from features.definitions import FEATURE_NAMES, LOOKBACK, TARGET_SCHEMA, feature_frame
from features.movements import movements
from features.offline import DATASET, read_lake, transfer_targets
from features.online import ProposedTransfer, UnknownAccountError, historical_transfer, transfer_features
from fintra.lake import Lake

T = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _history(*rows: tuple[timedelta, str, float, str | None, bool]) -> pl.DataFrame:
    """Movements of account 1: (time before T, flow, USD amount, counterparty, is a transfer)."""
    return pl.DataFrame(
        [
            {
                "account_id": 1,
                "ts": T - ago,
                "entry_id": i,
                "flow": flow,
                "amount_usd": usd,
                "counterparty": who,
                "is_transfer": transfer,
            }
            for i, (ago, flow, usd, who, transfer) in enumerate(rows)
        ],
        schema={
            "account_id": pl.Int64,
            "ts": pl.Datetime("us", "UTC"),
            "entry_id": pl.Int64,
            "flow": pl.String,
            "amount_usd": pl.Float64,
            "counterparty": pl.String,
            "is_transfer": pl.Boolean,
        },
    )


def _target(**changes: object) -> pl.DataFrame:
    row = {
        "target_id": "t",
        "account_id": 1,
        "ts": T,
        "amount": 500.0,
        "amount_usd": 500.0,
        "currency": "USD",
        "currency_kind": "FIAT",
        "channel": "wire",
        "counterparty": "Fresh Payee",
        "customer_country": "US",
        "counterparty_country": None,
        "balance_before": 1000.0,
        "first_seen_at": T - timedelta(days=10),
    }
    return pl.DataFrame([{**row, **changes}], schema=TARGET_SCHEMA)


def test_the_definitions_on_hand_made_movements() -> None:
    history = _history(
        (timedelta(minutes=30), "OUT", 100.0, "A", True),
        (timedelta(hours=5), "OUT", 300.0, "B", True),
        (timedelta(hours=20), "IN", 2000.0, "Employer", True),
        (timedelta(days=3), "OUT", 50.0, None, False),  # a card payment: counted, no counterparty
        (timedelta(days=100), "OUT", 70.0, "Fresh Payee", True),  # paid, but more than 90 days ago
        (timedelta(0), "OUT", 999.0, "C", True),  # at the transfer's own time: not before it
        (-timedelta(hours=1), "OUT", 999.0, "D", True),  # after it
    )
    row = feature_frame(_target(), history).row(0, named=True)
    assert row["out_count_1h"] == 1 and row["out_sum_usd_1h"] == 100.0
    assert row["out_count_24h"] == 2 and row["out_sum_usd_24h"] == 400.0
    assert row["out_count_7d"] == 3 and row["out_sum_usd_7d"] == 450.0
    assert row["in_count_24h"] == 1 and row["in_sum_usd_24h"] == 2000.0
    assert row["distinct_counterparties_24h"] == 2
    assert row["is_new_counterparty"] == 1.0  # the only payment to it is 100 days old
    assert row["seconds_since_last"] == 1800.0
    mean, spread = 150.0, math.sqrt(((100 - 150) ** 2 + (300 - 150) ** 2 + (50 - 150) ** 2) / 3)
    assert row["amount_vs_mean_30d"] == pytest.approx(500.0 / (1 + mean), rel=1e-12)
    assert row["amount_zscore_30d"] == pytest.approx((500.0 - mean) / (1 + spread), rel=1e-12)
    assert row["amount_usd_log"] == pytest.approx(math.log1p(500.0), rel=1e-12)
    assert (row["hour_of_day"], row["day_of_week"]) == (12.0, 1.0)  # a Tuesday
    assert row["category_risk"] == 0.6 and row["account_age_days"] == 10.0 and row["share_of_balance"] == 0.5


def test_edge_cases_of_the_definitions() -> None:
    empty = _history()
    row = feature_frame(_target(balance_before=-5.0, first_seen_at=None, channel="p2p"), empty).row(0, named=True)
    assert row["seconds_since_last"] == LOOKBACK.total_seconds() and row["share_of_balance"] == 10.0
    assert row["out_count_7d"] == 0 and row["amount_vs_mean_30d"] == 500.0 and row["account_age_days"] == 0.0
    assert row["category_risk"] == 0.3
    foreign = feature_frame(_target(currency="EUR", customer_country="US", counterparty_country="FR"), empty)
    assert (
        foreign.row(0, named=True)["is_foreign_currency"] == 1.0
        and foreign.row(0, named=True)["is_cross_border"] == 1.0
    )
    home = feature_frame(_target(currency="EUR", customer_country="DE", counterparty_country="DE"), empty)
    assert home.row(0, named=True)["is_foreign_currency"] == 0.0 and home.row(0, named=True)["is_cross_border"] == 0.0


def test_features_are_point_in_time_later_activity_changes_nothing(lake_copy: Lake) -> None:
    tables = read_lake(lake_copy)
    moves = movements(tables.legs)
    targets = transfer_targets(moves, tables)
    cutoff = targets["ts"].sort()[targets.height // 2]
    early = targets.filter(pl.col("ts") < cutoff)
    with_everything = feature_frame(early, moves).sort("target_id")
    with_the_past_only = feature_frame(early, moves.filter(pl.col("ts") < cutoff)).sort("target_id")
    assert early.height > 500 and with_everything.equals(with_the_past_only)


def test_the_feature_table_covers_every_outgoing_transfer(compliance_db: str, lake_copy: Lake) -> None:
    table = lake_copy.scan(DATASET).collect()
    with psycopg.connect(compliance_db) as conn:
        expected = conn.execute(
            "SELECT count(*) FROM ledger.journal_entries AS j JOIN ledger.entries AS e USING (journal_id, effective_at)"
            " JOIN ledger.accounts AS a ON a.account_id = e.account_id"
            " WHERE j.kind = 'TRANSFER' AND j.metadata ->> 'channel' IN ('wire', 'ach', 'p2p')"
            " AND a.customer_id IS NOT NULL AND e.direction <> a.normal_side"
        ).fetchone()[0]
    assert table.height == expected and sum(table.select(FEATURE_NAMES).null_count().row(0)) == 0


def _some(frame: pl.DataFrame, n: int = 8) -> pl.DataFrame:
    return frame.sample(min(n, frame.height), seed=3)


def test_online_features_equal_offline_for_hundreds_of_transfers(compliance_db: str, lake_copy: Lake) -> None:
    table = lake_copy.scan(DATASET).collect()
    # a random sample, and for every feature transfers where it is not 0, and repeat payments by channel
    # (the online statement finds those three different ways)
    nonzero = {name: _some(table.filter(pl.col(name) != 0)) for name in FEATURE_NAMES}
    repeat = {
        channel: _some(table.filter((pl.col("is_new_counterparty") == 0) & (pl.col("channel") == channel)))
        for channel in ("p2p", "wire", "ach")
    }
    with psycopg.connect(compliance_db) as conn:
        priced = [r[0] for r in conn.execute("SELECT account_id FROM ledger.accounts WHERE currency <> 'USD'")]
    repeat["priced in USD at ticks"] = _some(table.filter(pl.col("account_id").is_in(priced)), 20)
    offline = pl.concat([table.sample(250, seed=11), *nonzero.values(), *repeat.values()]).unique(
        "target_id", maintain_order=True
    )
    differences = []
    with psycopg.connect(compliance_db) as conn:
        for row in offline.iter_rows(named=True):
            online = transfer_features(conn, historical_transfer(conn, row["target_id"]))
            differences += [
                (row["target_id"], name, online[name], row[name])
                for name in FEATURE_NAMES
                if not math.isclose(online[name], row[name], rel_tol=1e-9, abs_tol=1e-9)
            ]
    assert not differences, differences[:10]
    exercised = {name for name, rows in nonzero.items() if rows.height} | {
        f"repeat {c}" for c, r in repeat.items() if r.height
    }
    wanted = {"distinct_counterparties_24h", "in_sum_usd_24h", "is_cross_border", "out_count_1h"}
    assert wanted | {"repeat p2p", "repeat ach", "repeat priced in USD at ticks"} <= exercised, exercised


def test_a_proposed_transfer_is_featured_as_of_now(compliance_db: str) -> None:
    with psycopg.connect(compliance_db) as conn:
        code = conn.execute(
            "SELECT code FROM ledger.accounts WHERE customer_id IS NOT NULL ORDER BY 1 LIMIT 1"
        ).fetchone()[0]
        at = datetime.now(UTC)
        features = transfer_features(
            conn, ProposedTransfer(code, __import__("decimal").Decimal("25.00"), "wire", "New Person", at)
        )
        with pytest.raises(UnknownAccountError, match="NOPE"):
            transfer_features(conn, ProposedTransfer("NOPE", __import__("decimal").Decimal(1), "wire", None, at))
    assert set(features) == set(FEATURE_NAMES) and features["is_new_counterparty"] == 1.0
    assert features["category_risk"] == 0.6 and features["account_age_days"] > 30
