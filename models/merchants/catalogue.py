"""The merchant catalogue as resolution sees it: each brand with its known aliases.

Brands and aliases are the dbt seeds `analytics.merchants` and `analytics.merchant_aliases`
(`ledger/simulator/data/`), to which analysts' confirmed merchants and merges are added (`curation`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from fintra.card_descriptors import Brand
from models.merchants.matching import Alias, Merchant, alias_text


@dataclass(frozen=True, slots=True)
class CatalogueBrand:
    merchant: Merchant
    processor: str
    aliases: tuple[tuple[str, str], ...]  # (kind, text)

    def generator(self, kinds: Iterable[str] | None = None) -> Brand:
        """The brand for the shared descriptor generator (with only aliases of `kinds` when given)."""
        wanted = None if kinds is None else set(kinds)
        aliases = tuple(a for a in self.aliases if wanted is None or a[0] in wanted)
        return Brand(self.merchant.name, self.merchant.category, self.processor, aliases)


def catalogue_brands(conn: psycopg.Connection) -> list[CatalogueBrand]:
    """Every catalogue brand with its aliases, in merchant id order."""
    rows = conn.execute(
        "SELECT m.merchant_id, m.name, m.mcc, m.category, coalesce(m.processor, ''),"
        " coalesce(array_agg(a.kind ORDER BY a.kind, a.alias) FILTER (WHERE a.alias IS NOT NULL), '{}'),"
        " coalesce(array_agg(a.alias ORDER BY a.kind, a.alias) FILTER (WHERE a.alias IS NOT NULL), '{}')"
        " FROM analytics.merchants AS m LEFT JOIN analytics.merchant_aliases AS a USING (merchant_id)"
        " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1"
    ).fetchall()
    if not rows:
        raise LookupError("analytics.merchants is empty: build the dbt project first (fintra dbt build)")
    return [
        CatalogueBrand(Merchant(r[0], r[1], int(r[2]), r[3]), r[4], tuple(zip(r[5], r[6], strict=True))) for r in rows
    ]


def aliases_of(brands: Iterable[CatalogueBrand], *, names_only: frozenset[str] = frozenset()) -> list[Alias]:
    """Index rows: every brand's name (also with `&` spelled out, and without spaces) and its known aliases,
    distinct per brand; brands in `names_only` contribute their name alone."""
    rows: list[Alias] = []
    for brand in brands:
        seen: set[str] = set()
        forms = [("name", brand.merchant.name), ("name", brand.merchant.name.replace("&", " and "))]
        if brand.merchant.merchant_id not in names_only:
            forms += list(brand.aliases)
        for kind, text in forms:
            normalised = alias_text(text)
            for variant in dict.fromkeys((normalised, normalised.replace(" ", ""))):
                if variant and variant not in seen:
                    seen.add(variant)
                    rows.append(Alias(brand.merchant, variant, kind))
    return rows
