"""The ledger's PostgreSQL tables as assets: written by the posting API, never by Dagster; the lake
extraction and the dbt marts are downstream of them."""

from __future__ import annotations

import dagster as dg

LEDGER_TABLES = {
    "accounts": "Accounts with their type, currency, owner and role.",
    "journal_entries": "Journal entries (append-only; reference_id is the idempotency key).",
    "entries": "Journal lines, partitioned by month of effective_at.",
    "holds": "Holds and card authorisations (two-phase transfers).",
    "balances": "The balance projection: posted, held, available, version.",
    "ticks": "FX and crypto prices.",
    "currencies": "Currencies and their minor units.",
    "customers": "Customers and their KYC attributes.",
    "customer_pii": "Customers' personal data (pseudonymised in the lake).",
    "event_store": "Every ledger event, with its global sequence.",
    "risk_cases": "The case queue: held transfers and compliance alerts being worked (ledger/cases.py).",
}

LEDGER_ASSETS = [
    dg.AssetSpec(
        dg.AssetKey(["ledger", table]),
        description=f"ledger.{table} in PostgreSQL: {text}",
        group_name="ledger",
        kinds={"postgres"},
    )
    for table, text in LEDGER_TABLES.items()
]


def ledger_table(table: str) -> dg.AssetKey:
    return dg.AssetKey(["ledger", table])
