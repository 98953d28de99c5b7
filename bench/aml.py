"""AML detection measured on simulated banks: recall per laundering family, benign look-alikes flagged,
precision, alert volume, and the time of the compliance marts.

    python -m bench.aml [--customers 1000] [--days 60] [--share 0.12] [--lookalike-share 0.06]
                        [--default-days 90] [--skip-default] [--splits tune,holdout,holdout2]
                        [--seed holdout2=505]

Evaluation banks are simulated with the simulator's parameter splits: `tune` (seed 101; the ranges the
rules' thresholds were set on), `holdout` (seed 202; other sizes, delays, amounts, hop counts and name
variants) and `holdout2` (seed 404; ranges written apart from the rules). The numbers that count are the holdouts'
on a seed whose cases were never looked at while the rules were changed: `--seed holdout2=<new seed>`
simulates fresh cases on a split's ranges. Then
the default dataset (2,000 customers x `--default-days`, 2% of them in typologies) gives the alert volume
per 1,000 customers per month and the build time of the compliance marts. Databases are kept between
runs on the configured server (`fintra_bench_aml_*`) and re-simulated when their configuration changed.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from typing import Any

import psycopg

from fintra.database import create_database, database_url
from fintra.settings import get_settings
from ledger.schema import migrate as migrate_ledger
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.aml_evaluation import evaluate
from pipelines.transform import BUILD, SCHEMA, dbt_home, run_dbt

SEEDS = {"tune": 101, "holdout": 202, "holdout2": 404}
START = date(2026, 1, 1)
TARGETS = {
    "recall_per_family": ">= 0.95 on the holdout split",
    "lookalikes_flagged": "<= 0.05",
    "alerts_per_1000_customers_per_month": "<= 15 on the default dataset",
    "compliance_build_s": "< 60 on ~1M entries",
}


def _ledger(name: str, config: SimulationConfig) -> tuple[str, float | None]:
    """The database `name` simulated with `config` (kept when it already holds that run)."""
    server = database_url(get_settings())
    try:
        url = create_database(server, name, drop_existing=False)
        with psycopg.connect(url) as conn:
            done = conn.execute(
                "SELECT 1 FROM sim.runs WHERE run_key = %s AND finished_at IS NOT NULL", (config.run_key,)
            ).fetchone()
        if done is not None:
            migrate_ledger(url)  # a bank simulated by an older version: its schema brought up to date
            return url, None
    except psycopg.Error:
        pass
    url = create_database(server, name, drop_existing=True)
    print(f"simulating {config.run_key} into {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    simulate(url, config)
    return url, round(time.perf_counter() - started, 1)


def _build(url: str) -> tuple[float, dict[str, float]]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    started = time.perf_counter()
    result = run_dbt(BUILD, url, capture=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{result.stdout[-3000:]}")
    results = json.loads((dbt_home(url) / "target" / "run_results.json").read_text())
    models = {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results["results"]
        if r["unique_id"].startswith("model.") and (".rpt_" in r["unique_id"] or ".int_" in r["unique_id"])
    }
    return elapsed, models


def _split(split: str, seed: int, customers: int, days: int, share: float, lookalikes: float) -> dict[str, Any]:
    config = SimulationConfig(
        customers=customers,
        days=days,
        start=START,
        seed=seed,
        typology_share=share,
        lookalike_share=lookalikes,
        scenario_split=split,
    )
    name = f"fintra_bench_aml_{split}" if seed == SEEDS[split] else f"fintra_bench_aml_{split}_{seed}"
    url, simulated = _ledger(name, config)
    build_s, _ = _build(url)
    summary = evaluate(url).summary()
    return {"seed": seed, "simulation_s": simulated, "dbt_build_s": round(build_s, 1), **summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--share", type=float, default=0.12)
    parser.add_argument("--lookalike-share", type=float, default=0.06)
    parser.add_argument("--default-days", type=int, default=90)
    parser.add_argument("--skip-default", action="store_true")
    parser.add_argument("--splits", default="tune,holdout,holdout2", help="comma-separated: tune, holdout, holdout2")
    parser.add_argument(
        "--seed",
        action="append",
        default=[],
        metavar="SPLIT=SEED",
        help="simulate a split with another seed (fresh cases on its ranges), e.g. --seed holdout2=505",
    )
    args = parser.parse_args()
    seeds = dict(SEEDS)
    for item in args.seed:
        split, _, value = item.partition("=")
        if split not in SEEDS or not value.isdigit():
            parser.error(f"--seed: expected SPLIT=SEED with SPLIT one of {', '.join(SEEDS)}, got {item!r}")
        seeds[split] = int(value)

    report: dict[str, Any] = {"benchmark": "aml", "targets": TARGETS}
    for split in args.splits.split(","):
        if split not in SEEDS:
            parser.error(f"--splits: unknown split {split!r}; expected some of {', '.join(SEEDS)}")
        report[split] = _split(split, seeds[split], args.customers, args.days, args.share, args.lookalike_share)
        families = report[split]["recall_by_family"]
        report[f"{split}_min_recall"] = min((v["recall"] for v in families.values()), default=None)
        report[f"{split}_families_below_95"] = sorted(k for k, v in families.items() if v["recall"] < 0.95)
        # cases the simulator could not post whole (`sim.labels.complete`), and the families below 95% on
        # the others: a miss the simulator explains told from a miss of the rules
        report[f"{split}_not_posted_whole"] = sum(v["not_posted_whole"] for v in families.values())
        report[f"{split}_families_below_95_on_whole_cases"] = sorted(
            k
            for k, v in families.items()
            if v["recall_on_whole_cases"] is not None and v["recall_on_whole_cases"] < 0.95
        )
        report[f"{split}_families_with_no_whole_case"] = sorted(
            k for k, v in families.items() if v["recall_on_whole_cases"] is None
        )
    if not args.skip_default:
        config = SimulationConfig(customers=2000, days=args.default_days, start=START, seed=42)
        url, simulated = _ledger("fintra_bench_aml_default", config)
        build_s, models = _build(url)
        default = evaluate(url)
        with psycopg.connect(url) as conn:
            entries = conn.execute("SELECT count(*) FROM ledger.entries").fetchone()[0]
        compliance = {k: round(v, 2) for k, v in sorted(models.items(), key=lambda kv: -kv[1])}
        report["default"] = {
            "simulation_s": simulated,
            "entries": entries,
            "dbt_build_s": round(build_s, 1),
            "compliance_models_s": round(sum(compliance.values()), 1),
            "slowest_models_s": dict(list(compliance.items())[:8]),
            "alerts": len(default.alerts),
            "alerts_per_1000_customers_per_month": round(default.alerts_per_1000_customers_month, 2),
            "rule_alerts_per_1000_customers_per_month": default.summary()["rule_alerts_per_1000_customers_per_month"],
            "false_alerts_per_1000_customers_per_month": round(default.false_alerts_per_1000_customers_month, 2),
            "alerted_customers_per_1000_per_month": round(default.alerted_customers_per_1000_month, 2),
            "laundering_cases": sum(s.cases for s in default.families.values()),
            "precision": round(default.precision, 4),
            "alerts_by_rule": {rule: v["alerts"] for rule, v in default.summary()["alerts_by_rule"].items()},
        }
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
