from __future__ import annotations

import sys
import threading
from importlib import resources
from pathlib import Path

import psycopg
import pytest

from fintra.database import create_database
from fintra.migrations import MigrationError, applied_versions, load_migrations, migrate


@pytest.fixture
def component(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package = tmp_path / "demo_component"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "0001_first.sql").write_text("CREATE TABLE public.demo_t (id int);")
    (package / "migrations" / "0002_second.sql").write_text("ALTER TABLE public.demo_t ADD COLUMN v text;")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("demo_component", None)
    return package


def test_migrate_applies_once_records_and_refuses_edits(pg_server: str, component: Path) -> None:
    url = create_database(pg_server, "t_migrations_runner", drop_existing=True)
    assert [m.name for m in migrate(url, "demo", "demo_component")] == ["first", "second"]
    assert migrate(url, "demo", "demo_component") == []
    assert applied_versions(url, "demo") == [(1, "first"), (2, "second")]

    (component / "migrations" / "0003_third.sql").write_text("ALTER TABLE public.demo_t ADD COLUMN w int;")
    assert [m.version for m in migrate(url, "demo", "demo_component")] == [3]

    (component / "migrations" / "0001_first.sql").write_text("CREATE TABLE public.demo_t (id bigint);")
    with pytest.raises(MigrationError, match="0001_first was changed"):
        migrate(url, "demo", "demo_component")


def test_failed_migration_rolls_back_and_names_itself(pg_server: str, component: Path) -> None:
    url = create_database(pg_server, "t_migrations_fail", drop_existing=True)
    (component / "migrations" / "0002_second.sql").write_text("ALTER TABLE public.nope ADD COLUMN v text;")
    with pytest.raises(MigrationError, match="0002_second failed"):
        migrate(url, "demo", "demo_component")
    assert applied_versions(url, "demo") == [(1, "first")]


def test_concurrent_migrate_applies_each_migration_once(pg_server: str) -> None:
    from ledger.schema import migrate as migrate_ledger

    url = create_database(pg_server, "t_migrations_race", drop_existing=True)
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(len(migrate_ledger(url)))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    shipped = len(load_migrations(resources.files("ledger").joinpath("migrations")))
    assert shipped >= 4
    assert sorted(results) == [0, 0, 0, shipped]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM public.fintra_schema_migrations").fetchone() == (shipped,)


def test_badly_named_migration_is_refused(pg_server: str, component: Path) -> None:
    (component / "migrations" / "4_oops.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="NNNN_snake_case"):
        migrate(create_database(pg_server, "t_migrations_name", drop_existing=True), "demo", "demo_component")
