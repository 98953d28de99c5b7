"""Versioned SQL migrations per component, applied in order and recorded with a checksum.

A component (e.g. `ledger`) owns a folder of `NNNN_name.sql` files. `migrate()` applies the ones not
yet recorded, each in its own transaction, under an advisory lock so concurrent callers are safe.
Re-running is a no-op. A recorded migration whose file changed afterwards is refused: history is
never rewritten silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import psycopg

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x46494E545241  # "FINTRA": one advisory lock for all migration runs

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS public.fintra_schema_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


class MigrationError(RuntimeError):
    """A migration file is malformed, failed, or no longer matches what was applied."""


def load_migrations(folder: Traversable) -> list[Migration]:
    found: list[Migration] = []
    for item in folder.iterdir():
        if not item.name.endswith(".sql"):
            continue
        match = _NAME.match(item.name)
        if match is None:
            raise MigrationError(f"migration file {item.name!r} must be named NNNN_snake_case.sql")
        found.append(Migration(int(match.group(1)), match.group(2), item.read_text()))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration versions in {folder}")
    return found


def migrate(url: str, component: str, package: str, subfolder: str = "migrations") -> list[Migration]:
    """Apply the pending migrations of `component` shipped in `package/subfolder`; return those applied."""
    migrations = load_migrations(resources.files(package).joinpath(subfolder))
    applied: list[Migration] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        try:
            conn.execute(_BOOKKEEPING)
            done = dict(
                conn.execute(
                    "SELECT version, checksum FROM public.fintra_schema_migrations WHERE component = %s",
                    (component,),
                ).fetchall()
            )
            for migration in migrations:
                if migration.version in done:
                    if done[migration.version] != migration.checksum:
                        raise MigrationError(
                            f"{component} migration {migration.version:04d}_{migration.name} was changed "
                            "after it was applied; add a new migration instead of editing an applied one"
                        )
                    continue
                try:
                    with conn.transaction():
                        conn.execute(migration.sql)
                        conn.execute(
                            "INSERT INTO public.fintra_schema_migrations (component, version, name, checksum)"
                            " VALUES (%s, %s, %s, %s)",
                            (component, migration.version, migration.name, migration.checksum),
                        )
                except psycopg.Error as exc:
                    raise MigrationError(
                        f"{component} migration {migration.version:04d}_{migration.name} failed: {exc}"
                    ) from exc
                applied.append(migration)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied


def applied_versions(url: str, component: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('public.fintra_schema_migrations')").fetchone()
        if not exists or exists[0] is None:
            return []
        rows = conn.execute(
            "SELECT version, name FROM public.fintra_schema_migrations WHERE component = %s ORDER BY version",
            (component,),
        ).fetchall()
    return [(int(v), str(n)) for v, n in rows]
