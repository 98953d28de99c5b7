"""Personal data out of the ledger: only through `identities`, only for a stated purpose, and every read
recorded in `ledger.pii_access` (who, for what, whose, when) in the read's own transaction, so that no
identity leaves without its audit row.

The lake holds customers pseudonymised; a filing (a CTR, a SAR) must name the person. Callers check that
the actor may see personal data (the API's `pii:read` scope) before they call here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from ledger.errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class Identity:
    customer_id: int
    external_ref: str
    full_name: str
    date_of_birth: date
    email: str
    address_line: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str
    id_type: str | None
    id_number: str | None
    occupation: str
    onboarded_at: datetime


_IDENTITIES = """
SELECT c.customer_id, c.external_ref, p.full_name, p.date_of_birth, p.email, p.address_line, p.city, p.region,
       p.postal_code, c.country, p.id_type, p.id_number, c.occupation, c.onboarded_at
  FROM ledger.customers AS c JOIN ledger.customer_pii AS p USING (customer_id)
 WHERE c.customer_id = ANY(%s)
"""


def identities(
    conn: psycopg.Connection[Any], customer_ids: Iterable[int], *, actor: str, purpose: str
) -> dict[int, Identity]:
    """The identities of `customer_ids` that exist, the access recorded (even when none is found)."""
    ids = sorted({int(i) for i in customer_ids})
    if not actor or not actor.strip():
        raise InvalidRequest("actor must name who reads personal data", field="actor")
    if not purpose or not purpose.strip():
        raise InvalidRequest("purpose must say why personal data is read", field="purpose")
    with conn.transaction():
        conn.execute(
            "INSERT INTO ledger.pii_access (actor, purpose, customer_ids) VALUES (%s, %s, %s)",
            (actor.strip(), purpose.strip(), ids),
        )
        rows = conn.execute(_IDENTITIES, (ids,)).fetchall()
    return {row[0]: Identity(*row) for row in rows}
