"""Ledger tables into the lake, on a local folder and on a real S3 endpoint (moto's server on 127.0.0.1)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pytest
from adbc_driver_postgresql.dbapi import connect as adbc_connect

from fintra.database import create_database
from fintra.lake import Lake
from fintra.pseudonyms import pseudonym
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines import extract as extraction
from pipelines.extract import (
    MONEY,
    TABLES,
    TIMESTAMP,
    TableSpec,
    ascending,
    day_bounds,
    day_counts,
    extract,
    extract_range,
    partition_name,
)

START = date(2026, 2, 1)
DAYS = 3
KEY = b"test-pseudonym-key"


def source_totals(pg_url: str, spec: TableSpec, day: date) -> dict[str, Any]:
    """What a partition must hold, computed here by PostgreSQL over psycopg (not the extraction's ADBC
    path): the row count, and per-currency debit and credit sums for entries (exact decimal strings)."""
    where = f" WHERE {spec.time_column} >= %s AND {spec.time_column} < %s" if spec.daily else ""
    params = day_bounds(day) if spec.daily else None
    with psycopg.connect(pg_url) as conn:
        count = conn.execute(f"SELECT count(*) FROM ledger.{spec.name}{where}", params).fetchone()[0]
        sums: dict[str, str] = {}
        if spec.name == "entries":
            rows = conn.execute(
                "SELECT currency || ':' || direction, sum(amount)::text FROM ledger.entries"
                " WHERE effective_at >= %s AND effective_at < %s GROUP BY 1",
                params,
            ).fetchall()
            sums = dict(rows)
    return {"rows": int(count), "sums": sums}


@pytest.fixture(scope="module")
def pg(pg_server: str) -> str:
    url = create_database(pg_server, "t_pipelines_extract", drop_existing=True)
    simulate(url, SimulationConfig(customers=60, days=DAYS, start=START, seed=5, typology_share=0.1))
    return url


@pytest.fixture
def local_lake(tmp_path: Path) -> Lake:
    return Lake((tmp_path / "lake").as_uri())


def _days() -> list[date]:
    return [START + timedelta(days=i) for i in range(DAYS)]


def test_daily_partitions_equal_the_source(pg: str, local_lake: Lake) -> None:
    for day in _days():
        for table in ("journal_entries", "entries", "holds", "ticks"):
            written = extract(pg, local_lake, table, day, pseudonym_key=KEY)
            expected = source_totals(pg, TABLES[table], day)
            assert written.rows == expected["rows"] > 0, (table, day)
        rows = local_lake.read_partition("raw/ledger/entries", partition_name(day))
        assert rows.schema.field("amount").type == MONEY
        assert rows.schema.field("effective_at").type == TIMESTAMP
        assert not any(pa.types.is_floating(f.type) for f in rows.schema)
        sums: dict[str, Decimal] = {}
        for currency, direction, amount in zip(
            rows["currency"].to_pylist(), rows["direction"].to_pylist(), rows["amount"].to_pylist(), strict=True
        ):
            sums[f"{currency}:{direction}"] = sums.get(f"{currency}:{direction}", Decimal(0)) + amount
        expected_sums = {k: Decimal(v) for k, v in source_totals(pg, TABLES["entries"], day)["sums"].items()}
        assert sums == expected_sums  # to the last of 18 decimal places
    assert local_lake.partitions("raw/ledger/entries") == [partition_name(d) for d in _days()]


def test_rewriting_a_partition_is_byte_identical_and_leaves_nothing_behind(pg: str, local_lake: Lake) -> None:
    day = START + timedelta(days=1)
    extract(pg, local_lake, "entries", day, pseudonym_key=KEY)
    path = local_lake.path("raw/ledger/entries", partition_name(day), "part-00000.parquet")
    first = Path(path).read_bytes()
    extract(pg, local_lake, "entries", day, pseudonym_key=KEY)
    assert Path(path).read_bytes() == first
    assert [p.name for p in Path(path).parent.iterdir()] == ["part-00000.parquet"]


def test_ascending_compares_keys_lexicographically() -> None:
    def keys(*columns: list[int]) -> list[pa.ChunkedArray]:
        return [pa.chunked_array([c[:2], c[2:]]) for c in columns]  # across chunk boundaries too

    assert ascending(keys([1, 1, 2, 2], [5, 6, 1, 1]))  # ties on the last key are in order
    assert not ascending(keys([1, 1, 2, 2], [6, 5, 1, 2]))  # second key falls within a day
    assert not ascending(keys([1, 2, 1, 3], [1, 2, 3, 4]))  # a day falls back
    assert ascending(keys([1, 2, 2, 3], [9, 1, 2, 0]))  # a later day may start at a smaller id
    assert ascending([pa.chunked_array([[7]])])


def test_a_range_over_years_equals_extracting_each_day(
    pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backfill path: months read ahead, days grouped into writer tasks, rows arriving out of day
    order (opening deposits dated at each customer's onboarding, posted in customer order)."""
    with psycopg.connect(pg) as conn:
        first, last, backdated = conn.execute(
            "SELECT min(d), max(d), count(*) FILTER (WHERE d < before) FROM (SELECT (effective_at AT TIME ZONE"
            " 'UTC')::date AS d, lag((effective_at AT TIME ZONE 'UTC')::date) OVER (PARTITION BY"
            " date_trunc('month', effective_at AT TIME ZONE 'UTC') ORDER BY entry_id) AS before FROM ledger.entries) e"
        ).fetchone()
    assert backdated > 0  # the sort is exercised, not only the already-ordered path
    monkeypatch.setattr(extraction, "BATCH_ROWS", 50)
    monkeypatch.setattr(extraction, "BATCH_DAYS", 3)
    monkeypatch.setattr(extraction, "MAX_PENDING", 2)
    whole = Lake((tmp_path / "whole").as_uri())
    progress: list[str] = []
    writes = extract_range(
        pg, whole, "entries", first, last, pseudonym_key=KEY, on_partition=lambda w: progress.append(w.partition)
    )
    with adbc_connect(pg) as conn:
        expected = day_counts(conn, TABLES["entries"], first, last)
    assert [w.partition for w in writes] == progress == [partition_name(d) for d in expected]
    assert [w.rows for w in writes] == list(expected.values())
    daily = Lake((tmp_path / "daily").as_uri())
    for day in expected:
        extract(pg, daily, "entries", day, pseudonym_key=KEY)
        name = partition_name(day)
        part = Path(whole.path("raw/ledger/entries", name, "part-00000.parquet")).read_bytes()
        assert part == Path(daily.path("raw/ledger/entries", name, "part-00000.parquet")).read_bytes(), name
        ids = whole.read_partition("raw/ledger/entries", name)["entry_id"].to_pylist()
        assert ids == sorted(ids), name


