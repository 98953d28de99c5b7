"""A report's summary as a PDF (fpdf2), for filing and printing: the HTML summary's figures, rows per group
and rows (an alert report: every row whole, every id in full), in DejaVu Sans (pipelines.reporting.fonts:
Latin, Cyrillic and Greek names print as written; Arabic and Hebrew ones right to left, Arabic letters
joined). The same rows give the same bytes (a fixed creation date)."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import arabic_reshaper
import pyarrow as pa
from bidi import get_display

from pipelines.reporting.catalog import ReportSpec
from pipelines.reporting.fonts import STYLES, font_path
from pipelines.reporting.render import TOP_ROWS, built_from, figures, groups, shown

# fontTools logs every table it subsets at INFO: thousands of lines per report run, nothing a person needs
logging.getLogger("fontTools").setLevel(logging.WARNING)


def summary_pdf(spec: ReportSpec, day: date, version: int, table: pa.Table, manifest: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    rows = table.to_pylist()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(datetime.combine(day, datetime.min.time(), tzinfo=UTC))
    pdf.set_title(f"{spec.title} {day.isoformat()} v{version}")
    for style in STYLES:
        pdf.add_font("DejaVu", style, str(font_path(style)))
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


NAME_WIDTH, VALUE_WIDTH, PAD, LINE_HEIGHT = 45.0, 135.0, 1.0, 4.2  # mm


def _pairs(pdf: Any, pairs: list[tuple[str, str]]) -> None:
    """A two-column table (name, value) with borders, values wrapping, nothing cut; a row longer than
    a page goes on over the next. Laid out here rather than with fpdf's `table`, which
    breaks every cell twice (to measure, then to draw) through its general line breaker: most of the
    time of issuing a report went there."""
    pdf.set_font("DejaVu", "", 8)
    for name, value in pairs:
        columns = (
            _wrapped(pdf, name, NAME_WIDTH - 2 * PAD),
            _wrapped(pdf, value if not isinstance(value, Decimal) else shown(value), VALUE_WIDTH - 2 * PAD),
        )
        lines = max(len(c) for c in columns)
        height = lines * LINE_HEIGHT + 2 * PAD
        if pdf.get_y() + height > pdf.page_break_trigger and height <= pdf.page_break_trigger - pdf.t_margin:
            pdf.add_page()  # a row that fits on a page is not split
        top = pdf.get_y()
        for i in range(lines):
            if pdf.get_y() + LINE_HEIGHT + PAD > pdf.page_break_trigger:
                if pdf.get_y() > top:
                    _borders(pdf, top, pdf.get_y() + PAD)
                pdf.add_page()
                top = pdf.get_y()
            y = pdf.get_y() + PAD + 0.75 * LINE_HEIGHT  # the baseline
            for x, width, column in (
                (pdf.l_margin, NAME_WIDTH, columns[0]),
                (pdf.l_margin + NAME_WIDTH, VALUE_WIDTH, columns[1]),
            ):
                if i < len(column) and column[i]:
                    drawn = _visual(column[i])
                    # a line that reads right to left starts at the cell's right edge
                    start = (
                        x + width - PAD - pdf.get_string_width(drawn) if _reads_right_to_left(column[i]) else x + PAD
                    )
                    pdf.text(start, y, drawn)
            pdf.set_y(pdf.get_y() + LINE_HEIGHT)
        _borders(pdf, top, pdf.get_y() + 2 * PAD)
        pdf.set_y(pdf.get_y() + 2 * PAD)
    pdf.ln(2)


# Hebrew, Arabic (with its supplement and extended letters) and their presentation forms (not U+FEFF, the
# byte-order mark at the end of that block)
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


def _visual(line: str) -> str:
    """A line as it is drawn: fpdf places glyphs left to right as given, so a line with Arabic or Hebrew
    is put in visual order (the Unicode bidirectional algorithm: "Transfer to أحمد 1,250.00") and Arabic
    letters take their joined forms (initial, medial, final: the presentation forms the font carries).
    Lines are wrapped before, in reading order."""
    if not _RIGHT_TO_LEFT.search(line):
        return line
    return get_display(arabic_reshaper.reshape(line))


def _reads_right_to_left(line: str) -> bool:
    """The line's first letter is Arabic or Hebrew (its paragraph direction, as the bidirectional
    algorithm takes it)."""
    first = next((c for c in line if c.isalpha()), "")
    return bool(first) and _RIGHT_TO_LEFT.match(first) is not None


def _borders(pdf: Any, top: float, bottom: float) -> None:
    pdf.rect(pdf.l_margin, top, NAME_WIDTH, bottom - top)
    pdf.rect(pdf.l_margin + NAME_WIDTH, top, VALUE_WIDTH, bottom - top)


def _wrapped(pdf: Any, text: str, width: float) -> list[str]:
    """`text` in lines no wider than `width` (mm) in the current font: its own line breaks kept, broken
    at spaces, a word wider than a line (an id, a hash) broken where it reaches the edge."""
    glyphs = pdf.current_font.cw  # widths in thousandths of the font size
    limit = width * 1000 / pdf.font_size

    def measure(word: str) -> float:
        return sum(glyphs[ord(c)] for c in word)

    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            size = measure(word)
            if line and used + space + size <= limit:
                line, used = f"{line} {word}", used + space + size
                continue
            if line:
                lines.append(line)
            line, used = "", 0.0
            while size > limit:  # longer than a whole line: cut it where the line is full
                cut, taken = 0, 0.0
                while cut < len(word) and taken + glyphs[ord(word[cut])] <= limit:
                    taken += glyphs[ord(word[cut])]
                    cut += 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
                size = measure(word)
            line, used = word, size
        lines.append(line)
    return lines
