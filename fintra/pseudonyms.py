"""The lake's pseudonyms: the hex HMAC-SHA256 of a personal value under the installation's pseudonym key
(`Settings.resolved_pseudonym_key`). Equal values get equal pseudonyms, so the lake still joins; without
the key a pseudonym cannot be reversed by hashing guesses. Re-identification (`ledger.pii.reidentify`)
hashes the database's values under the same key and is audited."""

from __future__ import annotations

import hashlib
import hmac
import re

PSEUDONYM = re.compile(r"[0-9a-f]{64}")


def pseudonym(value: str, key: bytes) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