class _CrashingLake(Lake):
    """Dies after writing the new files and before swapping them in (a kill mid-partition)."""

    def _swap(self, temp: str, final: str, *, fresh: bool = False) -> None:
        raise KeyboardInterrupt("killed mid-partition")


def test_a_crash_mid_partition_leaves_the_old_partition_and_a_rerun_repairs(pg: str, tmp_path: Path) -> None:
    url = (tmp_path / "lake").as_uri()
    day = START
    good = Lake(url)
    extract(pg, good, "entries", day, pseudonym_key=KEY)
    before = good.read_partition("raw/ledger/entries", partition_name(day))
    with pytest.raises(KeyboardInterrupt):
        extract(pg, _CrashingLake(url), "entries", day, pseudonym_key=KEY)
    assert good.read_partition("raw/ledger/entries", partition_name(day)).equals(before)  # readers saw no change
    extract(pg, good, "entries", day, pseudonym_key=KEY)
    after = good.read_partition("raw/ledger/entries", partition_name(day))
    assert after.equals(before)
    ids = after["entry_id"].to_pylist()
    assert len(ids) == len(set(ids))  # no duplicates
    assert not list(Path(good.path("raw")).rglob("_inprogress-*"))  # the orphan is gone


def test_personal_data_reaches_the_lake_only_as_keyed_pseudonyms(pg: str, local_lake: Lake) -> None:
    extract(pg, local_lake, "customer_pii", START, pseudonym_key=KEY)
    pii = local_lake.read_partition("raw/ledger/customer_pii", partition_name(START))
    names = pii["full_name"].to_pylist()
    assert all(len(n) == 64 and all(c in "0123456789abcdef" for c in n) for n in names)
    raw = Path(local_lake.path("raw/ledger/customer_pii", partition_name(START), "part-00000.parquet")).read_bytes()
    with psycopg.connect(pg) as conn:
        clear = [r[0] for r in conn.execute("SELECT full_name FROM ledger.customer_pii LIMIT 5")]
    assert not any(name.encode() in raw for name in clear)
    other = Lake(local_lake.url + "-other")
    extract(pg, other, "customer_pii", START, pseudonym_key=b"another-key-0123456789")
    assert other.read_partition("raw/ledger/customer_pii", partition_name(START))["full_name"].to_pylist() != names
    extract(pg, other, "customer_pii", START, pseudonym_key=KEY)
    assert other.read_partition("raw/ledger/customer_pii", partition_name(START))["full_name"].to_pylist() == names
    # quasi-identifiers generalised: the birth year and the region, no date of birth, no city
    assert pii.column_names == ["customer_id", "full_name", "email", "birth_year", "region"]
    assert all(1900 < year < 2026 for year in pii["birth_year"].to_pylist())


