"""Issuing reports: immutable versions under `reports/<report>/date=<date>/version=<N>/` (layout in
`fintra.reports`).

A version folder holds report.csv, report.parquet, summary.html, summary.pdf and, written last, manifest.json (a
folder without one was never issued: a killed run's leftovers, cleared by the next run). The data files carry
`report_date` and `report_version` columns, so rows read from several versions say which they came from;
`latest/date=<date>/` gets a copy of the newest version's data files and `reports/index.html` links every
version. Issuing a day:
- nothing issued yet: version 1;
- the same rows from the same inputs as the latest version: nothing is written (`unchanged`);
- anything else (the rows, or what they were computed from, changed): refused with what changed,
  unless `supersede`, which writes the next version with a link to the one it replaces.
No file is ever overwritten or removed once its version has a manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
import pyarrow as pa

from fintra.lake import Lake
from fintra.reports import (
    INDEX,
    LATEST_FILES,
    MANIFEST,
    ROOT,
    issued_versions,
    latest_folder,
    move_legacy_layout,
    read_manifest,
    version_folder,
)
from pipelines.reporting.catalog import USD_ROUNDING, ReportSpec
from pipelines.reporting.evidence import EvidencePseudonyms
from pipelines.reporting.index import write_index
from pipelines.reporting.inputs import ReportInputs, code_version, inputs_by_day
from pipelines.reporting.pdf import summary_pdf
from pipelines.reporting.render import csv_bytes, parquet_bytes, summary_html

DATA_FILES = ("report.csv", "report.parquet")  # what "the same report" means: same rows, same bytes
MONEY = pa.decimal128(38, 18)
ARROW_TYPES = {  # PostgreSQL type OID -> Arrow type (numeric is money: only declared columns)
    16: pa.bool_(),
    20: pa.int64(),
    23: pa.int32(),
    25: pa.string(),
    1043: pa.string(),
    1082: pa.date32(),
    1184: pa.timestamp("us", tz="UTC"),
}


class ReportRefused(Exception):
    """An issued report would change; `supersede` is needed to issue a new version."""

    code = "report_changed"

    def __init__(self, report: str, day: date, version: int, changes: list[str]) -> None:
        self.report, self.day, self.version, self.changes = report, day, version, changes
        super().__init__(
            f"report {report} for {day} (version {version}) would change: {'; '.join(changes)}. "
            "Issued reports are immutable: run again with --supersede to issue a new version that replaces it."
        )


@dataclass(frozen=True, slots=True)
class Issued:
    report: str
    day: date
    version: int
    status: str  # issued | superseded | unchanged
    rows: int
    path: str


def report_rows(
    conn: psycopg.Connection, spec: ReportSpec, day: date, evidence: EvidencePseudonyms | None = None
) -> pa.Table:
    """The report's rows for `day` with exact types (the schema is the same on a day without rows), its
    `pseudonymised` columns passed through `evidence` (needed to issue them; counting rows does without)."""
    with conn.cursor() as cur:
        cur.execute(spec.query, {"day": day})
        assert cur.description is not None
        fields = [pa.field(c.name, _arrow_type(spec, c.name, c.type_code)) for c in cur.description]
        rows = cur.fetchall()
    schema = pa.schema(fields)
    hidden = {i for i, f in enumerate(schema) if f.name in spec.pseudonymised} if evidence is not None else set()
    columns = [
        pa.array([evidence(r[i]) if i in hidden else r[i] for r in rows], type=f.type)  # type: ignore[misc]
        for i, f in enumerate(schema)
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _arrow_type(spec: ReportSpec, column: str, oid: int) -> pa.DataType:
    if oid == 1700:
        if column not in spec.money:
            raise TypeError(f"report {spec.name}: numeric column {column!r} is not declared as money")
        return MONEY
    if oid not in ARROW_TYPES:
        raise TypeError(f"report {spec.name}: column {column!r} has PostgreSQL type {oid}, not one reports write")
    return ARROW_TYPES[oid]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def issue_day(
    conn: psycopg.Connection,
    lake: Lake,
    spec: ReportSpec,
    day: date,
    inputs: ReportInputs,
    code: dict[str, str],
    *,
    evidence: EvidencePseudonyms | None,
    supersede: bool = False,
) -> Issued:
    """Issue `spec` for `day` (see the module docstring for when it writes, skips or refuses)."""
    if spec.pseudonymised and evidence is None:
        raise ValueError(f"report {spec.name}: its {', '.join(spec.pseudonymised)} must be pseudonymised to issue")
    table = report_rows(conn, spec, day, evidence)
    versions = issued_versions(lake, spec.name, day)
    latest = read_manifest(lake, spec.name, day, versions[-1]) if versions else None
    if latest is not None:
        # Compared as the latest version would hold them (a version issued before the stamp columns
        # existed holds none).
        stamped = any(c["name"] == "report_version" for c in latest["columns"])
        changes = _changes(latest, data_files(table, day, versions[-1] if stamped else None), inputs)
        if not changes:
            target = version_folder(spec.name, day, versions[-1])
            return Issued(spec.name, day, versions[-1], "unchanged", table.num_rows, lake.uri(target))
        if not supersede:
            raise ReportRefused(spec.name, day, versions[-1], changes)
    version = versions[-1] + 1 if versions else 1
    data = data_files(table, day, version)
    manifest: dict[str, Any] = {
        "report": spec.name,
        "title": spec.title,
        "business_date": day.isoformat(),
        "version": version,
        "supersedes": None,
        "rows": table.num_rows,
        "columns": [{"name": f.name, "type": str(f.type)} for f in _stamped(table, day, version).schema],
        "files": {},
        "marts": [f"analytics.{m}" for m in spec.marts],
        "inputs": inputs.as_dict(),
        "code_version": code,
        "notes": USD_ROUNDING,
    }
    if latest is not None:
        previous = lake.get_file(version_folder(spec.name, day, versions[-1]), MANIFEST) or b""
        manifest["supersedes"] = {"version": versions[-1], "manifest_sha256": _sha256(previous)}
    listed = {**manifest, "files": dict.fromkeys([*data, "summary.html", "summary.pdf"])}
    data["summary.html"] = summary_html(spec, day, version, table, listed)
    data["summary.pdf"] = summary_pdf(spec, day, version, table, listed)
    manifest["files"] = {name: {"sha256": _sha256(body), "bytes": len(body)} for name, body in data.items()}
    target = version_folder(spec.name, day, version)
    lake.remove_unissued(target, MANIFEST)
    for name, body in data.items():
        lake.put_new_file(target, name, body)
    lake.put_new_file(target, MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    for name in LATEST_FILES:  # after the manifest: `latest` never shows a version that was not issued
        lake.put_file(latest_folder(spec.name, day), name, data[name])
    status = "superseded" if latest is not None else "issued"
    return Issued(spec.name, day, version, status, table.num_rows, lake.uri(target))


def _stamped(table: pa.Table, day: date, version: int) -> pa.Table:
    n = table.num_rows
    return table.append_column("report_date", pa.array([day] * n, pa.date32())).append_column(
        "report_version", pa.array([version] * n, pa.int32())
    )


def data_files(table: pa.Table, day: date, version: int | None) -> dict[str, bytes]:
    """The data files of a version: the rows with `report_date` and `report_version` (none when
    `version` is None: the files of a version issued before those columns existed)."""
    stamped = _stamped(table, day, version) if version is not None else table
    return {"report.csv": csv_bytes(stamped), "report.parquet": parquet_bytes(stamped)}


def _changes(latest: dict[str, Any], data: dict[str, bytes], inputs: ReportInputs) -> list[str]:
    changes = []
    for name in DATA_FILES:
        if latest["files"].get(name, {}).get("sha256") != _sha256(data[name]):
            changes.append(f"{name} differs")
    before, now = latest["inputs"], inputs.as_dict()
    for key in sorted(set(before) | set(now)):
        if before.get(key) != now.get(key):
            changes.append(f"inputs.{key}: {json.dumps(before.get(key))} -> {json.dumps(now.get(key))}")
    return changes


def issue_range(
    pg_url: str,
    lake: Lake,
    spec: ReportSpec,
    days: list[date],
    *,
    pseudonym_key: bytes,
    supersede: bool = False,
    on_day: Callable[[Issued], None] | None = None,
) -> tuple[list[Issued], list[ReportRefused]]:
    """Issue `spec` for every day in `days`; days that would change an issued report are refused (and
    returned) without stopping the others. Counterparty names and account numbers in the evidence are
    written as pseudonyms under `pseudonym_key` (the lake's)."""
    issued: list[Issued] = []
    refused: list[ReportRefused] = []
    code = code_version()
    move_legacy_layout(lake)
    with psycopg.connect(pg_url) as conn:
        # One snapshot for the whole range: the rows and the inputs they are fingerprinted with agree.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        wants_thresholds = "dim_alert_thresholds" in spec.marts
        inputs = inputs_by_day(conn, spec.ledger_tables, days, thresholds=wants_thresholds)
        evidence = EvidencePseudonyms(conn, pseudonym_key) if spec.pseudonymised else None
        for day in sorted(days):
            try:
                result = issue_day(conn, lake, spec, day, inputs[day], code, evidence=evidence, supersede=supersede)
            except ReportRefused as exc:
                refused.append(exc)
                continue
            issued.append(result)
            if on_day is not None:
                on_day(result)
        conn.rollback()
    if any(r.status != "unchanged" for r in issued) or not lake.fs.exists(lake.path(ROOT, INDEX)):
        write_index(lake)
    return issued, refused


def verify_issued(pg_url: str, lake: Lake, spec: ReportSpec, issued: list[Issued]) -> list[str]:
    """What is wrong with issued report days, each named (empty when nothing is): every file as its
    manifest hashes it, the `latest` copy of the newest version, and as many rows as the marts give for the
    day now."""
    problems: list[str] = []
    with psycopg.connect(pg_url) as conn:
        conn.read_only = True
        for item in issued:
            where = f"{spec.name} {item.day} v{item.version}"
            manifest = read_manifest(lake, spec.name, item.day, item.version)
            target = version_folder(spec.name, item.day, item.version)
            for name, described in manifest["files"].items():
                data = lake.get_file(target, name)
                if data is None or _sha256(data) != described["sha256"]:
                    problems.append(f"{where}: {name} does not match the SHA-256 in its manifest")
            if item.version == issued_versions(lake, spec.name, item.day)[-1]:
                for name in LATEST_FILES:
                    copy = lake.get_file(latest_folder(spec.name, item.day), name)
                    if copy is None or _sha256(copy) != manifest["files"][name]["sha256"]:
                        problems.append(f"{where}: latest/{name} is not the newest version's")
            rows = report_rows(conn, spec, item.day).num_rows
            if rows != manifest["rows"]:
                problems.append(f"{where}: {manifest['rows']} rows issued, the marts give {rows} for the day")
    return problems
