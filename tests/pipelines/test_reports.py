"""Issued reports: equal to an independent computation over the lake, byte-identical when regenerated,
never overwritten (a change is refused unless superseded by a new version), on a folder and on S3, from
Dagster's schedule job and from `fintra report`."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import dagster as dg
import polars as pl
import psycopg
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pypdf
import pytest

from fintra.database import clone_database, create_database
from fintra.lake import Lake
from fintra.pseudonyms import pseudonym
from fintra.reports import latest_folder, move_legacy_layout, version_folder
from ledger import Ledger, cash_deposit
from ledger.pii import reidentify
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.definitions import defs
from pipelines.extract import extract_range
from pipelines.reporting.catalog import ALERT_MARTS, REPORTS
from pipelines.reporting.issue import Issued, ReportRefused, issue_range, issued_versions, verify_issued
from pipelines.reporting.render import decimal_text, grouped
from pipelines.resources import DbtResource, LakeResource, PostgresResource
from pipelines.transform import BUILD, run_dbt
from tests.browser import render
from tests.conftest import COMPLIANCE_SIM

FINTRA = str(Path(sys.executable).with_name("fintra"))
KEY = b"reports-test-key"
CENT = Decimal("0.01")


def _read(lake: Lake, report: str, day: date, version: int, name: str) -> bytes:
    data = lake.get_file(version_folder(report, day, version), name)
    assert data is not None, f"{report} {day} v{version} has no {name}"
    return data


@pytest.fixture(scope="module")
def ctr_day(compliance_db: str) -> date:
    """The simulated day with the most currency transaction reports."""
    with psycopg.connect(compliance_db) as conn:
        row = conn.execute(
            "SELECT business_date FROM analytics.rpt_ctr GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()
    assert row is not None, "the simulated ledger has no cash above the CTR threshold"
    return row[0]


def test_ctr_and_trial_balance_equal_an_independent_computation_over_the_lake(
    compliance_db: str, ctr_day: date, tmp_path: Path
) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    first = COMPLIANCE_SIM.start
    for table in ("entries", "journal_entries", "ticks", "accounts", "customers"):
        extract_range(compliance_db, lake, table, first - timedelta(days=2000), ctr_day, pseudonym_key=KEY)
    for name in ("ctr", "trial_balance"):
        issued, refused = issue_range(compliance_db, lake, REPORTS[name], [ctr_day], pseudonym_key=KEY)
        assert not refused and issued[0].status == "issued"

    # Independently, from the lake's raw tables: the day's legs, their accounts and the day's closing prices.
    day = pc.equal(pc.field("date"), ctr_day)
    entries = lake.scan("raw/ledger/entries").collect().to_arrow().filter(day).to_pylist()
    accounts = {a["account_id"]: a for a in lake.scan("raw/ledger/accounts").collect().to_arrow().to_pylist()}
    customers = {c["customer_id"]: c["external_ref"] for c in lake.scan("raw/ledger/customers").collect().to_dicts()}
    ticks = lake.scan("raw/ledger/ticks").collect().to_arrow().filter(day).to_pylist()
    close = {t["symbol"].split("/")[0]: t["price"] for t in sorted(ticks, key=lambda t: t["ts"])}
    close["USD"] = Decimal(1)

    debits: dict[str, Decimal] = {}
    credits: dict[str, Decimal] = {}
    for leg in entries:
        side = debits if leg["direction"] == "DEBIT" else credits
        side[leg["currency"]] = side.get(leg["currency"], Decimal(0)) + leg["amount"]
    report = pq.read_table(lake.path(version_folder("trial_balance", ctr_day, 1), "report.parquet"))
    assert {r["currency"]: (r["total_debits"], r["total_credits"]) for r in report.to_pylist()} == {
        c: (debits[c], credits[c]) for c in debits
    }

    cash_journals = {
        leg["journal_id"]
        for leg in entries
        if json.loads(accounts[leg["account_id"]]["metadata"]).get("role") == "cash_vault"
    }
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for leg in entries:
        account = accounts[leg["account_id"]]
        if leg["journal_id"] in cash_journals and account["customer_id"] is not None:
            # customer accounts are liabilities: a credit is money in
            direction = "CASH_IN" if leg["direction"] == "CREDIT" else "CASH_OUT"
            key = (customers[account["customer_id"]], direction)
            totals.setdefault(key, []).append(leg["amount"] * close[leg["currency"]])
    expected = {
        key: (len(amounts), sum(amounts, Decimal(0)).quantize(CENT, ROUND_HALF_UP))
        for key, amounts in totals.items()
        if sum(amounts, Decimal(0)) > 10000
    }
    ctr = pq.read_table(lake.path(version_folder("ctr", ctr_day, 1), "report.parquet")).to_pylist()
    assert (
        expected
        and {(r["customer_ref"], r["cash_direction"]): (r["transaction_count"], r["total_amount_usd"]) for r in ctr}
        == expected
    )


def test_regenerating_gives_byte_identical_files_and_writes_nothing(compliance_db: str, tmp_path: Path) -> None:
    days = [COMPLIANCE_SIM.start + timedelta(days=n) for n in (0, 17, 34)]
    first, second = Lake((tmp_path / "a").as_uri()), Lake((tmp_path / "b").as_uri())
    for spec in REPORTS.values():
        issued, _ = issue_range(compliance_db, first, spec, days, pseudonym_key=KEY)
        assert [i.status for i in issued] == ["issued"] * 3
        again, _ = issue_range(compliance_db, first, spec, days, pseudonym_key=KEY)
        assert [i.status for i in again] == ["unchanged"] * 3
        issue_range(compliance_db, second, spec, days, pseudonym_key=KEY)
        for day in days:
            assert issued_versions(first, spec.name, day) == [1]
            for name in ("report.csv", "report.parquet", "summary.html", "summary.pdf", "manifest.json"):
                assert _read(first, spec.name, day, 1, name) == _read(second, spec.name, day, 1, name)
    manifest = json.loads(_read(first, "aml_alerts", days[1], 1, "manifest.json"))
    assert manifest["inputs"]["thresholds"]["ctr_threshold_usd"] == "10000"
    assert manifest["inputs"]["ledger_rows_through_day"]["ledger.entries"] > 0
    assert manifest["code_version"]["git_commit"] and len(manifest["code_version"]["dbt_project_sha256"]) == 64
    assert set(manifest["files"]) == {"report.csv", "report.parquet", "summary.html", "summary.pdf"}


def test_the_alert_report_names_every_party_journal_and_its_evidence_in_full(
    compliance_db: str, tmp_path: Path
) -> None:
    union = " UNION ALL ".join(f"SELECT alert_date FROM analytics.{mart}" for mart in ALERT_MARTS)
    with psycopg.connect(compliance_db) as conn:
        day, alerts = conn.execute(
            f"SELECT alert_date, count(*) FROM ({union}) AS a GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone()
    lake = Lake((tmp_path / "lake").as_uri())
    issue_range(compliance_db, lake, REPORTS["aml_alerts"], [day], pseudonym_key=KEY)
    page = html.unescape(_read(lake, "aml_alerts", day, 1, "summary.html").decode())
    rows = pq.read_table(lake.path(version_folder("aml_alerts", day, 1), "report.parquet")).to_pylist()
    assert f"<h1>AML alerts — {day.isoformat()}</h1>" in page
    assert f"<tr><td>Rows</td><td class=num>{len(rows):,}</td></tr>" in page and len(rows) == alerts >= 1
    assert "…" not in page
    for row in rows:
        assert row["family"] and row["rule"] in page and row["alert_id"] in page
        for listed in ("customers", "account_codes", "journal_ids", "reference_ids"):
            for item in (row[listed] or "").split(";"):
                assert item in page, (listed, item)
        for key in json.loads(row["evidence"]):
            assert f"<b>{key}</b>" in page
    # amounts as a person reads them: thousands separators and the currency
    total = sum((r["total_amount_usd"] for r in rows), Decimal(0))
    assert f"{grouped(decimal_text(total))} USD" in page
    # rendered as a person sees it (headless Chromium, a laptop's window and a phone's): nothing runs off
    # to the right, and every alert's id and references are on the page
    for width in (1280, 420):
        dom = html.unescape(render(_read(lake, "aml_alerts", day, 1, "summary.html"), width=width))
        assert 'data-overflows="false"' in dom, width
        assert all(r["alert_id"] in dom and (r["reference_ids"] or "").split(";")[0] in dom for r in rows)
    # the PDF beside it holds every alert whole too
    pdf = pypdf.PdfReader(io.BytesIO(_read(lake, "aml_alerts", day, 1, "summary.pdf")))
    printed = "".join(sheet.extract_text() for sheet in pdf.pages).replace("\n", "").replace(" ", "")
    for row in rows:
        assert row["alert_id"] in printed and row["rule"] in printed
        for reference in (row["reference_ids"] or "").split(";"):
            assert reference.replace(" ", "") in printed, reference


def test_the_alert_report_names_counterparties_only_by_pseudonym(compliance_db: str, tmp_path: Path) -> None:
    """No counterparty name or account number of the day's alerts is in any issued file; each appears as
    its pseudonym, which an operator re-identifies (audited) to the name in the ledger."""
    union = " UNION ALL ".join(f"SELECT alert_date, details FROM analytics.{mart}" for mart in ALERT_MARTS)
    with psycopg.connect(compliance_db) as conn:
        day, names = conn.execute(
            "SELECT a.alert_date, array_agg(DISTINCT s.value) FROM"
            f" ({union}) AS a, jsonb_path_query(a.details, 'strict $.** ? (@.type() == \"string\")') AS v,"
            " LATERAL (SELECT v #>> '{}' AS value) AS s"
            " WHERE s.value IN (SELECT counterparty_name FROM ledger.journal_entries)"
            " GROUP BY 1 ORDER BY count(DISTINCT s.value) DESC LIMIT 1"
        ).fetchone()
    assert len(names) >= 3, names  # the evidence of the busiest day names outside parties
    lake = Lake((tmp_path / "lake").as_uri())
    issue_range(compliance_db, lake, REPORTS["aml_alerts"], [day], pseudonym_key=KEY)
    files = {f: _read(lake, "aml_alerts", day, 1, f) for f in ("report.csv", "report.parquet", "summary.html")}
    pdf = pypdf.PdfReader(io.BytesIO(_read(lake, "aml_alerts", day, 1, "summary.pdf")))
    printed = "".join(sheet.extract_text() for sheet in pdf.pages)
    for name in names:
        assert not any(name.encode() in body for body in files.values()), name
        assert name not in html.unescape(files["summary.html"].decode()) and name not in printed, name
        assert pseudonym(name, KEY) in html.unescape(files["summary.html"].decode()), name
    with psycopg.connect(compliance_db) as conn:
        found = reidentify(conn, [pseudonym(n, KEY) for n in names], KEY, actor="test", purpose="report check")
    assert {f.value for f in found} >= set(names)


@pytest.fixture(scope="module")
def small_ledger(pg_server: str) -> str:
    """A small simulated ledger with its marts built, for tests that do not change the ledger."""
    url = create_database(pg_server, "t_reports_small", drop_existing=True)
    simulate(
        url,
        SimulationConfig(customers=30, days=3, start=date(2026, 7, 1), seed=31, typology_share=0, lookalike_share=0),
    )
    assert run_dbt(BUILD, url, capture=True).returncode == 0
    return url


@pytest.fixture
def changing_ledger(pg_server: str, small_ledger: str, request: pytest.FixtureRequest) -> str:
    """A copy of the small ledger of the test's own (PostgreSQL copies the template database's files)."""
    return clone_database(pg_server, "t_reports_small", f"t_reports_{request.node.name[-40:]}")


def _late_cash_deposit(url: str, day: date) -> None:
    with psycopg.connect(url) as conn:
        customer = conn.execute(
            "SELECT code FROM ledger.accounts WHERE customer_id IS NOT NULL AND currency = 'USD' ORDER BY 1 LIMIT 1"
        ).fetchone()[0]
    with Ledger(url) as ledger:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
        ledger.move(cash_deposit("late-cash", customer, "12000", location="BR-LATE-001", effective_at=at))
    assert run_dbt(BUILD, url, capture=True).returncode == 0


def test_a_changed_report_is_refused_unless_superseded_and_nothing_is_overwritten(
    changing_ledger: str, tmp_path: Path
) -> None:
    small_ledger = changing_ledger
    lake, day, spec = Lake((tmp_path / "lake").as_uri()), date(2026, 7, 2), REPORTS["ctr"]
    issue_range(small_ledger, lake, spec, [day], pseudonym_key=KEY)
    original = {n: _read(lake, "ctr", day, 1, n) for n in ("report.csv", "report.parquet", "manifest.json")}
    _late_cash_deposit(small_ledger, day)

    issued, refused = issue_range(small_ledger, lake, spec, [day], pseudonym_key=KEY)
    assert issued == [] and len(refused) == 1
    error = refused[0]
    assert isinstance(error, ReportRefused) and "report.csv differs" in error.changes
    assert any(c.startswith("inputs.ledger_rows_through_day") for c in error.changes)
    assert "--supersede" in str(error) and issued_versions(lake, "ctr", day) == [1]

    issued, refused = issue_range(small_ledger, lake, spec, [day], pseudonym_key=KEY, supersede=True)
    assert not refused and (issued[0].status, issued[0].version, issued[0].rows) == ("superseded", 2, 1)
    assert {n: _read(lake, "ctr", day, 1, n) for n in original} == original
    manifest = json.loads(_read(lake, "ctr", day, 2, "manifest.json"))
    assert manifest["supersedes"]["version"] == 1
    assert (
        manifest["supersedes"]["manifest_sha256"] == __import__("hashlib").sha256(original["manifest.json"]).hexdigest()
    )
    assert b"late-cash" in _read(lake, "ctr", day, 2, "report.csv")
    again, _ = issue_range(small_ledger, lake, spec, [day], pseudonym_key=KEY, supersede=True)
    assert again[0].status == "unchanged" and issued_versions(lake, "ctr", day) == [1, 2]


def test_latest_holds_each_day_once_and_the_index_links_every_version(changing_ledger: str, tmp_path: Path) -> None:
    lake, days, spec = (
        Lake((tmp_path / "lake").as_uri()),
        [date(2026, 7, 1), date(2026, 7, 2)],
        REPORTS["trial_balance"],
    )
    issue_range(changing_ledger, lake, spec, days, pseudonym_key=KEY)
    _late_cash_deposit(changing_ledger, days[1])
    issued, _ = issue_range(changing_ledger, lake, spec, days, pseudonym_key=KEY, supersede=True)
    assert [(i.day, i.status, i.version) for i in issued] == [(days[0], "unchanged", 1), (days[1], "superseded", 2)]

    # every version's rows say which version they are; `latest` holds each day once, the newest version
    everything = pl.read_parquet(
        lake.uri("reports/trial_balance") + "/date=*/version=*/report.parquet", hive_partitioning=True
    )
    assert everything.select("date", "version").unique().height == 3
    assert (everything["version"] == everything["report_version"]).all()
    latest = lake.scan("reports/trial_balance/latest").collect()
    assert latest.group_by("report_date").agg(pl.col("report_version").max()).sort("report_date").rows() == [
        (days[0], 1),
        (days[1], 2),
    ]
    assert latest.filter(pl.col("report_date") == days[1]).height == issued[1].rows
    assert verify_issued(changing_ledger, lake, spec, issued) == []
    older = _read(lake, "trial_balance", days[1], 1, "report.parquet")
    Path(lake.path(latest_folder("trial_balance", days[1]), "report.parquet")).write_bytes(older)
    assert verify_issued(changing_ledger, lake, spec, issued[1:]) == [
        "trial_balance 2026-07-02 v2: latest/report.parquet is not the newest version's"
    ]

    # the index page, as a person sees it: every day and version, the superseded one marked, links that resolve
    index = Path(lake.path("reports", "index.html"))
    dom = render(index.read_bytes(), width=1024, screenshot=tmp_path / "index.png")
    assert 'data-overflows="false"' in dom and "Issued reports" in dom and "Trial balance" in dom
    assert dom.count('class="superseded"') == 1 and ">v2<" in dom and dom.count(">v1<") == 2
    links = re.findall(r'href="([^"]+)"', dom)
    assert len(links) == 3 * 4 and all((index.parent / html.unescape(link)).is_file() for link in links)
    assert (tmp_path / "index.png").stat().st_size > 5000


def test_reports_issued_in_the_earlier_layout_are_moved_unchanged(small_ledger: str, tmp_path: Path) -> None:
    lake, day, spec = Lake((tmp_path / "lake").as_uri()), date(2026, 7, 2), REPORTS["trial_balance"]
    issue_range(small_ledger, lake, spec, [day], pseudonym_key=KEY)
    files = {n: _read(lake, spec.name, day, 1, n) for n in ("report.csv", "manifest.json", "summary.pdf")}
    root = Path(lake.path("reports", spec.name))
    (root / "2026-07-02").mkdir()
    (root / "date=2026-07-02" / "version=1").rename(root / "2026-07-02" / "v1")
    shutil.rmtree(root / "latest")
    assert issued_versions(lake, spec.name, day) == []

    assert move_legacy_layout(lake) == 1
    assert {n: _read(lake, spec.name, day, 1, n) for n in files} == files and not (root / "2026-07-02").exists()
    assert lake.get_file(latest_folder(spec.name, day), "report.csv") == files["report.csv"]
    again, _ = issue_range(small_ledger, lake, spec, [day], pseudonym_key=KEY)
    assert (again[0].status, again[0].version) == ("unchanged", 1)


def test_a_version_left_without_its_manifest_was_never_issued(small_ledger: str, tmp_path: Path) -> None:
    lake, day = Lake((tmp_path / "lake").as_uri()), date(2026, 7, 1)
    lake.put_file("reports/safeguarding/date=2026-07-01/version=1", "report.csv", b"half written by a killed run")
    issued, _ = issue_range(small_ledger, lake, REPORTS["safeguarding"], [day], pseudonym_key=KEY)
    assert (issued[0].status, issued[0].version) == ("issued", 1)
    assert _read(lake, "safeguarding", day, 1, "report.csv").startswith(b"business_date,currency,")


def test_reports_on_an_s3_lake(small_ledger: str, s3_endpoint: str) -> None:
    import s3fs

    s3fs.S3FileSystem(endpoint_url=s3_endpoint).mkdir("fintra-reports")
    lake = Lake("s3://fintra-reports/prod", storage_options={"endpoint_url": s3_endpoint})
    day = date(2026, 7, 2)
    issued, _ = issue_range(small_ledger, lake, REPORTS["trial_balance"], [day], pseudonym_key=KEY)
    assert (
        issued[0].status == "issued"
        and issued[0].path == "s3://fintra-reports/prod/reports/trial_balance/date=2026-07-02/version=1"
    )
    manifest = json.loads(_read(lake, "trial_balance", day, 1, "manifest.json"))
    assert manifest["rows"] == issued[0].rows > 0
    again, _ = issue_range(small_ledger, lake, REPORTS["trial_balance"], [day], pseudonym_key=KEY)
    assert again[0].status == "unchanged"


def test_the_daily_reports_job_builds_the_marts_then_issues_every_report(small_ledger: str, tmp_path: Path) -> None:
    schedule = defs.resolve_schedule_def("reports_daily_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    postgres = PostgresResource(url=small_ledger)
    lake = LakeResource(url=(tmp_path / "lake").as_uri())
    job = defs.resolve_job_def("reports_daily")
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(
            instance=instance,
            partition_key="2026-07-02",
            resources={"postgres": postgres, "lake": lake, "dbt": DbtResource(postgres=postgres)},
        )
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert len(checks) > 50 and all(c.passed for c in checks)
    materialised = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
    assert {"analytics/rpt_ctr", "analytics/fct_daily_balances", "reports/aml_alerts", "reports/ctr"} <= materialised
    for name in REPORTS:
        assert issued_versions(lake.lake(), name, date(2026, 7, 2)) == [1]
    report_checks = {c.asset_key.to_user_string() for c in checks if c.check_name == "files_and_rows_as_issued"}
    assert report_checks == {f"reports/{name}" for name in REPORTS}
    # the check names what it finds: a summary changed after it was issued
    day = date(2026, 7, 2)
    page = Path(lake.lake().path(version_folder("ctr", day, 1), "summary.html"))
    page.write_bytes(page.read_bytes().replace(b"</h1>", b" (edited)</h1>"))
    issued = [Issued("ctr", day, 1, "unchanged", 0, "")]
    problems = verify_issued(small_ledger, lake.lake(), REPORTS["ctr"], issued)
    assert problems == ["ctr 2026-07-02 v1: summary.html does not match the SHA-256 in its manifest"]


def test_fintra_report_from_the_command_line(changing_ledger: str, tmp_path: Path) -> None:
    small_ledger = changing_ledger
    env = {**os.environ, "FINTRA_DATABASE_URL": small_ledger, "FINTRA_HOME": str(tmp_path / "home"), "COLUMNS": "200"}

    def fintra(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([FINTRA, *args], env=env, capture_output=True, text=True, timeout=300)

    first = fintra("report", "ctr", "--date", "2026-07-02")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "ctr 2026-07-02: issued version 1" in first.stdout
    assert fintra("report", "ctr", "--date", "2026-07-02", "--no-build").stdout.count("unchanged version 1") == 1
    _late_cash_deposit(small_ledger, date(2026, 7, 2))
    refused = fintra("report", "ctr", "--date", "2026-07-02", "--no-build")
    assert refused.returncode == 1 and "--supersede" in refused.stdout
    superseded = fintra("report", "ctr", "--date", "2026-07-02", "--supersede", "--no-build")
    assert superseded.returncode == 0 and "superseded version 2" in superseded.stdout
    unknown = fintra("report", "ctrs", "--date", "2026-07-02")
    assert unknown.returncode == 2 and "unknown report 'ctrs'" in unknown.stderr
    bad_date = fintra("report", "ctr", "--date", "2026-02-30")
    assert bad_date.returncode == 2 and "'--date': '2026-02-30' is not a date YYYY-MM-DD" in bad_date.stderr
    assert "YYYY-MM-DD" in fintra("report", "ctr", "--help").stdout  # typed, not <str>
    listed = fintra("report", "ls", "ctr")
    assert listed.returncode == 0 and "2026-07-02" in listed.stdout and "v1, v2" in listed.stdout, listed.stdout
    opened = fintra("report", "open", "ctr", "--pdf")
    assert opened.returncode == 0, opened.stdout + opened.stderr
    assert opened.stdout.strip().endswith("ctr/date=2026-07-02/version=2/summary.pdf"), opened.stdout
    assert Path(opened.stdout.strip()).read_bytes().startswith(b"%PDF")
    index = fintra("report", "open")
    assert index.returncode == 0 and index.stdout.strip().endswith("reports/index.html"), index.stdout
    assert "ctr/date=2026-07-02/version=2/summary.html" in Path(index.stdout.strip()).read_text()
    nothing = fintra("report", "open", "ctr", "--date", "2026-07-03")
    assert nothing.returncode == 1 and "nothing issued for 2026-07-03" in nothing.stdout
