"""`fintra cases ls|show|assign|comment|escalate|decide|expire`: the case queue from a terminal.

The actor written into every audit row and event is `--as` (default `cli:<OS user>`).
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Annotated

import psycopg
import typer
from rich.console import Console
from rich.table import Table

from fintra.database import database_url
from fintra.settings import get_settings
from ledger import cases
from ledger.client import Ledger
from ledger.errors import LedgerError

console = Console()
cases_app = typer.Typer(help="Work the case queue (held transfers and compliance alerts).", no_args_is_help=True)
Actor = Annotated[str | None, typer.Option("--as", help="Who acts (default: cli:<OS user>)")]
CaseArg = Annotated[int, typer.Argument(min=1, help="The case's id")]


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _url() -> str:
    return database_url(get_settings())


def _fail(exc: LedgerError) -> None:
    console.print(f"[red]{exc.detail}[/red]")
    raise typer.Exit(1) from exc


def _when(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if at else ""


@cases_app.command("ls")
def list_cmd(
    status: Annotated[list[str] | None, typer.Option(help="OPEN, IN_REVIEW, ESCALATED or CLOSED (repeatable)")] = None,
    assignee: Annotated[str | None, typer.Option()] = None,
    overdue: Annotated[bool | None, typer.Option("--overdue/--not-overdue")] = None,
    rule: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Cases in id order; by default those not closed."""
    try:
        wanted = (
            [cases.CaseStatus(s.strip().upper()) for s in status]
            if status
            else [s for s in cases.CaseStatus if s is not cases.CaseStatus.CLOSED]
        )
    except ValueError:
        console.print(f"[red]--status must be one of {', '.join(s.value for s in cases.CaseStatus)}[/red]")
        raise typer.Exit(2) from None
    with psycopg.connect(_url()) as conn:
        found = cases.list_cases(conn, status=wanted, assignee=assignee, rule=rule, overdue=overdue, limit=limit)
    table = Table("case", "status", "rule", "customer", "account", "assignee", "due", "title", title="Cases")
    for c in found:
        due = _when(c.due_at) + (" [red]overdue[/red]" if c.overdue else "")
        table.add_row(
            str(c.case_id), c.status, c.rule, str(c.customer_id or ""), c.account or "", c.assignee or "", due, c.title
        )
    console.print(table)


@cases_app.command("show")
def show_cmd(case_id: CaseArg) -> None:
    """One case with its evidence, notes and audit trail."""
    with psycopg.connect(_url()) as conn:
        try:
            detail = cases.get_case(conn, case_id)
        except LedgerError as exc:
            _fail(exc)
            return
    c = detail.case
    console.print(f"[bold]case {c.case_id}[/bold] {c.status} ({c.source}, rule {c.rule}): {c.title}")
    console.print(
        f"customer {c.customer_id or '-'} account {c.account or '-'} assignee {c.assignee or '-'};"
        f" opened {_when(c.opened_at)} due {_when(c.due_at)}{' OVERDUE' if c.overdue else ''}"
    )
    if c.status is cases.CaseStatus.CLOSED:
        console.print(f"closed {_when(c.closed_at)}: {c.disposition}, hold {c.hold_outcome or '-'}")
    evidence = Table("kind", "ref", "detail", title="Evidence")
    for link in detail.links:
        evidence.add_row(link.kind, link.ref, ", ".join(f"{k}={v}" for k, v in link.detail.items() if v)[:200])
    console.print(evidence)
    for note in detail.notes:
        console.print(f"[dim]{_when(note.created_at)} {note.author}:[/dim] {note.body}")
    audit = Table("at", "actor", "action", title="Audit")
    for entry in detail.audit:
        audit.add_row(_when(entry.at), entry.actor, entry.action)
    console.print(audit)


@cases_app.command("assign")
def assign_cmd(case_id: CaseArg, assignee: str, actor: Actor = None) -> None:
    """Give a case to a person or team (an open case goes in review)."""
    with psycopg.connect(_url()) as conn:
        try:
            cases.assign(conn, case_id, assignee, actor=_actor(actor))
        except LedgerError as exc:
            _fail(exc)
    console.print(f"case {case_id} assigned to {assignee}")


@cases_app.command("comment")
def comment_cmd(case_id: CaseArg, text: str, actor: Actor = None) -> None:
    """Add a note to a case."""
    with psycopg.connect(_url()) as conn:
        try:
            note_id = cases.comment(conn, case_id, text, actor=_actor(actor))
        except LedgerError as exc:
            _fail(exc)
            return
    console.print(f"note {note_id} added to case {case_id}")


@cases_app.command("escalate")
def escalate_cmd(case_id: CaseArg, actor: Actor = None) -> None:
    """Hand a case up to a senior officer."""
    with psycopg.connect(_url()) as conn:
        try:
            cases.escalate(conn, case_id, actor=_actor(actor))
        except LedgerError as exc:
            _fail(exc)
    console.print(f"case {case_id} escalated")


@cases_app.command("decide")
def decide_cmd(
    case_id: CaseArg,
    disposition: Annotated[str, typer.Argument(help="FALSE_POSITIVE, CUSTOMER_CONTACTED or SAR_FILED")],
    release: Annotated[
        bool | None,
        typer.Option("--release/--refuse", help="For a held transfer: release it (capture) or refuse it (void)"),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A closing note")] = None,
    actor: Actor = None,
) -> None:
    """Close a case; a held transfer is released or refused with it."""
    with Ledger(_url(), pool_size=1) as ledger:
        try:
            case = ledger.decide_case(case_id, disposition, release=release, actor=_actor(actor), note=note)
        except LedgerError as exc:
            _fail(exc)
            return
    held = f"; the held transfer was {case.hold_outcome.lower()}" if case.hold_outcome else ""
    console.print(f"case {case_id} closed: {case.disposition}{held}")


@cases_app.command("expire")
def expire_cmd() -> None:
    """Expire the holds due by now: their cases, if still open, reopen as overdue."""
    with Ledger(_url(), pool_size=1) as ledger:
        expired = ledger.expire_holds(datetime.now(UTC))
    console.print(f"{expired} hold(s) expired")
