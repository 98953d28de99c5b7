"""Customers (parties) and their personal data, registered in bulk and idempotently by external_ref."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from ledger.errors import InvalidRequest
from ledger.money import require_aware

_INSERT_CUSTOMERS = """
INSERT INTO ledger.customers (external_ref, country, occupation, segment, risk_rating, onboarded_at)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::timestamptz[])
ON CONFLICT (external_ref) DO NOTHING
"""
_INSERT_PII = """
INSERT INTO ledger.customer_pii (customer_id, full_name, email, date_of_birth, city, region)
SELECT c.customer_id, p.full_name, p.email, p.dob, p.city, p.region
  FROM unnest(%b::text[], %b::text[], %b::text[], %b::date[], %b::text[], %b::text[])
       AS p(ref, full_name, email, dob, city, region)
  JOIN ledger.customers c ON c.external_ref = p.ref
ON CONFLICT (customer_id) DO NOTHING
"""
_IDS = "SELECT external_ref, customer_id FROM ledger.customers WHERE external_ref = ANY(%b)"


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    external_ref: str
    country: str
    occupation: str
    segment: str
    risk_rating: str
    onboarded_at: datetime
    full_name: str
    email: str
    date_of_birth: date
    city: str | None = None
    region: str | None = None


def register_customers(conn: psycopg.Connection[Any], profiles: Sequence[CustomerProfile]) -> dict[str, int]:
    """Insert the customers not yet known (by external_ref) with their personal data; return all ids.

    Registering the same customer again changes nothing (first registration wins)."""
    for i, p in enumerate(profiles):
        require_aware(p.onboarded_at, field=f"customers[{i}].onboarded_at")
        if not p.external_ref:
            raise InvalidRequest(f"customers[{i}].external_ref is required", field=f"customers[{i}].external_ref")
    refs = [p.external_ref for p in profiles]
    with conn.transaction():
        conn.execute(
            _INSERT_CUSTOMERS,
            (
                refs,
                [p.country for p in profiles],
                [p.occupation for p in profiles],
                [p.segment for p in profiles],
                [p.risk_rating for p in profiles],
                [p.onboarded_at for p in profiles],
            ),
        )
        conn.execute(
            _INSERT_PII,
            (
                refs,
                [p.full_name for p in profiles],
                [p.email for p in profiles],
                [p.date_of_birth for p in profiles],
                [p.city for p in profiles],
                [p.region for p in profiles],
            ),
        )
        return dict(conn.execute(_IDS, (refs,)).fetchall())
