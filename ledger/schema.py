"""The ledger's database schema: versioned migrations shipped in `ledger/migrations`."""

from __future__ import annotations

from fintra.migrations import Migration
from fintra.migrations import migrate as _migrate


def migrate(url: str) -> list[Migration]:
    """Bring the `ledger` schema up to date; returns the migrations applied now (none if current)."""
    return _migrate(url, "ledger", "ledger")
