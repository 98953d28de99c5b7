"""Counterparty names and account numbers in a report's evidence, written as the lake's pseudonyms.

An alert's evidence (the JSON `details` of the compliance marts) names the outside parties money went to
or came from: senders, recipients, a path's nodes, the name a sanctions hit screened. Those are personal
data, and an issued report leaves the database; so every JSON string in the evidence that is some
counterparty's name or account number in the ledger is replaced by its pseudonym (`fintra.pseudonyms`,
the lake's, under the installation's key). An operator with `pii:read` re-identifies it, audited
(`fintra lake reidentify`, `POST /v1/pii/reidentify`). Everything else stays as written: rules, amounts,
customer references and account codes (the platform's own identifiers), the watch-list entry a name
matched (a public list).
"""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg

from fintra.pseudonyms import pseudonym
from fintra.settings import checked_pseudonym_key

# Every counterparty name and account number the ledger holds (what `ledger.pii.reidentify` can find).
_COUNTERPARTY_VALUES = """
SELECT counterparty_name FROM ledger.journal_entries WHERE counterparty_name IS NOT NULL
UNION SELECT counterparty_account FROM ledger.journal_entries WHERE counterparty_account IS NOT NULL
UNION SELECT counterparty_name FROM ledger.holds WHERE counterparty_name IS NOT NULL
UNION SELECT counterparty_account FROM ledger.holds WHERE counterparty_account IS NOT NULL
"""

# A JSON string literal (jsonb's text form escapes quotes and backslashes inside it).
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


class EvidencePseudonyms:
    """Pseudonymises evidence against the counterparty values of one database snapshot."""

    def __init__(self, conn: psycopg.Connection[Any], key: bytes) -> None:
        self._key = checked_pseudonym_key(key, "pseudonym key")
        self._values = {row[0] for row in conn.execute(_COUNTERPARTY_VALUES)}

    def __call__(self, evidence: str | None) -> str | None:
        """`evidence` (JSON text) with each counterparty value replaced by its pseudonym, the rest unchanged
        byte for byte (numbers keep their scale)."""
        if evidence is None:
            return None
        return _JSON_STRING.sub(self._replace, evidence)

    def _replace(self, match: re.Match[str]) -> str:
        value = json.loads(match.group(0))
        if value in self._values:
            return f'"{pseudonym(value, self._key)}"'
        return match.group(0)
