"""The simulator against a real ledger: determinism, idempotent re-runs, balanced books, labelled
typologies and benign look-alikes that point at real entries and look like themselves, tune, holdout and
holdout2 parameter splits that differ, and messy descriptors."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from fintra.database import create_database
from ledger.simulator.engine import SimulationConfig, SimulationStats, simulate
from ledger.simulator.fingerprint import content_fingerprint
from ledger.simulator.scenario_params import SPLITS
from ledger.simulator.typologies import LOOKALIKES, TYPOLOGIES
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
    assert stats.customers >= 150 and stats.days == 14
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


def test_cases_are_injected_round_robin_at_the_configured_shares(db: psycopg.Connection) -> None:
    rows = db.execute("SELECT family, is_benign, count(*) FROM sim.labels GROUP BY 1, 2").fetchall()
    laundering = {family: n for family, benign, n in rows if not benign}
    benign = {family: n for family, benign, n in rows if benign}
    wanted = round(CONFIG.customers * CONFIG.typology_share)  # fewer than the families: the first ones
    assert set(laundering) <= set(TYPOLOGIES[:wanted]) and len(laundering) >= wanted - 1
    assert max(laundering.values()) == 1
    assert set(benign) <= set(LOOKALIKES[: round(CONFIG.customers * CONFIG.lookalike_share)]) and benign
    assert db.execute("SELECT count(*) FROM sim.labels WHERE family <> typology OR split <> 'tune'").fetchone() == (0,)


def test_cases_not_posted_whole_are_labelled_so_with_the_reason(pg_server: str) -> None:
    # Four days: too short for a round trip's return, a structurer's last deposits or a gather's payout.
    url = create_database(pg_server, "t_simulator_short", drop_existing=True)
    simulate(url, SimulationConfig(customers=150, days=4, start=date(2026, 3, 1), seed=12, typology_share=0.14))
    with psycopg.connect(url) as db:
        rows = db.execute("SELECT family, complete, details -> 'unfinished' FROM sim.labels").fetchall()
    assert all(complete == (reasons is None) for _, complete, reasons in rows)
    unfinished = {family: reasons for family, complete, reasons in rows if not complete}
    assert "round_tripping" in unfinished, rows
    assert all("after the run's end" in reason for reason in unfinished["round_tripping"])
    assert len(unfinished) < len(rows) / 2  # most cases fit: a case is unfinished only when cut short


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
            "SELECT j.counterparty_name FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
            " JOIN ledger.journal_entries j ON j.reference_id = le.reference_id WHERE l.typology = 'watchlist_payment'"
        )
    }
    assert names and None not in names


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


# -- every family, in every parameter split ------------------------------------------------------------
# As many cases as 600 customers with 10% in typologies give, on fewer customers around them (the
# background's size is not what these tests are about, and it is most of the simulation's time).
SPLIT_CONFIG = {"customers": 360, "days": 40, "start": date(2026, 3, 1), "seed": 5}
SPLIT_TYPOLOGY_SHARE, SPLIT_LOOKALIKE_SHARE = 0.17, 0.085


@pytest.fixture(scope="module")
def splits(pg_server: str) -> Iterator[dict[str, psycopg.Connection]]:
    """The same bank simulated once per split, with cases drawn from the tune, holdout and holdout2 ranges."""
    found = {}
    for split in SPLITS:
        url = create_database(pg_server, f"t_simulator_{split}", drop_existing=True)
        config = SimulationConfig(
            **SPLIT_CONFIG,
            typology_share=SPLIT_TYPOLOGY_SHARE,
            lookalike_share=SPLIT_LOOKALIKE_SHARE,
            scenario_split=split,
        )
        simulate(url, config)
        found[split] = psycopg.connect(url)
    yield found
    for conn in found.values():
        conn.close()


def _cases(conn: psycopg.Connection, family: str) -> list[dict[str, Any]]:
    """Each labelled case of a family: its label and its journal legs (accounts, directions, amounts)."""
    labels = conn.execute(
        "SELECT label_id, customer_refs, account_codes, details, window_start, complete FROM sim.labels"
        " WHERE family = %s",
        (family,),
    ).fetchall()
    legs = conn.execute(
        """
        SELECT le.label_id, j.reference_id, j.effective_at, j.channel, j.counterparty_name, j.counterparty_account,
               a.code, e.direction, e.amount
          FROM sim.labels l
          JOIN sim.label_entries le USING (label_id)
          JOIN ledger.journal_entries j ON j.reference_id = le.reference_id
          JOIN ledger.entries e ON e.journal_id = j.journal_id AND e.effective_at = j.effective_at
          JOIN ledger.accounts a ON a.account_id = e.account_id
         WHERE l.family = %s
         ORDER BY j.effective_at, j.reference_id, e.leg_no
        """,
        (family,),
    ).fetchall()
    by_label: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in legs:
        by_label[row[0]].append(row[1:])
    return [
        {"id": lid, "customers": refs, "accounts": codes, "details": details, "start": start, "legs": by_label[lid],
         "complete": complete}
        for lid, refs, codes, details, start, complete in labels
    ]  # fmt: skip


@pytest.mark.slow
def test_every_family_and_look_alike_is_labelled_in_every_split(splits: dict[str, psycopg.Connection]) -> None:
    for split, db in splits.items():
        rows = db.execute("SELECT family, is_benign, split, count(*) FROM sim.labels GROUP BY 1, 2, 3").fetchall()
        assert {r[0] for r in rows} == set(TYPOLOGIES) | set(LOOKALIKES), split
        assert all(benign == (family in LOOKALIKES) and s == split for family, benign, s, _ in rows)
        assert sum(n for family, _, _, n in rows if family in TYPOLOGIES) >= 0.95 * 360 * SPLIT_TYPOLOGY_SHARE
        # every reference is one the ledger holds, every customer and account exists
        dangling = db.execute(
            """
            SELECT count(*) FROM sim.label_entries e
             WHERE (e.kind = 'journal' AND NOT EXISTS (SELECT 1 FROM ledger.journal_entries j
                                                        WHERE j.reference_id = e.reference_id))
                OR (e.kind = 'hold' AND NOT EXISTS (SELECT 1 FROM ledger.holds h WHERE h.reference_id = e.reference_id))
            """
        ).fetchone()
        assert dangling == (0,)
        unknown = db.execute(
            "SELECT count(*) FROM sim.labels l, unnest(l.customer_refs) AS r(ref)"
            " WHERE NOT EXISTS (SELECT 1 FROM ledger.customers c WHERE c.external_ref = r.ref)"
        ).fetchone()
        assert unknown == (0,)
        no_account = db.execute(
            "SELECT count(*) FROM sim.labels l, unnest(l.account_codes) AS a(code)"
            " WHERE NOT EXISTS (SELECT 1 FROM ledger.accounts x WHERE x.code = a.code)"
        ).fetchone()
        assert no_account == (0,)
        captures = db.execute("SELECT count(*) FROM sim.label_entries WHERE reference_id LIKE '%:capture'").fetchone()
        assert captures[0] > 0  # card cases carry the capture journals of their authorisations
        # nothing in a scenario's references says it is one
        telling = db.execute(
            "SELECT count(*) FROM sim.labels l JOIN sim.label_entries e USING (label_id)"
            " WHERE strpos(e.reference_id, l.family) > 0 OR strpos(e.reference_id, l.split) > 0"
        ).fetchone()
        assert telling == (0,)
        # several customers where the family says so
        multi = dict(
            db.execute("SELECT family, max(cardinality(customer_refs)) FROM sim.labels GROUP BY family").fetchall()
        )
        assert min(multi[f] for f in ("smurfing", "card_testing_merchant", "stack", "bipartite")) >= 3


@pytest.mark.slow
def test_families_look_like_themselves(splits: dict[str, psycopg.Connection]) -> None:
    for split, db in splits.items():
        # structuring: cash deposits each under the CTR threshold, together above it
        for case in _cases(db, "structuring"):
            credits = [leg for leg in case["legs"] if leg[6] == "CREDIT"]
            assert len(credits) >= 3 and all(leg[2] == "CASH_DEPOSIT" for leg in credits)
            assert max(leg[7] for leg in credits) < 10000 < sum(leg[7] for leg in credits)
        # fan-out: one hub pays at least three distinct beneficiaries
        for case in _cases(db, "fan_out"):
            hub = case["details"]["hub"]
            paid = {
                leg[4] or next(x[5] for x in case["legs"] if x[0] == leg[0] and x[6] == "CREDIT")
                for leg in case["legs"]
                if leg[5].startswith(hub + "-") and leg[6] == "DEBIT"
            }
            assert len(paid) >= 3, case["id"]
        # cycle: the money leaves the origin and comes back to it, a little less each hop (a cycle whose last
        # hops fell after the run's end is labelled not whole, with the reason)
        for case in _cases(db, "cycle"):
            if not case["complete"]:
                assert case["details"]["unfinished"], case["id"]
                continue
            origin = case["details"]["origin"] + "-"
            out = [leg for leg in case["legs"] if leg[5].startswith(origin) and leg[6] == "DEBIT"]
            back = [leg for leg in case["legs"] if leg[5].startswith(origin) and leg[6] == "CREDIT"]
            assert out and back and back[-1][1] > out[0][1], case["id"]
            assert back[-1][7] < out[0][7]
            assert 3 <= case["details"]["hops"] <= 7
        # dormancy: no movement on the account for at least 60 days before the case
        for case in _cases(db, "dormant_reactivation"):
            refs = {leg[0] for leg in case["legs"]}
            before = db.execute(
                "SELECT max(j.effective_at) FROM ledger.journal_entries j"
                " JOIN ledger.entries e ON e.journal_id = j.journal_id AND e.effective_at = j.effective_at"
                " JOIN ledger.accounts a ON a.account_id = e.account_id"
                " WHERE a.code = ANY(%s) AND j.effective_at < %s AND NOT j.reference_id = ANY(%s)",
                (case["accounts"], case["start"], list(refs)),
            ).fetchone()[0]
            assert before is not None and case["start"] - before >= timedelta(days=60), case["id"]
        # mules: every payer is a counterparty of its own, most of the money leaves again
        for case in _cases(db, "money_mule"):
            customer = f"S{SPLIT_CONFIG['seed']}-C"
            inbound = [
                leg for leg in case["legs"] if leg[6] == "CREDIT" and leg[5].startswith(customer) and leg[3] is not None
            ]
            payers = {leg[4] for leg in inbound}
            assert len(payers) == len(inbound) >= 5
            assert any(leg[6] == "DEBIT" and leg[5].startswith(customer) for leg in case["legs"])
        # look-alikes: a payroll business pays its staff by ACH on one day, a landlord is a landlord
        for case in _cases(db, "payroll_run"):
            owner = case["customers"][0]
            segment = db.execute("SELECT segment FROM ledger.customers WHERE external_ref = %s", (owner,)).fetchone()
            assert segment == ("SMALL_BUSINESS",)
            payroll = [leg for leg in case["legs"] if leg[5].startswith(owner + "-") and leg[6] == "DEBIT"]
            assert len(payroll) >= 5 and {leg[2] for leg in payroll} == {"ACH"}
        occupations = db.execute(
            "SELECT DISTINCT c.occupation FROM sim.labels l JOIN ledger.customers c ON c.external_ref = l.customer_ref"
            " WHERE l.family = 'rent_collection'"
        ).fetchall()
        assert occupations == [("landlord",)], split


@pytest.mark.slow
def test_holdout_parameters_differ_from_tune(splits: dict[str, psycopg.Connection]) -> None:
    def details(split: str, family: str) -> list[dict[str, Any]]:
        rows = splits[split].execute("SELECT details FROM sim.labels WHERE family = %s", (family,)).fetchall()
        return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in rows]

    tune_payers = [d["payers"] for d in details("tune", "money_mule")]
    holdout_payers = [d["payers"] for d in details("holdout", "money_mule")]
    assert max(tune_payers) <= 10 < 11 <= min(holdout_payers)
    assert min(Decimal(d["smallest"]) for d in details("tune", "structuring")) >= 9000
    assert max(Decimal(d["largest"]) for d in details("holdout", "structuring")) <= 7000
    assert max(d["degree"] for d in details("tune", "fan_out")) < min(
        d["degree"] for d in details("holdout", "fan_out")
    )
    assert max(d["hops"] for d in details("tune", "cycle")) < min(d["hops"] for d in details("holdout", "cycle"))
    # watch-listed names: typos and word order in tune, other scripts and romanisations in holdout
    tune_names = {n for d in details("tune", "watchlist_payment") for n in d["names"]}
    holdout_names = {n for d in details("holdout", "watchlist_payment") for n in d["names"]}
    # (both may pay a listed name or alias as it is listed; the variants are what differ)
    listed = {
        n
        for name, aliases in splits["tune"].execute("SELECT name, aliases FROM sim.watchlist").fetchall()
        for n in [name, *(aliases or [])]
    }
    assert all(n.isascii() for n in tune_names) and not (tune_names & holdout_names) - listed - {None}
    assert any(not n.isascii() for n in holdout_names)
    spellings = {s for d in details("holdout", "watchlist_payment") for s in d["spellings"]}
    assert spellings <= {"listed", "alias", "script", "romanisation"}
    # the ledger agrees: holdout card testing uses larger amounts than tune's sub-3.00 probes
    amounts = {
        split: db.execute(
            "SELECT max(h.amount) FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
            " JOIN ledger.holds h ON h.reference_id = le.reference_id WHERE l.family = 'card_testing'"
        ).fetchone()[0]
        for split, db in splits.items()
    }
    assert amounts["tune"] < 3 < amounts["holdout"]


def _split_details(splits: dict[str, psycopg.Connection], split: str, family: str) -> list[dict[str, Any]]:
    rows = splits[split].execute("SELECT details FROM sim.labels WHERE family = %s", (family,)).fetchall()
    return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in rows]


def _credits(db: psycopg.Connection, family: str) -> list[Decimal]:
    rows = db.execute(
        "SELECT e.amount FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
        " JOIN ledger.journal_entries j ON j.reference_id = le.reference_id"
        " JOIN ledger.entries e ON e.journal_id = j.journal_id AND e.direction = 'CREDIT'"
        " JOIN ledger.accounts a ON a.account_id = e.account_id"
        " WHERE l.family = %s AND a.code = ANY(l.account_codes)",
        (family,),
    ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.slow
def test_holdout2_parameters_differ_from_tune_and_holdout(splits: dict[str, psycopg.Connection]) -> None:
    """holdout2 is a third variation of each family, not a copy of either earlier split."""
    # structuring: every deposit below tune's band and outside holdout's
    deposits = {split: _credits(db, "structuring") for split, db in splits.items()}
    assert deposits["holdout2"] and all(a < 9000 and not 3000 <= a <= 7000 for a in deposits["holdout2"])
    assert min(deposits["tune"]) >= 9000 and all(3000 <= a <= 7000 for a in deposits["holdout"])
    # FX round trips start from other home currencies than tune's
    homes = {split: {d["home"] for d in _split_details(splits, split, "fx_round_trip")} for split in splits}
    assert homes["tune"] == {"USD"} and homes["holdout2"] and "USD" not in homes["holdout2"]
    # card testing probes: smaller than the smallest of tune and holdout
    probes = {
        split: db.execute(
            "SELECT min(h.amount) FROM sim.labels l JOIN sim.label_entries le USING (label_id)"
            " JOIN ledger.holds h ON h.reference_id = le.reference_id WHERE l.family = 'card_testing'"
        ).fetchone()[0]
        for split, db in splits.items()
    }
    assert probes["holdout2"] < Decimal("0.5") <= probes["tune"] and probes["holdout"] >= 1
    # the drawn parameters differ between all three splits for the graph families too
    for family, key in (("fan_out", "degree"), ("cycle", "hops"), ("gather_scatter", "senders")):
        drawn = {split: sorted(d[key] for d in _split_details(splits, split, family)) for split in splits}
        assert len({tuple(v) for v in drawn.values()}) == 3, (family, drawn)
