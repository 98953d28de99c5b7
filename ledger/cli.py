"""`fintra db ...`, `fintra ledger ...` and `fintra demo`, plugged into the root CLI."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from fintra.cli_types import DATE, TIMESTAMP, iso_date, iso_timestamp
from fintra.database import database_url
from fintra.settings import get_settings
from ledger.client import Ledger
from ledger.errors import LedgerError
from ledger.money import canonical
from ledger.schema import migrate

console = Console()

if TYPE_CHECKING:
    from ledger.simulator.engine import SimulationStats
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
ledger_app = typer.Typer(help="Inspect the ledger.", no_args_is_help=True)


def _url() -> str:
    return database_url(get_settings())


@db_app.command("migrate")
def migrate_cmd() -> None:
    """Apply pending ledger migrations (idempotent)."""
    applied = migrate(_url())
    if not applied:
        console.print("ledger schema is up to date")
    for m in applied:
        console.print(f"applied ledger {m.version:04d}_{m.name}")


@ledger_app.command("balance")
def balance_cmd(
    code: str,
    as_of: Annotated[
        datetime | None, typer.Option(parser=iso_timestamp, metavar=TIMESTAMP, help="Default: now, from the projection")
    ] = None,
) -> None:
    """Show an account's posted, held and available balance."""
    with Ledger(_url(), pool_size=1) as ledger:
        try:
            bal = ledger.balance(code, as_of)
        except LedgerError as exc:
            console.print(f"[red]{exc.code}[/red]: {exc.detail}")
            raise typer.Exit(1) from exc
    table = Table("account", "currency", "posted", "held", "available", "as of")
    table.add_row(
        bal.account,
        bal.currency,
        canonical(bal.posted),
        canonical(bal.held),
        canonical(bal.available),
        bal.as_of.isoformat() if bal.as_of else "now",
    )
    console.print(table)


@ledger_app.command("statement")
def statement_cmd(
    code: str,
    start: Annotated[
        datetime | None,
        typer.Option(parser=iso_timestamp, metavar=TIMESTAMP, help="Inclusive; default: 30 days before the end"),
    ] = None,
    end: Annotated[
        datetime | None,
        typer.Option(
            parser=iso_timestamp, metavar=TIMESTAMP, help="Exclusive; default: just after the latest movement"
        ),
    ] = None,
) -> None:
    """List an account's entries with running balance (by default its last 30 days of activity)."""
    stop, begin = end, start
    with Ledger(_url(), pool_size=1) as ledger:
        try:
            st = ledger.statement(code, begin, stop)
        except LedgerError as exc:
            console.print(f"[red]{exc.code}[/red]: {exc.detail}")
            raise typer.Exit(1) from exc
    table = Table(
        "effective at",
        "journal",
        "reference",
        "kind",
        "debit",
        "credit",
        "balance",
        title=(
            f"{st.account} ({st.currency}) {st.start:%Y-%m-%d %H:%M} → {st.end:%Y-%m-%d %H:%M}, "
            f"opening {canonical(st.opening_balance)}"
        ),
    )
    for line in st.lines:
        debit = canonical(line.amount) if line.direction.value == "DEBIT" else ""
        credit = canonical(line.amount) if line.direction.value == "CREDIT" else ""
        table.add_row(
            line.effective_at.strftime("%Y-%m-%d %H:%M:%S"),
            str(line.journal_id),
            line.reference_id,
            line.kind.value,
            debit,
            credit,
            canonical(line.balance_after),
        )
    console.print(table)
    console.print(f"closing balance {canonical(st.closing_balance)} {st.currency}")


class RelaySink(StrEnum):
    NATS = "nats"
    NOTIFY = "notify"
    WEBHOOK = "webhook"


@ledger_app.command("relay")
def relay_cmd(
    sink_kind: Annotated[
        RelaySink,
        typer.Option(
            "--sink",
            help="nats: JetStream (FINTRA_NATS_URL, else the embedded server); notify: PostgreSQL NOTIFY;"
            " webhook: POST to --webhook",
        ),
    ] = RelaySink.NATS,
    webhook: Annotated[str | None, typer.Option(help="POST events to this URL (implies --sink webhook)")] = None,
    channel: Annotated[str, typer.Option(help="NOTIFY channel (--sink notify)")] = "ledger_events",
    once: Annotated[bool, typer.Option(help="Publish what is pending, then exit")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    poll: Annotated[float, typer.Option(help="Seconds to wait when idle", min=0.05)] = 1.0,
    max_partitions: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Outbox partitions (of 16) one batch may claim; fewer lets several relays publish side by side"
            " (each account's events stay in order either way)",
        ),
    ] = None,
    retention_hours: Annotated[
        float, typer.Option(help="Delete published outbox rows older than this (pending rows never)", min=0)
    ] = 168.0,
) -> None:
    """Publish pending outbox rows (at least once) until interrupted; prune published ones past retention."""
    import signal
    import threading

    from ledger.jetstream import STREAM, JetStreamSink
    from ledger.outbox import OutboxRelay, PostgresNotifySink, WebhookSink, prune_outbox

    url = _url()
    retention = timedelta(hours=retention_hours)
    sink: WebhookSink | PostgresNotifySink | JetStreamSink
    if webhook or sink_kind is RelaySink.WEBHOOK:
        if not webhook:
            raise typer.BadParameter("--sink webhook needs --webhook URL", param_hint="--webhook")
        sink, target = WebhookSink(webhook), webhook
    elif sink_kind is RelaySink.NOTIFY:
        sink, target = PostgresNotifySink(url, channel), f"NOTIFY {channel}"
    else:
        from fintra.embedded_nats import nats_url

        servers = nats_url(get_settings())
        sink, target = JetStreamSink(servers), f"JetStream {STREAM} at {servers}"
    relay = OutboxRelay(url, sink, batch_size=batch_size, retention=retention, max_partitions=max_partitions)
    with sink:
        if once:
            console.print(f"published {relay.drain()} event(s)")
            console.print(f"pruned {prune_outbox(url, retention)} published row(s) older than {retention}")
            return
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        console.print(f"relaying to {target}; Ctrl-C to stop")
        relay.run(stop, poll_interval=poll)


