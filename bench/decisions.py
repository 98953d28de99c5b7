"""The fast brain replayed on simulated days: how often ordinary traffic would be held (false positives)
and how much of the labelled laundering and fraud traffic would be stopped, per rule and family.

    python -m bench.decisions [--days 1]

Needs the configured platform to hold simulated data and a trained risk model (the demo, or `fintra
models train risk`). Replays the last `--days` days of the latest simulation with the
production model, the watch list of the settings and the default policy (`pipelines.decision_replay`).
Prints one JSON object: per day the counts, `false_positive_rate` (ordinary transfers reviewed or blocked),
what held them, look-alikes held and suspicious transfers held per family, and the seconds it took.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta

import psycopg

from features.screening import Screener, load_watchlist
from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings
from models.registry import Registry
from models.risk.scorer import RiskScorer
from pipelines.decision_replay import last_simulated_day, replay_day
from serving.engine import Policy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1, help="how many full days to replay (latest first)")
    args = parser.parse_args()
    settings = get_settings()
    scorer = RiskScorer.from_registry(Registry(Lake.from_settings(settings)))
    screener = Screener(load_watchlist(settings.watchlist_path))
    policy = Policy(drain_share=settings.rule_drain_share, new_payee_days=settings.rule_new_payee_days)
    days = []
    with psycopg.connect(database_url(settings), autocommit=True) as conn:
        last = last_simulated_day(conn)
        for back in range(args.days):
            started = time.perf_counter()
            summary = replay_day(conn, scorer, screener, policy, last - timedelta(days=back))
            days.append({**summary.as_dict(), "seconds": round(time.perf_counter() - started, 2)})
    ordinary = sum(d["ordinary"] for d in days)
    held = sum(d["ordinary_held"] for d in days)
    print(
        json.dumps(
            {
                "benchmark": "decisions",
                "model_version": scorer.version,
                "false_positive_rate": round(held / ordinary, 4) if ordinary else None,
                "days": days,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
