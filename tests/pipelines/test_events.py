"""The event store in the lake (incremental by commit-safe watermark), a late commit with a lower seq, and
extraction killed with SIGKILL mid-partition."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from fintra.database import create_database
from fintra.lake import Lake
from ledger import Ledger
from ledger.events import NewEvent, Position, append
from ledger.model import AccountType, Leg
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.checks import declared_schema, range_problems
from pipelines.events import DATASET, WATERMARK_FILE, event_problems, extract_events, read_watermark
from pipelines.extract import TABLES, extract_range

START = date(2026, 4, 6)
DAYS = 3


@pytest.fixture(scope="module")
def pg(pg_server: str) -> str:
    url = create_database(pg_server, "t_pipelines_events", drop_existing=True)
    simulate(url, SimulationConfig(customers=30, days=DAYS, start=START, seed=21))
    with Ledger(url) as ledger:
        ledger.open_account("EVT-A", "Event test A", AccountType.ASSET, "USD")
        ledger.open_account("EVT-B", "Event test B", AccountType.EQUITY, "USD")
    return url


def _source_events(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT seq FROM ledger.event_store ORDER BY seq")]


def _newest(url: str) -> Position:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT txid::text::bigint, seq FROM ledger.event_store ORDER BY txid DESC, seq DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    return Position(row[0], row[1])


def _lake_events(lake: Lake) -> list[int]:
    return sorted(lake.scan(DATASET).select("seq").collect()["seq"].to_list())


def _post(url: str, reference: str, day: date) -> None:
    with Ledger(url) as ledger:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        ledger.post(reference, [Leg.debit("EVT-A", "1.5"), Leg.credit("EVT-B", "1.5")], effective_at=at)


def test_events_arrive_incrementally_and_exactly(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    first = extract_events(pg, lake)
    assert first.previous == Position() and first.watermark.seq == _newest(pg).seq
    assert _lake_events(lake) == _source_events(pg)
    assert event_problems(pg, lake) == []

    files = {p: lake.read_partition(DATASET, p) for p in lake.partitions(DATASET)}
    again = extract_events(pg, lake)  # nothing new: nothing rewritten
    assert again.events == 0 and again.partitions == [] and again.watermark == first.watermark
    assert all(lake.read_partition(DATASET, p).equals(t) for p, t in files.items())

    before = len(_source_events(pg))
    _post(pg, "evt-incremental-1", START + timedelta(days=1))  # lands in an existing partition
    later = extract_events(pg, lake)
    assert later.previous == first.watermark and later.events == len(_source_events(pg)) - before > 0
    assert [w.partition for w in later.partitions] == [f"date={START + timedelta(days=1)}"]
    assert _lake_events(lake) == _source_events(pg)
    assert event_problems(pg, lake) == []


def test_a_run_that_died_before_its_watermark_leaves_no_duplicates(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    extract_events(pg, lake)
    _post(pg, "evt-died-1", START)

    class DiesBeforeWatermark(Lake):
        def put_file(self, dataset: str, name: str, data: bytes) -> None:
            raise KeyboardInterrupt("killed before the watermark")

    with pytest.raises(KeyboardInterrupt):
        extract_events(pg, DiesBeforeWatermark(lake.url))
    assert read_watermark(lake) < _newest(pg)
    assert any("beyond the watermark" in p for p in event_problems(pg, lake))
    extract_events(pg, lake)
    assert _lake_events(lake) == _source_events(pg)  # the half-added events are there once
    assert event_problems(pg, lake) == []


def test_an_event_committed_late_with_a_lower_seq_reaches_the_lake(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    extract_events(pg, lake)
    with psycopg.connect(pg) as slow, psycopg.connect(pg) as quick:
        quick.execute("SELECT pg_current_xact_id()")
        slow.execute("SELECT pg_current_xact_id()")
        append(slow, "case", "case:lake-slow", 0, [NewEvent("risk.case.opened.v1", {})])  # the lower seq
        append(quick, "case", "case:lake-quick", 0, [NewEvent("risk.case.opened.v1", {})])
        quick.commit()
        seen = extract_events(pg, lake)  # takes the quick event, committed with the higher seq
        assert seen.events == 1 and event_problems(pg, lake) == []
        slow.commit()
        later = extract_events(pg, lake)  # the slow one committed since, with the lower seq
        assert later.events == 1 and later.watermark > seen.watermark
    assert _lake_events(lake) == _source_events(pg)
    assert event_problems(pg, lake) == []


def test_a_lake_extracted_before_transaction_ids_is_upgraded_in_place(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    extract_events(pg, lake)
    # as an older version left it: no txid column, the watermark a bare seq (0 here: this database's events
    # all have real transaction ids, so a legacy mark of any other seq would not describe it)
    for partition in lake.partitions(DATASET):
        lake.write_partition(DATASET, partition, lake.read_partition(DATASET, partition).drop_columns(["txid"]))
    lake.put_file(DATASET, WATERMARK_FILE, json.dumps({"seq": 0}).encode())
    extract_events(pg, lake)
    assert "txid" in lake.read_partition(DATASET, lake.partitions(DATASET)[0]).column_names
    assert _lake_events(lake) == _source_events(pg) and event_problems(pg, lake) == []


def test_the_check_sees_a_missing_event(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    extract_events(pg, lake)
    partition = lake.partitions(DATASET)[0]
    rows = lake.read_partition(DATASET, partition)
    lake.write_partition(DATASET, partition, rows.slice(1))
    problems = event_problems(pg, lake)
    assert any(partition in p and "events in the lake" in p for p in problems)


# The child extracts into the lake and is SIGKILLed while a partition is half-written: its second part
# file is in staging when it tells the parent it is ready to die.
KILLED_CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from fintra.lake import Lake
    from pipelines.events import extract_events
    from pipelines.extract import extract_range

    class SlowLake(Lake):
        writes = 0
        def write_partition(self, dataset, partition, table):
            SlowLake.writes += 1
            if SlowLake.writes == 2:
                with self.fs.open(self.path(dataset, partition, "_inprogress-killed"), "wb") as f:
                    f.write(b"half a parquet file")
                print("ready", partition, flush=True)
                time.sleep(600)
            return super().write_partition(dataset, partition, table)

    url, lake_url, what, first, last = sys.argv[1:]
    lake = SlowLake(lake_url)
    if what == "events":
        extract_events(url, lake)
    else:
        first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
        extract_range(url, lake, what, first_day, last_day, pseudonym_key=b"tests-key-16char")
    """
)


