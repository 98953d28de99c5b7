"""What keeping each account's insights costs, and what a daily run costs once the card descriptors are placed.

    python -m bench.insights [--accounts 300]

Needs the configured platform to hold a production merchant index (the demo, or `fintra models train
merchants`). Takes the `--accounts` customer accounts with the most card payments and computes their insights
as `fintra run` does (`serving.insights.precompute_insights`), twice:
  reference   every account computed, none of its card descriptors placed by this merchant index before
              (what the first run after a new index costs, and every run before descriptors were kept)
  daily       every account computed again as if each had moved (its kept insights dropped), its
              descriptors placed by the run before (`serving.merchant_resolutions`): what the daily run costs
Only these accounts' kept insights and descriptors are dropped (both are caches); the second pass keeps them
again. Prints one JSON object with the seconds per account and the ratio.
"""

from __future__ import annotations

import argparse
import json
import time

import psycopg

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings
from models.merchants.build import NAME as MERCHANTS
from models.merchants.build import resolver_from_registry
from models.registry import Registry
from serving.insights import precompute_insights
from serving.schema import migrate

_CARD_USERS = """
SELECT a.code FROM ledger.holds AS h JOIN ledger.accounts AS a ON a.account_id = h.from_account_id
 WHERE a.customer_id IS NOT NULL AND h.capture_journal_id IS NOT NULL
 GROUP BY a.code ORDER BY count(*) DESC, a.code LIMIT %s
"""
_THEIR_DESCRIPTORS = """
DELETE FROM serving.merchant_resolutions AS r
 USING ledger.holds AS h JOIN ledger.accounts AS a ON a.account_id = h.from_account_id
 WHERE a.code = ANY(%s) AND r.descriptor = h.description
"""
_THEIR_INSIGHTS = """
DELETE FROM serving.account_insights AS i USING ledger.accounts AS a
 WHERE a.account_id = i.account_id AND a.code = ANY(%s)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=300, help="customer accounts with the most card payments")
    args = parser.parse_args()
    settings = get_settings()
    url = database_url(settings)
    migrate(url)
    registry = Registry(Lake.from_settings(settings))
    version = registry.production_version(MERCHANTS)
    if version is None:
        raise SystemExit("no production merchant index: run the demo or `fintra models train merchants` first")
    resolver = resolver_from_registry(registry, settings, version)
    timings = {}
    with psycopg.connect(url) as conn:
        codes = [c for (c,) in conn.execute(_CARD_USERS, (args.accounts,)).fetchall()]
        payments = conn.execute(
            "SELECT count(*) FROM ledger.holds AS h JOIN ledger.accounts AS a ON a.account_id = h.from_account_id"
            " WHERE a.code = ANY(%s) AND h.capture_journal_id IS NOT NULL",
            (codes,),
        ).fetchone()[0]
        conn.execute(_THEIR_DESCRIPTORS, (codes,))
        for run in ("reference", "daily"):
            conn.execute(_THEIR_INSIGHTS, (codes,))
            conn.commit()
            started = time.perf_counter()
            computed, _ = precompute_insights(conn, resolver, codes=codes)
            timings[run] = (computed, time.perf_counter() - started)
    (computed, reference), (_, daily) = timings["reference"], timings["daily"]
    print(
        json.dumps(
            {
                "benchmark": "insights",
                "accounts": computed,
                "card_payments_of_these_accounts": payments,
                "reference_descriptors_not_placed_s": round(reference, 2),
                "reference_ms_per_account": round(1000 * reference / max(computed, 1), 1),
                "daily_descriptors_placed_s": round(daily, 2),
                "daily_ms_per_account": round(1000 * daily / max(computed, 1), 1),
                "daily_over_reference": round(daily / reference, 3) if reference else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
