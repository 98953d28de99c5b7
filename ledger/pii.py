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

from fintra.pseudonyms import PSEUDONYM, pseudonym
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


@dataclass(frozen=True, slots=True)
class Reidentified:
    pseudonym: str
    field: str  # where the value lives: customer_pii.full_name, journal_entries.counterparty_account, ...
    value: str
    customer_id: int | None  # the customer it names, for a customer's own data


# Every value the lake pseudonymises (pipelines.extract.TABLES), with the customer it belongs to.
_PSEUDONYMISED = """
SELECT 'customer_pii.full_name', full_name, customer_id FROM ledger.customer_pii
UNION ALL SELECT 'customer_pii.email', email, customer_id FROM ledger.customer_pii
UNION SELECT 'journal_entries.counterparty_name', counterparty_name, NULL FROM ledger.journal_entries
 WHERE counterparty_name IS NOT NULL
UNION SELECT 'journal_entries.counterparty_account', counterparty_account, NULL FROM ledger.journal_entries
 WHERE counterparty_account IS NOT NULL
UNION SELECT 'holds.counterparty_name', counterparty_name, NULL FROM ledger.holds
 WHERE counterparty_name IS NOT NULL
UNION SELECT 'holds.counterparty_account', counterparty_account, NULL FROM ledger.holds
 WHERE counterparty_account IS NOT NULL
"""

MAX_PSEUDONYMS = 100


def reidentify(
    conn: psycopg.Connection[Any], pseudonyms: Iterable[str], key: bytes, *, actor: str, purpose: str
) -> list[Reidentified]:
    """The values behind lake pseudonyms (made under `key`), each with where it lives; the access recorded
    with the pseudonyms asked for and the customers found (even when nothing is found). Callers check the
    actor may see personal data (`pii:read`)."""
    asked = list(dict.fromkeys(p.strip().lower() for p in pseudonyms))
    if not asked or len(asked) > MAX_PSEUDONYMS:
        raise InvalidRequest(f"pseudonyms must hold 1 to {MAX_PSEUDONYMS} pseudonyms", field="pseudonyms")
    for i, value in enumerate(asked):
        if not PSEUDONYM.fullmatch(value):
            raise InvalidRequest("a pseudonym is 64 hexadecimal characters", field=f"pseudonyms[{i}]")
    if not actor or not actor.strip():
        raise InvalidRequest("actor must name who reads personal data", field="actor")
    if not purpose or not purpose.strip():
        raise InvalidRequest("purpose must say why personal data is read", field="purpose")
    wanted = set(asked)
    with conn.transaction():
        found = [
            Reidentified(digest, where, value, customer_id)
            for where, value, customer_id in conn.execute(_PSEUDONYMISED)
            if (digest := pseudonym(value, key)) in wanted
        ]
        conn.execute(
            "INSERT INTO ledger.pii_access (actor, purpose, customer_ids, pseudonyms) VALUES (%s, %s, %s, %s)",
            (
                actor.strip(),
                purpose.strip(),
                sorted({r.customer_id for r in found if r.customer_id is not None}),
                asked,
            ),
        )
    return sorted(found, key=lambda r: (asked.index(r.pseudonym), r.field))
