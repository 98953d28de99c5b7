"""`fintra merchants ...`: merchant curation from the terminal (clusters of unknown descriptors, confirm,
merge, split, the audit log), the same operations as the API's `merchants:curate` routes."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from typing import Annotated

import psycopg
import typer
from rich.console import Console
from rich.table import Table

from fintra.database import database_url
from fintra.migrations import migrate
from fintra.settings import get_settings
from models.merchants import curation

console = Console()
merchants_app = typer.Typer(help="Merchant curation: candidate merchants, confirm, merge, split, history.",
                            no_args_is_help=True)  # fmt: skip
LOGIN = getpass.getuser()
Actor = Annotated[str, typer.Option(help="who makes the change (default: the login name)")]
Reason = Annotated[str | None, typer.Option(help="why, kept in the audit log")]


def _connect() -> psycopg.Connection:
    url = database_url(get_settings())
    migrate(url, "merchants", "models.merchants")
    return psycopg.connect(url, autocommit=True)


def _change(work: Callable[[psycopg.Connection], int]) -> None:
    with _connect() as conn:
        try:
            change_id = work(conn)
        except curation.CurationError as exc:
            console.print(f"[red]{exc.field}[/red]: {exc}")
            raise typer.Exit(2) from exc
        change = curation.change(conn, change_id)
    console.print(f"change {change_id} ({change.action} by {change.actor}): catalogue version {change_id}")
    console.print_json(json.dumps(change.after))


@merchants_app.command("clusters")
def clusters_cmd(
    limit: Annotated[int, typer.Option(min=1)] = 20, min_seen: Annotated[int, typer.Option(min=1)] = 1
) -> None:
    """Descriptors nothing resolved, grouped into candidate merchants, the most seen first."""
    with _connect() as conn:
        found = curation.clusters(conn, limit=limit, min_seen=min_seen)
    table = Table("cluster", "label", "seen", "name parts", "examples", title="candidate merchants")
    for c in found:
        table.add_row(c.cluster_id, c.label, str(c.seen), ", ".join(c.keys[:5]), "; ".join(c.examples[:2]))
    console.print(table if found else "no unknown descriptors recorded")


@merchants_app.command("confirm")
def confirm_cmd(
    cluster_id: Annotated[str, typer.Argument(help="a cluster id from `fintra merchants clusters`")],
    name: Annotated[str, typer.Option(help="the merchant's name")],
    mcc: Annotated[int, typer.Option(help="its merchant category code")],
    category: Annotated[str, typer.Option(help="its category (grocery, restaurant, ...)")],
    actor: Actor = LOGIN,
    reason: Reason = None,
) -> None:
    """Make a cluster a new merchant; its name parts become the merchant's aliases."""
    _change(
        lambda c: curation.confirm(c, cluster_id, name=name, mcc=mcc, category=category, actor=actor, reason=reason)
    )


@merchants_app.command("merge")
def merge_cmd(
    merchant_id: Annotated[str, typer.Argument(help="the merchant to retire")],
    into: Annotated[str, typer.Argument(help="the merchant it is")],
    actor: Actor = LOGIN,
    reason: Reason = None,
) -> None:
    """Merge one merchant into another: its names and aliases resolve to the other from now on."""
    _change(lambda c: curation.merge(c, merchant_id, into, actor=actor, reason=reason))


@merchants_app.command("split")
def split_cmd(
    merchant_id: Annotated[str, typer.Argument(help="the merchant to take aliases from")],
    alias: Annotated[list[str], typer.Option(help="an alias to move (repeat)")],
    name: Annotated[str, typer.Option(help="the new merchant's name")],
    mcc: Annotated[int, typer.Option(help="its merchant category code")],
    category: Annotated[str, typer.Option(help="its category")],
    actor: Actor = LOGIN,
    reason: Reason = None,
) -> None:
    """Move aliases off a merchant into a new one."""
    _change(
        lambda c: curation.split(
            c, merchant_id, alias, name=name, mcc=mcc, category=category, actor=actor, reason=reason
        )
    )


@merchants_app.command("history")
def history_cmd(
    merchant_id: Annotated[str | None, typer.Argument(help="only changes touching this merchant")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """The catalogue's audit log, newest first."""
    with _connect() as conn:
        changes = curation.history(conn, merchant_id, limit=limit)
    table = Table("version", "at", "actor", "action", "model", "reason", "after", title="merchant catalogue changes")
    for c in changes:
        table.add_row(str(c.change_id), c.at[:19], c.actor, c.action, str(c.model_version or ""), c.reason or "",
                      json.dumps(c.after)[:100])  # fmt: skip
    console.print(table if changes else "no changes yet")
