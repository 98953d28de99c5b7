"""`fintra report ...`: issue a report for a day (`fintra report ctr --date D`, one command per report),
list what was issued (`ls`), and open a day's summary (`open`)."""

from __future__ import annotations

import os
import webbrowser
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from fintra.cli_types import DATE, iso_date
from fintra.database import database_url
from fintra.lake import Lake
from fintra.reports import (
    INDEX,
    ROOT,
    issued,
    issued_versions,
    read_manifest,
    report_days,
    report_names,
    version_folder,
)
from fintra.settings import get_settings
from pipelines.reporting.catalog import REPORTS, report_spec

console = Console()


class _Reports(TyperGroup):
    """A report name that does not exist is named with the ones that do (not click's "No such command")."""

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            raise typer.BadParameter(str(_unknown(args[0])), ctx=ctx)
        return super().resolve_command(ctx, args)


def _unknown(name: str) -> ValueError:
    try:
        report_spec(name)
    except ValueError as exc:
        return exc
    return ValueError(f"report: {name!r}")


report_app = typer.Typer(
    cls=_Reports,
    help="Reports: issue one for a day (fintra report ctr --date D), list them (ls), open one (open).",
    no_args_is_help=True,
)


def _issue(name: str, business_day: date, supersede: bool, build: bool) -> None:
    from pipelines.reporting.issue import issue_range
    from pipelines.transform import BUILD, run_dbt

    spec = report_spec(name)
    url = database_url(get_settings())
    if build:
        with console.status(f"building the marts {', '.join(spec.marts)}"):
            selection = ["--select", *(f"+{m}" for m in spec.marts), "--indirect-selection", "cautious"]
            result = run_dbt([*BUILD, *selection], url, capture=True)
        if result.returncode != 0:
            console.print(result.stdout[-4000:])
            console.print("[red]dbt build failed: the report was not issued[/red]")
            raise typer.Exit(1)
    issued, refused = issue_range(
        url,
        Lake.from_settings(),
        spec,
        [business_day],
        pseudonym_key=get_settings().resolved_pseudonym_key(),
        supersede=supersede,
    )
    for failure in refused:
        console.print(f"[red]{failure}[/red]")
        raise typer.Exit(1)
    for item in issued:
        console.print(f"{item.report} {item.day}: {item.status} version {item.version}, {item.rows} rows")
        typer.echo(item.path)


def _issue_command(name: str) -> None:
    def issue(
        day: Annotated[date, typer.Option("--date", parser=iso_date, metavar=DATE, help="Business day")],
        supersede: Annotated[
            bool, typer.Option(help="Issue a new version when the issued one would change (never overwrites)")
        ] = False,
        build: Annotated[bool, typer.Option(help="Rebuild the marts the report reads first")] = True,
    ) -> None:
        _issue(name, day, supersede, build)

    issue.__doc__ = f"Issue {REPORTS[name].title} for one business day under reports/{name}/date=<date>/version=<N>/."
    report_app.command(name)(issue)


for _name in REPORTS:
    _issue_command(_name)


@report_app.command("ls")
def ls_cmd(
    name: Annotated[str | None, typer.Argument(help="One report (default: all)")] = None,
    last: Annotated[int, typer.Option(help="Latest days per report")] = 10,
) -> None:
    """Issued reports: per report its latest days, their versions and rows."""
    lake = Lake.from_settings()
    names = [report_spec(name).name] if name else report_names(lake)
    table = Table("report", "day", "versions", "rows", "summary", title=f"{lake.url}/reports")
    shown = 0
    for report in names:
        by_day = issued(lake, report)
        for day in list(by_day)[-last:]:
            versions = by_day[day]
            manifest = read_manifest(lake, report, day, versions[-1])
            path = lake.uri(version_folder(report, day, versions[-1]), "summary.html")
            table.add_row(report, day.isoformat(), ", ".join(f"v{v}" for v in versions), str(manifest["rows"]), path)
            shown += 1
    if not shown:
        console.print(f"no report issued{f' for {name}' if name else ''} in {lake.url} (fintra run issues them)")
        raise typer.Exit(1)
    console.print(table)
    console.print(f"every day and version: {lake.uri(ROOT, INDEX)}  (fintra report open)")


@report_app.command("open")
def open_cmd(
    name: Annotated[str | None, typer.Argument(help="The report (default: the index of every report)")] = None,
    day: Annotated[
        date | None,
        typer.Option("--date", parser=iso_date, metavar=DATE, help="Business day (default: the latest issued)"),
    ] = None,
    version: Annotated[int | None, typer.Option(help="Version (default: the latest)")] = None,
    pdf: Annotated[bool, typer.Option(help="The PDF instead of the HTML page")] = False,
) -> None:
    """Print where a day's summary (or, without a report, the index page) is and open it in the browser
    when there is a display."""
    lake = Lake.from_settings()
    if name is None:
        if not lake.fs.exists(lake.path(ROOT, INDEX)):
            console.print(f"[red]no report issued in {lake.url} (fintra run issues them)[/red]")
            raise typer.Exit(1)
        _show(lake.path(ROOT, INDEX))
        return
    spec = report_spec(name)
    days = report_days(lake, spec.name)
    chosen = day or (days[-1] if days else None)
    versions = issued_versions(lake, spec.name, chosen) if chosen else []
    if not versions or (version is not None and version not in versions):
        wanted = f"{chosen} v{version}" if version else str(chosen or "any day")
        console.print(f"[red]{spec.name}: nothing issued for {wanted} (fintra report ls {spec.name})[/red]")
        raise typer.Exit(1)
    target = lake.path(
        version_folder(spec.name, chosen, version or versions[-1]), "summary.pdf" if pdf else "summary.html"
    )
    _show(target)


def _show(target: str) -> None:
    typer.echo(target)
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.name == "nt":
        webbrowser.open(Path(target).as_uri() if "://" not in target else target)
