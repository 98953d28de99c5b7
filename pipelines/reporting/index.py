"""`reports/index.html`: every issued report, day and version on one page, newest day first, each version
linked to its summary, PDF, CSV and manifest (relative links: the page works from a copied folder and
from the lake's file system without a server)."""

from __future__ import annotations

import html
import posixpath
from datetime import UTC, datetime

from fintra.lake import Lake
from fintra.reports import INDEX, ROOT, issued, read_manifest, report_names, version_folder
from pipelines.reporting.catalog import REPORTS
from pipelines.reporting.render import STYLE

_FILES = (("summary.html", "page"), ("summary.pdf", "PDF"), ("report.csv", "CSV"), ("manifest.json", "manifest"))


def index_html(lake: Lake, *, generated_at: datetime | None = None) -> bytes:
    """The index page of the reports issued in `lake`."""
    e = html.escape
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    names = report_names(lake)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Issued reports</title><style>{STYLE}.superseded{{color:#667;text-decoration:line-through}}</style>",
        "</head><body>",
        "<h1>Issued reports</h1>",
        f"<p class=muted>{e(lake.url)}/{ROOT}, as of {when}. The newest version of each day is the one that counts; "
        "superseded versions stay for the record.</p>",
    ]
    if len(names) > 1:
        parts.append(
            "<p>"
            + " · ".join(f'<a href="#{e(n)}">{e(REPORTS[n].title if n in REPORTS else n)}</a>' for n in names)
            + "</p>"
        )
    if not names:
        parts.append("<p>No report has been issued yet (<code>fintra run</code> issues them).</p>")
    for name in names:
        spec = REPORTS.get(name)
        versions_by_day = issued(lake, name)  # one listing per report, not one per day
        days = list(versions_by_day)
        parts += [
            f'<h2 id="{e(name)}">{e(spec.title if spec else name)}</h2>',
            f"<p class=muted>{len(days):,} day{'s' if len(days) != 1 else ''} issued"
            + (f", {days[0].isoformat()} to {days[-1].isoformat()}" if days else "")
            + ".</p>",
            '<div class="wide"><table><tr><th>Day</th><th>Rows</th><th>Versions</th></tr>',
        ]
        for day in reversed(days):
            versions = versions_by_day[day]
            newest = read_manifest(lake, name, day, versions[-1])
            cells = []
            for version in reversed(versions):
                base = posixpath.relpath(version_folder(name, day, version), ROOT)
                links = " · ".join(f'<a href="{e(base)}/{f}">{label}</a>' for f, label in _FILES)
                state = "" if version == versions[-1] else ' class="superseded"'
                cells.append(f"<div><span{state}>v{version}</span> {links}</div>")
            parts.append(
                f"<tr><td>{day.isoformat()}</td><td class=num>{newest['rows']:,}</td><td>{''.join(cells)}</td></tr>"
            )
        parts.append("</table></div>")
    parts += ["</body></html>", ""]
    return "\n".join(parts).encode()


def write_index(lake: Lake) -> str:
    """Write `reports/index.html` (replacing the previous one); its URI."""
    lake.put_file(ROOT, INDEX, index_html(lake))
    return lake.uri(ROOT, INDEX)