def _kill_mid_partition(pg: str, lake_url: str, what: str) -> str:
    """The partition the child was writing when it was killed."""
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, pg, lake_url, what, str(START), str(START + timedelta(days=DAYS))],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    ) as child:
        assert child.stdout is not None
        ready, partition = child.stdout.readline().split()
        assert ready == "ready"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    return partition


@pytest.mark.parametrize("table", ["entries", "journal_entries"])
def test_daily_extraction_killed_mid_partition_then_rerun_equals_the_source(
    pg: str, tmp_path: Path, table: str
) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    killed = _kill_mid_partition(pg, lake.url, table)
    last = START + timedelta(days=DAYS)
    assert killed not in lake.partitions(TABLES[table].dataset)  # never half there
    assert range_problems(pg, lake, table, START, last, declared_schema(pg, TABLES[table])) != []
    extract_range(pg, lake, table, START, last, pseudonym_key=b"tests-key-16char")
    assert range_problems(pg, lake, table, START, last, declared_schema(pg, TABLES[table])) == []
    first_files = {p: lake.read_partition(TABLES[table].dataset, p) for p in lake.partitions(TABLES[table].dataset)}
    extract_range(pg, lake, table, START, last, pseudonym_key=b"tests-key-16char")  # a finished range: nothing changes
    assert all(lake.read_partition(TABLES[table].dataset, p).equals(t) for p, t in first_files.items())
    assert not list(Path(lake.path("raw")).rglob("_inprogress-*"))  # the killed writer's file is gone


def test_event_extraction_killed_mid_partition_then_rerun_equals_the_source(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    killed = _kill_mid_partition(pg, lake.url, "events")
    assert lake.get_file(DATASET, WATERMARK_FILE) is None and killed not in lake.partitions(DATASET)
    extract_events(pg, lake)
    assert _lake_events(lake) == _source_events(pg)
    mark = json.loads(lake.get_file(DATASET, WATERMARK_FILE) or b"{}")
    assert Position(mark["txid"], mark["seq"]) == _newest(pg)
    assert event_problems(pg, lake) == []
