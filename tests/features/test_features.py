"""Transfer features: the definitions on hand-made movements, point-in-time correctness, and the online
values (from PostgreSQL) equal to the offline ones (from the lake) for hundreds of transfers."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import polars as pl
import psycopg
import pytest

from features.definitions import FEATURE_NAMES, LOOKBACK, TARGET_SCHEMA, feature_frame
from features.movements import movements
from features.offline import DATASET, read_lake, transfer_targets
from features.online import (
    ProposedTransfer,
    UnknownAccountError,
    historical_transfer,
    legs_frame,
    transfer_features,
)
from fintra.lake import Lake
from ledger import AccountType, Ledger, Leg
from ledger.parties import CustomerProfile

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
        "channel": "WIRE",
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


def test_burst_drain_and_payee_age() -> None:
    """A draining burst: three transfers of 200 in the last ten minutes (one exactly on the window's start,
    counted, as every window's start is) and 999 a minute earlier; the payee was first paid 11 minutes
    ago. A payee's age counts from its first payment inside the 90-day new-counterparty period."""
    burst = _history(
        (timedelta(minutes=10), "OUT", 200.0, "Fresh Payee", True),
        (timedelta(minutes=7), "OUT", 200.0, "Other", True),
        (timedelta(minutes=3), "OUT", 200.0, "Fresh Payee", True),
        (timedelta(minutes=1), "IN", 50.0, "Employer", True),  # inflows do not count as the burst
        (timedelta(minutes=11), "OUT", 999.0, "Fresh Payee", True),  # before the burst, inside the hour
        (timedelta(minutes=61), "OUT", 5000.0, "Landlord", True),  # before the hour
    )
    row = feature_frame(_target(amount=150.0, amount_usd=150.0, balance_before=250.0), burst).row(0, named=True)
    assert row["out_count_10m"] == 3.0
    assert row["drain_share_1h"] == pytest.approx((1599.0 + 150.0) / (250.0 + 1599.0), rel=1e-12)
    assert row["payee_age_days"] == pytest.approx(11 / 1440, rel=1e-12)  # first paid 11 minutes ago
    # a euro account priced at 1.25 USD: the hour's USD goes back into euros at the transfer's price
    euro = feature_frame(_target(amount=120.0, amount_usd=150.0, balance_before=200.0, currency="EUR"), burst)
    sent = 1599.0 / 1.25
    assert euro.row(0, named=True)["drain_share_1h"] == pytest.approx((sent + 120.0) / (200.0 + sent), rel=1e-12)
    old = _history(
        (timedelta(days=100), "OUT", 70.0, "Fresh Payee", True),  # outside the 90-day period
        (timedelta(days=40), "OUT", 70.0, "Fresh Payee", True),
        (timedelta(days=2), "OUT", 70.0, "Fresh Payee", True),
    )
    row = feature_frame(_target(), old).row(0, named=True)
    assert row["payee_age_days"] == 40.0 and row["out_count_10m"] == 0.0
    assert row["drain_share_1h"] == row["share_of_balance"] == 0.5  # nothing sent in the hour: its own share
    assert feature_frame(_target(counterparty="Nobody"), old).row(0, named=True)["payee_age_days"] == 0.0


def test_edge_cases_of_the_definitions() -> None:
    empty = _history()
    row = feature_frame(_target(balance_before=-5.0, first_seen_at=None, channel="P2P"), empty).row(0, named=True)
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
            " WHERE j.kind = 'TRANSFER' AND j.channel IN ('WIRE', 'ACH', 'P2P')"
            " AND a.customer_id IS NOT NULL AND e.direction <> a.normal_side"
        ).fetchone()[0]
    assert table.height == expected and sum(table.select(FEATURE_NAMES).null_count().row(0)) == 0


def _some(frame: pl.DataFrame, n: int = 8) -> pl.DataFrame:
    return frame.sample(min(n, frame.height), seed=3)


