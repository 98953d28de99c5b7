"""A report's summary as a PDF (fpdf2), for filing and printing: the HTML summary's figures, rows per group
and rows (an alert report: every row whole, every id in full), in DejaVu Sans (matplotlib's copy: Latin,
Cyrillic and Greek names print as written). The same rows give the same bytes (a fixed creation date)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.reporting.catalog import ReportSpec
from pipelines.reporting.render import TOP_ROWS, built_from, figures, groups, shown

# fontTools logs every table it subsets at INFO: thousands of lines per report run, nothing a person needs
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font_folder() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def summary_pdf(spec: ReportSpec, day: date, version: int, table: pa.Table, manifest: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    rows = table.to_pylist()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(datetime.combine(day, datetime.min.time(), tzinfo=UTC))
    pdf.set_title(f"{spec.title} {day.isoformat()} v{version}")
    fonts = _font_folder()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, f"{spec.title} — {day.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    supersedes = manifest.get("supersedes")
    pdf.multi_cell(
        0,
        5,
        f"{spec.description}\nVersion {version}"
        + (f", superseding version {supersedes['version']}" if supersedes else "")
        + ". SHA-256 of every file in manifest.json.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _pairs(pdf, [*figures(spec, rows), *((name, f"{count:,}") for name, count in sorted(groups(spec, rows)))])
    if rows and spec.every_row_in_full:
        _heading(pdf, f"Every row ({len(rows):,})")
        for row in rows:
            _pairs(pdf, [(name, _whole(name, value)) for name, value in row.items()])
    elif rows:
        top = sorted(rows, key=lambda r: abs(r[spec.amount_column] or 0), reverse=True) if spec.amount_column else rows
        _heading(pdf, f"{'Largest' if spec.amount_column else 'Rows'} ({min(TOP_ROWS, len(rows))} of {len(rows):,})")
        for row in top[:TOP_ROWS]:
            _pairs(pdf, [(name, _whole(name, value)) for name, value in row.items()])
    else:
        pdf.multi_cell(0, 6, "Nothing to report for this day.", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, "Built from")
    _pairs(pdf, [(k, str(v)) for k, v in built_from(manifest).items()])
    return bytes(pdf.output())


def _whole(name: str, value: Any) -> str:
    """A cell whole: lists one item per line, an alert's evidence as key: value lines."""
    cell = shown(value, name)
    if name == "evidence" and cell.startswith("{"):
        return "\n".join(
            f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
            for k, v in json.loads(cell).items()
        )
    return "\n".join(cell.split(";")) if ";" in cell else cell


def _heading(pdf: Any, title: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)


def _pairs(pdf: Any, pairs: list[tuple[str, str]]) -> None:
    """A two-column table (name, value), values wrapping, nothing cut."""
    pdf.set_font("DejaVu", "", 8)
    with pdf.table(col_widths=(45, 135), first_row_as_headings=False, line_height=4.2) as grid:
        for name, value in pairs:
            line = grid.row()
            line.cell(name)
            line.cell(value if not isinstance(value, Decimal) else shown(value))
    pdf.ln(2)
