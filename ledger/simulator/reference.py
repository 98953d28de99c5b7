"""The simulator's shipped reference data: merchant catalogue and fictional watchlist."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Merchant:
    merchant_id: str
    name: str
    mcc: int
    category: str
    country: str
    processor: str
    min_amount: Decimal
    max_amount: Decimal


@dataclass(frozen=True, slots=True)
class WatchlistEntity:
    entity_id: str
    name: str
    entity_type: str
    program: str
    country: str
    aliases: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("ledger.simulator").joinpath("data").joinpath(name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def merchants() -> tuple[Merchant, ...]:
    return tuple(
        Merchant(
            r["merchant_id"],
            r["name"],
            int(r["mcc"]),
            r["category"],
            r["country"],
            r["processor"],
            Decimal(r["min_amount"]),
            Decimal(r["max_amount"]),
        )
        for r in _rows("merchants.csv")
    )


@cache
def merchant_aliases() -> dict[str, tuple[tuple[str, str], ...]]:
    """merchant_id → its known aliases as (kind, text), from `merchant_aliases.csv`."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for r in _rows("merchant_aliases.csv"):
        grouped.setdefault(r["merchant_id"], []).append((r["kind"], r["alias"]))
    return {k: tuple(v) for k, v in grouped.items()}


@cache
def merchants_by_category() -> dict[str, tuple[Merchant, ...]]:
    grouped: dict[str, list[Merchant]] = {}
    for m in merchants():
        grouped.setdefault(m.category, []).append(m)
    return {k: tuple(v) for k, v in grouped.items()}


@cache
def watchlist() -> tuple[WatchlistEntity, ...]:
    return tuple(
        WatchlistEntity(
            r["entity_id"],
            r["name"],
            r["entity_type"],
            r["program"],
            r["country"],
            tuple(a for a in r["aliases"].split("|") if a),
        )
        for r in _rows("watchlist.csv")
    )