def test_online_features_equal_offline_for_hundreds_of_transfers(compliance_db: str, lake_copy: Lake) -> None:
    table = lake_copy.scan(DATASET).collect()
    with psycopg.connect(compliance_db) as conn:
        priced = [r[0] for r in conn.execute("SELECT account_id FROM ledger.accounts WHERE currency <> 'USD'")]
    # a random sample, and transfers that exercise each path of the online statement: every feature
    # non-zero, repeat payees per channel (found three different ways), accounts priced at ticks
    groups = {f"{name} != 0": _some(table.filter(pl.col(name) != 0)) for name in FEATURE_NAMES}
    for channel in ("P2P", "WIRE", "ACH"):
        repeat = (pl.col("is_new_counterparty") == 0) & (pl.col("channel") == channel)
        groups[f"repeat {channel}"] = _some(table.filter(repeat))
    groups["not USD"] = _some(table.filter(pl.col("account_id").is_in(priced)), 20)
    offline = pl.concat([table.sample(250, seed=11), *groups.values()]).unique("target_id", maintain_order=True)
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
    wanted = {"distinct_counterparties_24h", "in_sum_usd_24h", "is_cross_border", "out_count_1h"}
    needed = {f"{name} != 0" for name in wanted} | {"repeat P2P", "repeat ACH", "not USD"}
    assert needed <= {name for name, rows in groups.items() if rows.height}


def test_a_proposed_transfer_is_featured_as_of_now(compliance_db: str) -> None:
    with psycopg.connect(compliance_db) as conn:
        code = conn.execute(
            "SELECT code FROM ledger.accounts WHERE customer_id IS NOT NULL ORDER BY 1 LIMIT 1"
        ).fetchone()[0]
        at = datetime.now(UTC)
        features = transfer_features(
            conn, ProposedTransfer(code, __import__("decimal").Decimal("25.00"), "WIRE", "New Person", at)
        )
        with pytest.raises(UnknownAccountError, match="NOPE"):
            transfer_features(conn, ProposedTransfer("NOPE", __import__("decimal").Decimal(1), "WIRE", None, at))
    assert set(features) == set(FEATURE_NAMES) and features["is_new_counterparty"] == 1.0
    assert features["category_risk"] == 0.6 and features["account_age_days"] > 30


