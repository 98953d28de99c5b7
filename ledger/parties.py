"""Customers (parties) and their personal data, registered in bulk and idempotently by external_ref."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import psycopg

from ledger.errors import InvalidRequest
from ledger.money import require_aware

_INSERT_CUSTOMERS = """
INSERT INTO ledger.customers (external_ref, country, occupation, segment, risk_rating, onboarded_at)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::timestamptz[])
ON CONFLICT (external_ref) DO NOTHING
"""
_INSERT_PII = """
INSERT INTO ledger.customer_pii (customer_id, full_name, email, date_of_birth, city, region, address_line,
                                 postal_code, id_type, id_number)
SELECT c.customer_id, p.full_name, p.email, p.dob, p.city, p.region, p.address_line, p.postal_code, p.id_type,
       p.id_number
  FROM unnest(%b::text[], %b::text[], %b::text[], %b::date[], %b::text[], %b::text[], %b::text[], %b::text[],
              %b::text[], %b::text[])
       AS p(ref, full_name, email, dob, city, region, address_line, postal_code, id_type, id_number)
  JOIN ledger.customers c ON c.external_ref = p.ref
ON CONFLICT (customer_id) DO NOTHING
"""
_IDS = "SELECT external_ref, customer_id FROM ledger.customers WHERE external_ref = ANY(%b)"


class Segment(StrEnum):
    """Who the customer is, as the compliance rules read it: people (RETAIL, PREMIUM, STUDENT) or a small
    business, whose takings, payroll and suppliers are judged against its trade."""

    RETAIL = "RETAIL"
    PREMIUM = "PREMIUM"
    STUDENT = "STUDENT"
    SMALL_BUSINESS = "SMALL_BUSINESS"


class IdType(StrEnum):
    """The identification document a customer showed at onboarding (a CTR names it)."""

    PASSPORT = "PASSPORT"
    DRIVERS_LICENSE = "DRIVERS_LICENSE"
    NATIONAL_ID = "NATIONAL_ID"


class RiskRating(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


# other spellings of a segment a caller may use (after upper-casing, spaces and hyphens as "_")
SEGMENT_ALIASES: dict[str, Segment] = {
    "BUSINESS": Segment.SMALL_BUSINESS,
    "SME": Segment.SMALL_BUSINESS,
    "SMB": Segment.SMALL_BUSINESS,
    "SMALL_BUSINESS": Segment.SMALL_BUSINESS,
    "PERSONAL": Segment.RETAIL,
    "INDIVIDUAL": Segment.RETAIL,
    "CONSUMER": Segment.RETAIL,
}


E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], value: object, *, field: str, aliases: dict[str, E] | None = None) -> E:
    """`value` as a member of `kind`, in any case, with spaces or hyphens for underscores (or one of
    `aliases`); anything else is refused naming `field` and the values accepted."""
    if isinstance(value, kind):
        return value
    expected = ", ".join(kind)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{field} must be one of {expected}", field=field)
    key = re.sub(r"[\s-]+", "_", value.strip()).upper()
    found = (aliases or {}).get(key) or kind.__members__.get(key)
    if found is None:
        raise InvalidRequest(f"{field}: unknown value {value!r}; expected one of {expected}", field=field)
    return found


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
    address_line: str | None = None  # street and number
    postal_code: str | None = None
    id_type: str | None = None  # the document seen at onboarding: IdType
    id_number: str | None = None


def register_customers(conn: psycopg.Connection[Any], profiles: Sequence[CustomerProfile]) -> dict[str, int]:
    """Insert the customers not yet known (by external_ref) with their personal data; return all ids.

    Registering the same customer again changes nothing (first registration wins). Segment and risk rating
    are read in any case ("small business", "Small-Business"; segment aliases: `SEGMENT_ALIASES`), the
    country as an ISO 3166-1 alpha-2 code; a value outside them is refused naming `customers[i].<field>`
    and nothing is written."""
    profiles = [_checked(i, p) for i, p in enumerate(profiles)]
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
                [p.address_line for p in profiles],
                [p.postal_code for p in profiles],
                [p.id_type for p in profiles],
                [p.id_number for p in profiles],
            ),
        )
        return dict(conn.execute(_IDS, (refs,)).fetchall())


_EXTERNAL_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._/-]{0,63}")


def _checked(i: int, p: CustomerProfile) -> CustomerProfile:
    """`p` with its enumerations in their canonical spelling, or a refusal naming the field at fault."""
    field = f"customers[{i}]"
    require_aware(p.onboarded_at, field=f"{field}.onboarded_at")
    if not isinstance(p.external_ref, str) or not _EXTERNAL_REF.fullmatch(p.external_ref):
        raise InvalidRequest(
            f"{field}.external_ref must be 1-64 letters, digits or :._/- starting with a letter or digit, "
            f"got {p.external_ref!r}",
            field=f"{field}.external_ref",
        )
    country = p.country.strip().upper() if isinstance(p.country, str) else ""
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise InvalidRequest(
            f"{field}.country must be an ISO 3166-1 alpha-2 code such as US or GB, got {p.country!r}",
            field=f"{field}.country",
        )
    for name in ("occupation", "full_name", "email"):
        value = getattr(p, name)
        if not isinstance(value, str) or not value.strip():
            raise InvalidRequest(f"{field}.{name} is required", field=f"{field}.{name}")
    if (p.id_type is None) != (p.id_number is None):
        missing = "id_number" if p.id_number is None else "id_type"
        raise InvalidRequest(f"{field}.{missing} is required with the other", field=f"{field}.{missing}")
    id_type = None if p.id_type is None else _choice(IdType, p.id_type, field=f"{field}.id_type")
    return replace(
        p,
        id_type=id_type,
        country=country,
        segment=_choice(Segment, p.segment, field=f"{field}.segment", aliases=SEGMENT_ALIASES),
        risk_rating=_choice(RiskRating, p.risk_rating, field=f"{field}.risk_rating"),
    )
