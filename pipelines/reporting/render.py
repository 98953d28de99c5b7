"""A report's rows as files that are the same bytes whenever the rows are: CSV (exact decimals, ISO
8601 UTC times), zstd Parquet (decimal128(38,18) money, timestamp[us, UTC]) and a one-page HTML summary."""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.reporting.catalog import ReportSpec

TOP_ROWS = 10
CELL_CHARACTERS = 90


def text(value: Any) -> str:
    """One CSV cell: exact decimals without trailing zeros beyond the cents, times in UTC with a Z."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def decimal_text(value: Decimal) -> str:
    """`9500.000000000000000000` -> `9500.00`, `0.605019901418270000` -> `0.60501990141827` (exact)."""
    digits = format(value, "f")
    if "." not in digits:
        return digits + ".00"
    whole, fraction = digits.split(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    return f"{whole}.{fraction}"


def csv_bytes(table: pa.Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([text(v) for v in row.values()])
    return buffer.getvalue().encode()


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue()


def summary_html(spec: ReportSpec, day: date, version: int, table: pa.Table, manifest: dict[str, Any]) -> bytes:
    """One page for a compliance officer: headline figures, the largest rows, and what it was built from."""
    rows = table.to_pylist()
    figures: list[tuple[str, str]] = [("Rows", str(len(rows)))]
    if spec.flag_column:
        figures.append((spec.flag_label or spec.flag_column, str(sum(1 for r in rows if r[spec.flag_column]))))
    if spec.amount_column and rows:
        total = sum((r[spec.amount_column] or Decimal(0) for r in rows), Decimal(0))
        figures.append((spec.amount_label or f"Total {spec.amount_column}", decimal_text(total)))
    if spec.group_column:
        for group, count in sorted(Counter(str(r[spec.group_column]) for r in rows).items()):
            figures.append((group, str(count)))
    top = sorted(rows, key=lambda r: abs(r[spec.amount_column] or 0), reverse=True) if spec.amount_column else rows
    inputs = manifest["inputs"]
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(spec.title)} {day.isoformat()}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}"
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccd;padding:.25rem .5rem;"
        "text-align:left;font-size:.85rem;vertical-align:top}th{background:#eef}"
        ".figures td:first-child{font-weight:600}.muted{color:#667;font-size:.8rem}</style></head><body>",
        f"<h1>{e(spec.title)} — {day.isoformat()}</h1>",
        f"<p>{e(spec.description)}</p>",
        f"<p class=muted>Version {version}"
        + (f", superseding version {manifest['supersedes']['version']}" if manifest.get("supersedes") else "")
        + f". Files: {', '.join(e(n) for n in manifest['files'])} (SHA-256 in manifest.json).</p>",
        '<table class="figures">',
        *(f"<tr><td>{e(label)}</td><td>{e(value)}</td></tr>" for label, value in figures),
        "</table>",
    ]
    if rows and spec.every_row_in_full:
        parts += [f"<h2>Every row ({len(rows)})</h2>", *(_row_in_full(row) for row in top)]
    elif rows:
        columns = table.column_names
        parts += [
            f"<h2>{'Largest' if spec.amount_column else 'Rows'} ({min(TOP_ROWS, len(rows))} of {len(rows)})</h2>",
            "<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr>",
            *("<tr>" + "".join(f"<td>{e(_short(text(r[c])))}</td>" for c in columns) + "</tr>" for r in top[:TOP_ROWS]),
            "</table>",
        ]
    else:
        parts.append("<p>Nothing to report for this day.</p>")
    parts += [
        "<h2>Built from</h2><table>",
        *(
            f"<tr><td>{e(k)}</td><td>{e(str(v))}</td></tr>"
            for k, v in {**inputs["ledger_rows_through_day"], **_scalars(inputs), **manifest["code_version"]}.items()
        ),
        "</table>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts).encode()


def _scalars(inputs: dict[str, Any]) -> dict[str, Any]:
    scalars = {"max event seq through the day": inputs["max_event_seq_through_day"]}
    scalars.update({f"threshold {k}": v for k, v in inputs["thresholds"].items()})
    return scalars


def _row_in_full(row: dict[str, Any]) -> str:
    """One row as a block: every field whole (lists one item per line), JSON evidence as its key/values."""
    e = html.escape
    cells = []
    for name, value in row.items():
        shown = text(value)
        if name == "evidence" and shown.startswith("{"):
            evidence = json.loads(shown)
            shown_html = "<br>".join(
                f"<b>{e(k)}</b>: {e(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))}"
                for k, v in evidence.items()
            )
        elif ";" in shown:
            shown_html = "<br>".join(e(item) for item in shown.split(";"))
        else:
            shown_html = e(shown)
        cells.append(f"<tr><th>{e(name)}</th><td>{shown_html}</td></tr>")
    return '<table class="row">' + "".join(cells) + "</table>"


def _short(cell: str) -> str:
    return cell if len(cell) <= CELL_CHARACTERS else cell[: CELL_CHARACTERS - 1] + "…"