def test_online_window_bounds_are_the_definitions(db_url: str) -> None:
    """Movements exactly on every window's edge, posted through the ledger: the online statement agrees
    with `feature_frame` over the same movements, and both with the definitions."""
    profile = dict(occupation="x", segment="RETAIL", risk_rating="LOW", onboarded_at=T - timedelta(days=400))
    with Ledger(db_url) as ledger:
        ids = ledger.register_customers(
            [
                CustomerProfile("edge-a", "US", full_name="A", email="a@x", date_of_birth=date(1990, 1, 1), **profile),
                CustomerProfile("edge-b", "DE", full_name="B", email="b@x", date_of_birth=date(1990, 1, 1), **profile),
            ]
        )
        ledger.open_account("EDGE-CASH", "Cash", AccountType.ASSET, "USD")
        ledger.open_account("EDGE-SETTLE", "Settlement", AccountType.LIABILITY, "USD")
        # may go negative: its first movement, 90 days back, is a payment made before its first deposit
        # (a back-dated debit that overdraws the past is refused otherwise)
        ledger.open_account("EDGE-A", "A", AccountType.LIABILITY, "USD", allow_negative=True, customer_id=ids["edge-a"])
        ledger.open_account("EDGE-B", "B", AccountType.LIABILITY, "USD", customer_id=ids["edge-b"])

        def move(ref: str, debit: str, credit: str, amount: str, ago: timedelta, **meta: str) -> None:
            legs = [Leg.debit(debit, amount), Leg.credit(credit, amount)]
            ledger.post(ref, legs, metadata=meta, effective_at=T - ago)

        move("fund-b", "EDGE-CASH", "EDGE-B", "1000", timedelta(days=100), channel="ach", counterparty_name="Employer")
        move("in-old", "EDGE-CASH", "EDGE-A", "5000", timedelta(days=31), channel="ach", counterparty_name="Employer")
        move("in-day", "EDGE-B", "EDGE-A", "200", timedelta(hours=24), channel="p2p")
        move("out-hour", "EDGE-A", "EDGE-B", "10", timedelta(hours=1), channel="p2p")
        move("out-week", "EDGE-A", "EDGE-SETTLE", "30", timedelta(days=7), channel="wire", counterparty_name="Acme")
        move("out-month", "EDGE-A", "EDGE-SETTLE", "40", timedelta(days=30), channel="wire", counterparty_name="Acme")
        move("out-90d", "EDGE-A", "EDGE-SETTLE", "15", timedelta(days=90), channel="ach", counterparty_name="Biller")
        move("out-now", "EDGE-A", "EDGE-B", "99", timedelta(0), channel="p2p")  # not before T
        move("out-later", "EDGE-A", "EDGE-B", "77", -timedelta(hours=1), channel="p2p")
    with psycopg.connect(db_url) as conn:
        account_id = conn.execute("SELECT account_id FROM ledger.accounts WHERE code = 'EDGE-A'").fetchone()[0]
        history = movements(legs_frame(conn, account_id, T - LOOKBACK, T + timedelta(days=1)))
        proposals = {
            "p2p": ProposedTransfer("EDGE-A", Decimal("25"), "P2P", "EDGE-B", T),
            "wire": ProposedTransfer("EDGE-A", Decimal("25"), "WIRE", "Acme", T),
            "ach": ProposedTransfer("EDGE-A", Decimal("25"), "ACH", "Biller", T),
            "new": ProposedTransfer("EDGE-A", Decimal("25"), "WIRE", "Nobody", T),
        }
        online = {name: transfer_features(conn, proposal) for name, proposal in proposals.items()}
    targets = pl.DataFrame(
        [
            {
                "target_id": name,
                "account_id": account_id,
                "ts": T,
                "amount": 25.0,
                "amount_usd": 25.0,
                "currency": "USD",
                "currency_kind": "FIAT",
                "channel": p.channel,
                "counterparty": p.counterparty,
                "customer_country": "US",
                "counterparty_country": "DE" if p.channel == "P2P" else None,
                "balance_before": 5000.0 + 200 - 10 - 30 - 40 - 15,
                "first_seen_at": T - timedelta(days=90),
            }
            for name, p in proposals.items()
        ],
        schema=TARGET_SCHEMA,
    )
    offline = {row["target_id"]: row for row in feature_frame(targets, history).iter_rows(named=True)}
    for name in proposals:
        assert {f: online[name][f] for f in FEATURE_NAMES} == pytest.approx(
            {f: offline[name][f] for f in FEATURE_NAMES}, rel=1e-12
        ), name
    p2p, wire, ach, new = (online[n] for n in ("p2p", "wire", "ach", "new"))
    assert (p2p["out_count_1h"], p2p["out_count_24h"], p2p["out_count_7d"]) == (1.0, 1.0, 2.0)
    assert (p2p["in_count_24h"], p2p["in_sum_usd_24h"], p2p["distinct_counterparties_24h"]) == (1.0, 200.0, 1.0)
    assert p2p["amount_vs_mean_30d"] == pytest.approx(25.0 / (1 + (10 + 30 + 40) / 3), rel=1e-12)
    assert p2p["is_new_counterparty"] == 0.0 and wire["is_new_counterparty"] == 0.0
    assert ach["is_new_counterparty"] == 0.0  # paid exactly 90 days before: not new yet
    assert new["is_new_counterparty"] == 1.0 and p2p["is_cross_border"] == 1.0
    assert p2p["seconds_since_last"] == 3600.0 and p2p["account_age_days"] == 90.0
