"""Which PostgreSQL server the platform uses, and helpers to reach it.

`FINTRA_DATABASE_URL` wins; otherwise the embedded server under `FINTRA_HOME/pg` is started on demand.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from fintra.embedded_pg import EmbeddedPostgres
from fintra.settings import Settings


def database_url(settings: Settings, *, start_embedded: bool = True) -> str:
    """The URL of the platform database, starting the embedded server if that is the configured one."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    server = EmbeddedPostgres(settings.pg_data_dir)
    if start_embedded:
        return server.start()
    status = server.status()
    if not status.running or status.url is None:
        raise RuntimeError("the embedded PostgreSQL server is not running; start it with `fintra up`")
    return status.url


def with_database(url: str, dbname: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def redact(url: str) -> str:
    """The URL without its password, for printing and logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def create_database(url: str, dbname: str, *, drop_existing: bool = False) -> str:
    """Create `dbname` on the server at `url` (optionally dropping it first); return its URL."""
    with psycopg.connect(url, autocommit=True) as conn:
        if drop_existing:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    return with_database(url, dbname)


def clone_database(url: str, template: str, dbname: str) -> str:
    """A new database `dbname` copied from `template` (which nobody may be connected to); return its URL."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(dbname), sql.Identifier(template)))
    return with_database(url, dbname)
