"""Corrections: a posted entry is never changed; it is reversed by a new entry with every leg swapped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg

from ledger.catalog import Catalog
from ledger.errors import InvalidRequest
from ledger.model import JournalEntry, JournalKind
from ledger.money import content_hash, dump_metadata, require_aware
from ledger.payments import PaymentDetails
from ledger.posting import check_reference, journal_result, write_drafts
from ledger.reads import fetch_journal
from ledger.write import Draft


def reverse(
    conn: psycopg.Connection[Any],
    catalog: Catalog,
    journal_id: int,
    reference_id: str,
    reason: str,
    *,
    effective_at: datetime | None = None,
    correlation_id: str | None = None,
) -> JournalEntry:
    """Post the mirror image of journal `journal_id`. An entry can be reversed once; replaying the
    same reversal returns it; funds checks apply as to any posting."""
    reference_id = check_reference(reference_id, field="reference_id")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidRequest("reason must say why the entry is reversed", field="reason")
    require_aware(effective_at, field="effective_at")
    original = fetch_journal(conn, journal_id)
    refs = catalog.accounts(conn, [leg.account for leg in original.legs])
    draft = Draft(
        index=0,
        reference_id=reference_id,
        kind=JournalKind.REVERSAL,
        legs=[(refs[leg.account], leg.direction.opposite, leg.amount) for leg in original.legs],
        effective_at=effective_at or datetime.now(UTC),
        content_hash=content_hash(
            "REVERSAL", journal_id, reason, effective_at.astimezone(UTC).isoformat() if effective_at else None
        ),
        description=f"Reversal of {original.reference_id}: {reason}",
        details=PaymentDetails(original.channel, original.counterparty, original.location),
        metadata_json=dump_metadata({"reason": reason, "reverses_reference_id": original.reference_id}),
        reverses_journal_id=journal_id,
        leg_fields=["journal_id"] * len(original.legs),
    )
    outcome = write_drafts(conn, catalog, [draft], correlation_id=correlation_id)[0]
    return journal_result(conn, draft, outcome, correlation_id)
