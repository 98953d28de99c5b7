"""The tables serving relies on: the ledger's (risk decisions included), merchant curation's and its own
API keys."""

from __future__ import annotations

from fintra.migrations import migrate as _migrate
from ledger import migrate as migrate_ledger


def migrate(url: str) -> None:
    migrate_ledger(url)
    _migrate(url, "merchants", "models.merchants")
    _migrate(url, "serving", "serving")
