"""A report's rows as files that are the same bytes whenever the rows are: CSV (exact decimals, ISO
8601 UTC times), zstd Parquet (decimal128(38,18) money, timestamp[us, UTC]), and for a person an HTML
summary and the same as a PDF: headline figures, a chart of the rows by their group, the rows (an alert
report: every row whole), amounts with thousands separators and their currency, ids never cut."""

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
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}"
    "table{border-collapse:collapse;margin:1rem 0;max-width:100%}"
    "td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;font-size:.85rem;vertical-align:top;"
    "overflow-wrap:anywhere}th{background:#eef}.num{text-align:right;white-space:nowrap}"
    ".figures td:first-child{font-weight:600}.muted{color:#667;font-size:.8rem}.wide{overflow-x:auto}"
    "svg text{font:12px system-ui,sans-serif}table.row{width:100%}table.row th{width:9rem}"
)


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


def grouped(digits: str) -> str:
    """`1234567.50` -> `1,234,567.50`: thousands separators on an exact decimal's text."""
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    whole, dot, fraction = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction}"


def shown(value: Any, column: str = "") -> str:
    """A cell as a person reads it: amounts grouped, with their currency when the column names one (ids and
    counts as they are)."""
    if isinstance(value, Decimal):
        return grouped(decimal_text(value)) + (" USD" if column.endswith("_usd") else "")
    return text(value)


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


def figures(spec: ReportSpec, rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The headline figures: rows, flagged rows, the total amount, rows per group."""
    found: list[tuple[str, str]] = [("Rows", f"{len(rows):,}")]
    if spec.flag_column:
        found.append((spec.flag_label or spec.flag_column, f"{sum(1 for r in rows if r[spec.flag_column]):,}"))
    if spec.amount_column and rows:
        total = sum((r[spec.amount_column] or Decimal(0) for r in rows), Decimal(0))
        found.append((spec.amount_label or f"Total {spec.amount_column}", shown(total, spec.amount_column)))
    return found


def groups(spec: ReportSpec, rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Rows per value of the spec's group column (an alert report: alerts per rule), largest first."""
    if not spec.group_column:
        return []
    counts = Counter(str(r[spec.group_column]) for r in rows)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def bar_chart(title: str, bars: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG (no script, no network), one bar per group with its count."""
    if not bars:
        return ""
    e = html.escape
    height, label_width, width = 22, 230, 320
    peak = max(count for _, count in bars)
    full_width, full_height = label_width + width + 60, height * len(bars) + 10
    # a viewBox and max-width: on a narrow screen the chart shrinks instead of running off the page
    parts = [
        f'<svg role="img" aria-label="{e(title)}" width="{full_width}" height="{full_height}" '
        f'viewBox="0 0 {full_width} {full_height}" style="max-width:100%;height:auto" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>'
    ]
    for i, (name, count) in enumerate(bars):
        y = 5 + i * height
        bar = max(2, round(width * count / peak))
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{e(name)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar}" height="{height - 6}" fill="#4a6fa5"/>'
            f'<text x="{label_width + bar + 6}" y="{y + 15}">{count:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def summary_html(spec: ReportSpec, day: date, version: int, table: pa.Table, manifest: dict[str, Any]) -> bytes:
    """One page for a compliance officer: headline figures, a chart of the rows by group, the rows (the
    largest, or every one whole), and what it was built from. Nothing is cut and nothing overflows."""
    rows = table.to_pylist()
    by_group = groups(spec, rows)
    top = sorted(rows, key=lambda r: abs(r[spec.amount_column] or 0), reverse=True) if spec.amount_column else rows
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(spec.title)} {day.isoformat()}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{e(spec.title)} — {day.isoformat()}</h1>",
        f"<p>{e(spec.description)}</p>",
        f"<p class=muted>Version {version}"
        + (f", superseding version {manifest['supersedes']['version']}" if manifest.get("supersedes") else "")
        + f". Files: {', '.join(e(n) for n in manifest['files'])} (SHA-256 in manifest.json).</p>",
        '<table class="figures">',
        *(f"<tr><td>{e(label)}</td><td class=num>{e(value)}</td></tr>" for label, value in figures(spec, rows)),
        *(f"<tr><td>{e(name)}</td><td class=num>{count:,}</td></tr>" for name, count in sorted(by_group)),
        "</table>",
    ]
    if len(by_group) > 1:
        parts += [
            f"<h2>By {e(spec.group_column or '')}</h2>",
            bar_chart(f"{spec.title} by {spec.group_column}", by_group),
        ]
    if rows and spec.every_row_in_full:
        parts += [f"<h2>Every row ({len(rows):,})</h2>", *(_row_in_full(row) for row in top)]
    elif rows:
        columns = table.column_names
        parts += [
            f"<h2>{'Largest' if spec.amount_column else 'Rows'} ({min(TOP_ROWS, len(rows))} of {len(rows):,})</h2>",
            '<div class="wide"><table><tr>' + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr>",
            *(
                "<tr>"
                + "".join(
                    f"<td{' class=num' if isinstance(r[c], Decimal) else ''}>{e(shown(r[c], c))}</td>" for c in columns
                )
                + "</tr>"
                for r in top[:TOP_ROWS]
            ),
            "</table></div>",
        ]
    else:
        parts.append("<p>Nothing to report for this day.</p>")
    parts += [
        "<h2>Built from</h2><table>",
        *(f"<tr><td>{e(k)}</td><td>{e(str(v))}</td></tr>" for k, v in built_from(manifest).items()),
        "</table>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts).encode()


def built_from(manifest: dict[str, Any]) -> dict[str, Any]:
    """What the report was built from: ledger rows through the day, the thresholds, the code version."""
    inputs = manifest["inputs"]
    return {**inputs["ledger_rows_through_day"], **_scalars(inputs), **manifest["code_version"]}


def _scalars(inputs: dict[str, Any]) -> dict[str, Any]:
    scalars = {"max event seq through the day": inputs["max_event_seq_through_day"]}
    scalars.update({f"threshold {k}": v for k, v in inputs["thresholds"].items()})
    return scalars


def _row_in_full(row: dict[str, Any]) -> str:
    """One row as a block: every field whole (lists one item per line), JSON evidence as its key/values."""
    e = html.escape
    cells = []
    for name, value in row.items():
        cell = shown(value, name)
        if name == "evidence" and cell.startswith("{"):
            evidence = json.loads(cell)
            shown_html = "<br>".join(
                f"<b>{e(k)}</b>: {e(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))}"
                for k, v in evidence.items()
            )
        elif ";" in cell:
            shown_html = "<br>".join(e(item) for item in cell.split(";"))
        else:
            shown_html = e(cell)
        cells.append(f"<tr><th>{e(name)}</th><td>{shown_html}</td></tr>")
    return '<table class="row">' + "".join(cells) + "</table>"
