"""The simulator against a real ledger: determinism, idempotent re-runs, balanced books, labelled
typologies that point at real entries, and messy descriptors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import psycopg
import pytest

from fintra.database import create_database
from ledger.simulator.engine import SimulationConfig, SimulationStats, simulate
from ledger.simulator.fingerprint import content_fingerprint
from ledger.simulator.typologies import TYPOLOGIES
from tests.ledger.helpers import overdrawn, projection_mismatches, unbalanced_currencies

CONFIG = SimulationConfig(customers=150, days=14, start=date(2026, 3, 1), seed=11, typology_share=0.05)


@pytest.fixture(scope="module")
def run(pg_server: str) -> Iterator[tuple[str, SimulationStats]]:
    url = create_database(pg_server, "t_simulator_a", drop_existing=True)
    yield url, simulate(url, CONFIG)


@pytest.fixture
def db(run: tuple[str, SimulationStats]) -> Iterator[psycopg.Connection]:
    with psycopg.connect(run[0]) as conn:
        yield conn


def test_the_run_produces_realistic_volumes(run: tuple[str, SimulationStats], db: psycopg.Connection) -> None:
    stats = run[1]
    assert stats.customers == 150 and stats.days == 14
    assert stats.holds > 150 * 14 and stats.captures > stats.holds * 0.8
    assert stats.voids > 0 and stats.journals > 150
    kinds = dict(db.execute("SELECT kind, count(*) FROM ledger.journal_entries GROUP BY kind").fetchall())
    assert {"TRANSFER", "CAPTURE", "CONVERSION"} <= kinds.keys()
    channels = {r[0] for r in db.execute("SELECT DISTINCT channel FROM ledger.journal_entries")}
    assert {"ACH", "CARD", "P2P", "CASH_WITHDRAWAL", "INTERNAL", "FX"} <= channels
    assert db.execute("SELECT count(DISTINCT symbol) FROM ledger.ticks").fetchone() == (4,)
    assert db.execute("SELECT count(*) FROM ledger.ohlcv_1m").fetchone()[0] > 0
    # PII lives only in its own table; account names and metadata carry none of it.
    names = [r[0] for r in db.execute("SELECT full_name FROM ledger.customer_pii LIMIT 20")]
    leaked = db.execute("SELECT count(*) FROM ledger.accounts WHERE name = ANY(%s)", (names,)).fetchone()
    assert leaked == (0,)


def test_books_balance_and_nobody_overdraws(db: psycopg.Connection) -> None:
    assert unbalanced_currencies(db) == []
    assert projection_mismatches(db) == []
    assert overdrawn(db) == []
    # The platform's clearing and scheme positions are squared at every day's end.
    open_positions = db.execute(
        "SELECT a.code, b.posted FROM ledger.balances b JOIN ledger.accounts a USING (account_id)"
        " WHERE (a.code LIKE 'FX-CLEARING-%' OR a.code LIKE 'CARD-SETTLEMENT-%') AND b.posted <> 0"
    ).fetchall()
    assert open_positions == []


def test_every_typology_is_present_at_the_configured_share(db: psycopg.Connection) -> None:
    rows = db.execute("SELECT typology, count(DISTINCT customer_ref) FROM sim.labels GROUP BY typology").fetchall()
    per_typology = dict(rows)
    assert set(per_typology) == set(TYPOLOGIES)
    labelled = sum(per_typology.values())
    assert labelled == pytest.approx(CONFIG.customers * CONFIG.typology_share, abs=1)
    assert max(per_typology.values()) - min(per_typology.values()) <= 1


def test_labels_point_at_real_ledger_entries(db: psycopg.Connection) -> None:
    dangling = db.execute(
        """
        SELECT e.label_id, e.reference_id FROM sim.label_entries e
         WHERE (e.kind = 'journal' AND NOT EXISTS (SELECT 1 FROM ledger.journal_entries j
                                                    WHERE j.reference_id = e.reference_id))
            OR (e.kind = 'hold' AND NOT EXISTS (SELECT 1 FROM ledger.holds h WHERE h.reference_id = e.reference_id))
        """
    ).fetchall()
    assert dangling == []
    # Each typology looks like itself in the ledger.
    structuring = db.execute(
        """
        SELECT min(e.amount), max(e.amount), count(*) FROM sim.labels l
          JOIN sim.label_entries le USING (label_id)
          JOIN ledger.journal_entries j ON j.reference_id = le.reference_id
          JOIN ledger.entries e ON e.journal_id = j.journal_id AND e.direction = 'CREDIT'
         WHERE l.typology = 'structuring'
        """
    ).fetchone()
    assert structuring[2] >= 3 and Decimal(9000) <= structuring[0] and structuring[1] < Decimal(10000)
    tiny = db.execute(
        "SELECT max(h.amount), count(*) FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
        " JOIN ledger.holds h ON h.reference_id = le.reference_id WHERE l.typology = 'card_testing'"
    ).fetchone()
    assert tiny[0] < 3 and tiny[1] >= 10
    night = db.execute(
        "SELECT count(*) FILTER (WHERE extract(hour FROM j.effective_at) BETWEEN 1 AND 5), count(*)"
        " FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
        " JOIN ledger.journal_entries j ON j.reference_id = le.reference_id WHERE l.typology = 'account_takeover'"
    ).fetchone()
    assert night[1] >= 1 and night[0] == night[1]
    names = {
        r[0]
        for r in db.execute(
            "SELECT j.metadata->>'counterparty_name' FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
            " JOIN ledger.journal_entries j ON j.reference_id = le.reference_id WHERE l.typology = 'watchlist_payment'"
        )
    }
    listed = {r[0] for r in db.execute("SELECT name FROM sim.watchlist")}
    assert names and not names <= listed  # spelling variants, not only the listed spelling


def test_descriptors_vary_and_the_true_merchant_stays_out_of_the_ledger(db: psycopg.Connection) -> None:
    varied = db.execute(
        "SELECT count(*) FROM (SELECT merchant_id FROM sim.card_payments GROUP BY merchant_id"
        " HAVING count(*) >= 5 AND count(DISTINCT descriptor) >= 3) m"
    ).fetchone()[0]
    assert varied >= 10
    assert db.execute("SELECT count(*) FROM sim.merchants").fetchone()[0] >= 300
    leaked = db.execute(
        "SELECT count(*) FROM ledger.holds WHERE metadata ? 'merchant_id' OR metadata ? 'merchant'"
    ).fetchone()
    assert leaked == (0,)
    long_names = db.execute(
        "SELECT count(*) FROM sim.card_payments WHERE descriptor LIKE 'SQ *%' OR descriptor LIKE 'TST*%'"
        " OR descriptor LIKE 'PAYPAL *%' OR descriptor ILIKE 'AMZN Mktp US*%'"
    ).fetchone()[0]
    assert long_names > 0


def test_same_seed_same_content_and_rerunning_posts_nothing(
    run: tuple[str, SimulationStats], db: psycopg.Connection, pg_server: str
) -> None:
    first = content_fingerprint(db)
    other = create_database(pg_server, "t_simulator_b", drop_existing=True)
    simulate(other, CONFIG)
    with psycopg.connect(other) as conn:
        assert content_fingerprint(conn) == first
    again = simulate(run[0], CONFIG)
    assert again.journals == 0 and again.holds == 0 and again.captures == 0
    assert again.replayed > 0
    assert content_fingerprint(db) == first
    different = create_database(pg_server, "t_simulator_c", drop_existing=True)
    simulate(different, SimulationConfig(customers=40, days=3, start=date(2026, 3, 1), seed=12))
    with psycopg.connect(different) as conn:
        assert content_fingerprint(conn) != first
