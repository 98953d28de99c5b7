"""Shared fixtures: one real embedded PostgreSQL server per test session, one database per module."""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from fintra.database import create_database
from fintra.embedded_pg import EmbeddedPostgres
from ledger import Ledger, migrate


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of the session's embedded server (data under /tmp: pgserver chmods every parent folder)."""
    root = Path(tempfile.mkdtemp(prefix="fintra-test-", dir="/tmp"))
    server = EmbeddedPostgres(root / "pg")
    url = server.start()
    with psycopg.connect(url, autocommit=True) as conn:
        # Durability of a test database does not matter; commit latency does.
        conn.execute("ALTER SYSTEM SET synchronous_commit = off")
        conn.execute("ALTER SYSTEM SET max_connections = 200")
        conn.execute("SELECT pg_reload_conf()")
    yield url
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def _db_name(request: pytest.FixtureRequest) -> str:
    return "t_" + re.sub(r"\W+", "_", request.module.__name__.removeprefix("tests."))[-55:]


@pytest.fixture(scope="module")
def db_url(pg_server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A freshly migrated database of the module's own."""
    url = create_database(pg_server, _db_name(request), drop_existing=True)
    migrate(url)
    yield url


@pytest.fixture(scope="module")
def ledger(db_url: str) -> Iterator[Ledger]:
    with Ledger(db_url, pool_size=20) as client:
        yield client


@pytest.fixture
def uid() -> str:
    """A short unique prefix so each test's accounts and references are its own."""
    return uuid.uuid4().hex[:8].upper()


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection
