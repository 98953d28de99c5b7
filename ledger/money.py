"""Money arithmetic and the checks every amount passes before it reaches the database.

All arithmetic runs in `MONEY`, a decimal context wide enough for NUMERIC(38,18) sums that traps
`Inexact`: an operation that would have to round raises instead of rounding silently. Rounding
happens only where a caller asks for it by name (FX conversion), and is recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import Any

from ledger.errors import AmountPrecision, InvalidAmount, InvalidRequest

MONEY = Context(prec=76, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])
ZERO = Decimal(0)
# NUMERIC(28,18): ten integer digits.
MAX_LEG_AMOUNT = Decimal(10) ** 10
MAX_SCALE = 18


def parse_amount(value: object, *, field: str) -> Decimal:
    """A Decimal from a Decimal, int or decimal string. Floats are refused: they are not exact."""
    if isinstance(value, (bool, float)):
        raise InvalidAmount(
            f"{field} must be a Decimal, int or decimal string; {type(value).__name__} is not exact",
            field=field,
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidAmount(f"{field} is not a decimal number: {value!r}", field=field) from None
    else:
        raise InvalidAmount(f"{field} must be a decimal amount, got {type(value).__name__}", field=field)
    if not amount.is_finite():
        raise InvalidAmount(f"{field} must be a finite number, got {value!r}", field=field)
    return amount


def decimals_of(amount: Decimal) -> int:
    """Significant decimal places: 10.500 has 1, 100 has 0."""
    exponent = amount.normalize(MONEY).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def check_leg_amount(amount: Decimal, *, currency: str, minor_units: int, field: str) -> Decimal:
    """Positive, within NUMERIC(28,18), and no finer than the currency's minor unit."""
    if amount <= ZERO:
        raise InvalidAmount(f"{field} must be positive, got {amount}", field=field, amount=amount)
    if amount >= MAX_LEG_AMOUNT:
        raise InvalidAmount(f"{field} {amount} exceeds the largest amount a leg can carry (< 10^10)", field=field)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= minor_units:
        return amount  # written with no more places than allowed (10.5, 12.34): no need to normalise
    places = decimals_of(amount)
    if places > minor_units:
        raise AmountPrecision(
            f"{field} {amount} has {places} decimal places; {currency} allows {minor_units}",
            field=field,
            currency=currency,
            minor_units=minor_units,
        )
    return amount


def canonical(amount: Decimal) -> str:
    """One spelling per value (10.50 and 10.5 are the same amount), for hashing and payloads."""
    return format(amount.normalize(MONEY), "f")


def require_aware(value: datetime | None, *, field: str) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise InvalidRequest(f"{field} must be timezone-aware (UTC recommended)", field=field)
    return value


def dump_metadata(metadata: Mapping[str, Any] | None, *, field: str = "metadata") -> str:
    """Canonical JSON of caller metadata; Decimals and datetimes become strings."""
    if metadata is None:
        return "{}"
    if not isinstance(metadata, Mapping):
        raise InvalidRequest(f"{field} must be a JSON object", field=field)
    try:
        return json.dumps(metadata, sort_keys=True, separators=(",", ":"), default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InvalidRequest(f"{field} is not JSON-serialisable: {exc}", field=field) from None


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


def content_hash(*parts: object) -> bytes:
    """SHA-256 of a canonical JSON rendering of what a request asks for (its idempotency fingerprint)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=_json_default)
    return hashlib.sha256(text.encode()).digest()