def simulate_cmd(
    customers: Annotated[int, typer.Option(min=1, help="Number of customers")] = 2000,
    days: Annotated[int, typer.Option(min=1, help="Number of simulated days")] = 90,
    start: Annotated[date, typer.Option(parser=iso_date, metavar=DATE, help="First simulated day")] = "2026-01-01",  # type: ignore[assignment]
    seed: Annotated[int, typer.Option(help="Random seed: same seed and arguments, same ledger content")] = 42,
    typology_share: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="Share of customers with an injected fraud/AML typology")
    ] = 0.02,
    lookalike_share: Annotated[
        float,
        typer.Option(min=0.0, max=0.5, help="Share of customers in a labelled benign look-alike (payroll, rent, ...)"),
    ] = 0.02,
    split: Annotated[
        str, typer.Option(help="Parameter ranges of the injected cases: tune, or holdout/holdout2 (to evaluate rules)")
    ] = "tune",
) -> None:
    """Drive realistic activity (with labelled fraud and AML typologies) through the ledger API."""

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ledger.simulator.engine import SimulationConfig, simulate
    from ledger.simulator.scenario_params import SPLITS

    first_day = iso_date(start)  # a caller in code (the demo) passes the text
    if split not in SPLITS:
        raise typer.BadParameter(f"--split: expected one of {', '.join(SPLITS)}, got {split!r}")
    config = SimulationConfig(customers, days, first_day, seed, typology_share, lookalike_share, split)
    with Progress(
        TextColumn("[bold]simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[detail]}"),
        console=console,
    ) as progress:
        task = progress.add_task("days", total=days, detail="setting up customers and accounts")

        def on_day(day: int, stats: SimulationStats) -> None:
            detail = f"{stats.journals + stats.captures:,} journal entries, {stats.holds:,} card authorisations"
            progress.update(task, completed=day + 1, detail=detail)

        stats = simulate(_url(), config, on_day=on_day)
    table = Table("what", "count", title=f"Simulation {config.run_key} ({stats.seconds} s)")
    for key in (
        "customers",
        "accounts",
        "journals",
        "holds",
        "captures",
        "voids",
        "expired",
        "chargebacks",
        "replayed",
        "ticks",
        "labels",
    ):
        table.add_row(key, f"{getattr(stats, key):,}")
    for error, count in sorted(stats.rejected.items()):
        table.add_row(f"refused: {error}", f"{count:,}")
    console.print(table)


DEMO_START = "2026-01-01"


def ledger_demo(customers: int, days: int) -> str:
    """Start the embedded database, migrate, walk through the ledger API, then simulate a small bank
    (skipped for 0 customers); returns the database URL. `fintra demo` (registered by the last stage)
    runs it first."""
    from ledger.demo import run_demo

    url = _url()
    run_demo(url, console)
    if customers:
        console.rule("simulated activity")
        simulate_cmd(customers=customers, days=days, start=DEMO_START, seed=7, typology_share=0.1, lookalike_share=0.05)
        _show_simulation(url)
    return url


def _show_simulation(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        labels = conn.execute(
            "SELECT family, is_benign, count(*) FROM sim.labels GROUP BY 1, 2 ORDER BY 2, 1"
        ).fetchall()
        samples = conn.execute(
            "SELECT m.name, array_agg(DISTINCT p.descriptor) FROM sim.card_payments p"
            " JOIN sim.merchants m USING (merchant_id) WHERE m.name IN ('Starbucks', 'Amazon', 'Shake Shack')"
            " GROUP BY m.name"
        ).fetchall()
    table = Table(
        "family", "kind", "labelled cases", title="Injected AML/fraud cases and benign look-alikes (sim.labels)"
    )
    for family, benign, count in labels:
        table.add_row(family, "benign look-alike" if benign else "laundering / fraud", str(count))
    console.print(table)
    for name, descriptors in samples:
        console.print(f"[bold]{name}[/bold] appears on statements as: " + " | ".join(descriptors[:4]))


def register(app: typer.Typer) -> None:
    from ledger.cases_cli import cases_app

    app.add_typer(db_app, name="db")
    app.add_typer(cases_app, name="cases")
    app.add_typer(ledger_app, name="ledger")
    app.command("simulate")(simulate_cmd)