def test_counterparties_reach_the_lake_pseudonymised(pg: str, local_lake: Lake) -> None:
    people = 0
    for table, key in (("journal_entries", "journal_id"), ("holds", "hold_id")):
        extract(pg, local_lake, table, START, pseudonym_key=KEY)
        part = local_lake.read_partition(f"raw/ledger/{table}", partition_name(START))
        with psycopg.connect(pg) as conn:
            clear = conn.execute(
                f"SELECT {key}, channel, counterparty_name, counterparty_account FROM ledger.{table}"
                " WHERE effective_at >= %s AND effective_at < %s",
                day_bounds(START),
            ).fetchall()
        lake = {row[key]: row for row in part.select([key, "counterparty_name", "counterparty_account"]).to_pylist()}
        assert len(lake) == len(clear)
        raw = b"".join(
            f.read_bytes() for f in Path(local_lake.path(f"raw/ledger/{table}", partition_name(START))).iterdir()
        )
        for row_id, _, name, account in clear:
            if name:
                assert lake[row_id]["counterparty_name"] == pseudonym(name, KEY)
                assert name.encode() not in raw
                people += 1
            if account:
                assert lake[row_id]["counterparty_account"] == pseudonym(account, KEY)
                assert account.encode() not in raw
    assert people


def test_notebook_access_through_polars_and_duckdb(pg: str, local_lake: Lake) -> None:
    for day in _days():
        extract(pg, local_lake, "entries", day, pseudonym_key=KEY)
    extract(pg, local_lake, "accounts", START, pseudonym_key=KEY)
    frame = local_lake.scan("raw/ledger/entries").collect()
    assert frame.height == sum(source_totals(pg, TABLES["entries"], d)["rows"] for d in _days())
    assert set(frame["date"].unique().to_list()) == set(_days())  # Hive partition values as dates
    con = local_lake.duckdb()
    legs, debits_minus_credits = con.execute(
        "SELECT count(*), sum(CASE WHEN direction = 'DEBIT' THEN amount ELSE -amount END) FROM entries"
    ).fetchone()
    assert legs == frame.height and debits_minus_credits == 0
    assert con.execute("SELECT count(*) FROM accounts").fetchone()[0] > 60


def test_s3_lake_round_trip(pg: str, s3_endpoint: str) -> None:
    import s3fs

    fs = s3fs.S3FileSystem(endpoint_url=s3_endpoint)
    fs.mkdir("fintra-test-lake")
    lake = Lake("s3://fintra-test-lake/prod", storage_options={"endpoint_url": s3_endpoint})
    day = START + timedelta(days=2)
    written = extract(pg, lake, "entries", day, pseudonym_key=KEY)
    assert written.rows == source_totals(pg, TABLES["entries"], day)["rows"]
    again = extract(pg, lake, "entries", day, pseudonym_key=KEY)
    assert again.rows == written.rows
    assert lake.partitions("raw/ledger/entries") == [partition_name(day)]
    assert lake.scan("raw/ledger/entries").collect().height == written.rows
    assert lake.duckdb().execute("SELECT count(*) FROM entries").fetchone()[0] == written.rows
