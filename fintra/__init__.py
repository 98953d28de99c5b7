"""Shared runtime of FintraOS Intelligence.

Design overview: `fintra` holds what every stage needs and nothing stage-specific: settings
(`fintra.settings`, environment variables prefixed `FINTRA_`), the embedded PostgreSQL server
(`fintra.embedded_pg`), database URL resolution and per-component SQL migrations
(`fintra.database`, `fintra.migrations`), structured logging with correlation ids
(`fintra.logs`) and the `fintra` command line (`fintra.cli`).

It imports third-party packages only. Stages (`ledger`, `pipelines`, ...) plug their command groups
into the CLI through the `fintra.commands` entry point group instead of being imported here.
"""

from fintra.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
