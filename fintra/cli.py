"""The `fintra` command line.

The root app holds the commands about the runtime itself (`up`, `status`, `down`); each stage adds
its own groups through the `fintra.commands` entry point group (a `register(app)` function), so this
module never imports the stages built on top of it.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer
from rich.console import Console

from fintra.database import redact
from fintra.embedded_nats import EmbeddedNats, EmbeddedNatsError
from fintra.embedded_pg import EmbeddedPostgres, EmbeddedPostgresError
from fintra.logs import configure_logging
from fintra.settings import get_settings

app = typer.Typer(
    name="fintra",
    help="FintraOS Intelligence: ledger, lake, marts, models and the scoring API.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()


@app.callback()
def _root() -> None:
    configure_logging(get_settings().log_level)


@app.command()
def up() -> None:
    """Start the embedded servers: PostgreSQL and the NATS JetStream event bus (each a no-op when it runs,
    or when FINTRA_DATABASE_URL / FINTRA_NATS_URL point elsewhere). Prints the database URL last."""
    settings = get_settings()
    if settings.nats_url is None:
        bus = EmbeddedNats(settings.nats_data_dir)
        bus_was_running = bus.status().running
        try:
            bus_url = bus.start()
        except EmbeddedNatsError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        console.print(f"NATS JetStream {'already running' if bus_was_running else 'started'} at {bus_url}")
    else:
        console.print("FINTRA_NATS_URL is set; using that event bus, nothing to start.")
    if not settings.uses_embedded_postgres:
        console.print("FINTRA_DATABASE_URL is set; using that server, nothing to start.")
        return
    server = EmbeddedPostgres(settings.pg_data_dir)
    was_running = server.status().running
    try:
        url = server.start()
    except EmbeddedPostgresError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"PostgreSQL {'already running' if was_running else 'started'} in {server.data_dir}")
    typer.echo(url)


@app.command()
def status() -> None:
    """Show which database is in use and whether the embedded server runs."""
    settings = get_settings()
    if not settings.uses_embedded_postgres:
        assert settings.database_url is not None
        console.print(f"database: external {redact(settings.database_url.get_secret_value())}")
    state = EmbeddedPostgres(settings.pg_data_dir).status()
    if state.running:
        console.print(f"embedded PostgreSQL: running (pid {state.pid}) in {state.data_dir}")
        typer.echo(state.url)
    else:
        console.print(f"embedded PostgreSQL: stopped ({state.data_dir})")
    if settings.nats_url is not None:
        console.print(f"event bus: external {redact(settings.nats_url)}")
    else:
        bus = EmbeddedNats(settings.nats_data_dir).status()
        shown = f"running (pid {bus.pid}) at {bus.url}" if bus.running else "stopped"
        console.print(f"embedded NATS JetStream: {shown} ({bus.data_dir})")
    console.print(f"lake: {settings.resolved_lake_url}")


@app.command()
def down() -> None:
    """Stop the embedded servers (PostgreSQL and NATS); their data stays."""
    settings = get_settings()
    try:
        bus_stopped = EmbeddedNats(settings.nats_data_dir).stop()
        stopped = EmbeddedPostgres(settings.pg_data_dir).stop()
    except (EmbeddedPostgresError, EmbeddedNatsError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"NATS JetStream: {'stopped' if bus_stopped else 'not running'}")
    console.print("stopped" if stopped else "not running")


def _load_plugins() -> None:
    for entry in sorted(entry_points(group="fintra.commands"), key=lambda e: e.name):
        entry.load()(app)


def main() -> None:
    _load_plugins()
    app()
