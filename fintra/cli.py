"""The `fintra` command line.

The root app holds the commands about the runtime itself (`up`, `status`, `down`); each stage adds
its own groups through the `fintra.commands` entry point group (a `register(app)` function), so this
module never imports the stages built on top of it.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Annotated

import psycopg
import typer
from rich.console import Console

from fintra.daemons import EmbeddedServerError, LoopbackServer
from fintra.database import database_url, redact
from fintra.embedded_nats import EmbeddedNats
from fintra.embedded_pg import EmbeddedPostgres, EmbeddedPostgresError
from fintra.embedded_redis import EmbeddedRedis
from fintra.logs import configure_logging
from fintra.migrations import applied_versions
from fintra.settings import Settings, get_settings
from fintra.workers import bus_workers

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


def _embedded_servers(settings: Settings) -> list[tuple[str, LoopbackServer, str | None]]:
    """The embedded servers besides PostgreSQL: (what it is, the server, the variable that replaces it)."""
    return [
        ("NATS JetStream", EmbeddedNats(settings.nats_data_dir), settings.nats_url),
        ("read store (Redis)", EmbeddedRedis(settings.redis_data_dir), settings.redis_url),
    ]


def _start(server: EmbeddedPostgres | LoopbackServer) -> tuple[str, str]:
    """Start an embedded server (a no-op when it runs): its URL and what happened; a failure exits 1."""
    was_running = server.status().running
    try:
        url = server.start()
    except (EmbeddedPostgresError, EmbeddedServerError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    return url, "already running" if was_running else "started"


def _check_ledger_schema(settings: Settings) -> None:
    """The workers read the ledger's outbox: refuse to start them (exit 1) before its schema exists, rather
    than leave them failing in a loop."""
    try:
        applied = applied_versions(database_url(settings, start_embedded=False), "ledger")
    except (psycopg.Error, RuntimeError) as exc:
        console.print(f"[red]workers not started: the database cannot be reached ({exc})[/red]")
        raise typer.Exit(1) from exc
    if not applied:
        console.print("[red]workers not started: the database has no ledger schema yet; run `fintra db migrate`[/red]")
        raise typer.Exit(1)


@app.command()
def up(
    workers: Annotated[
        bool,
        typer.Option(
            "--workers",
            help="Also run the outbox relay, the read store's views and the lake's stream copy in the background,"
            " each restarted when it exits (logs in FINTRA_HOME/workers/<name>/worker.log; `fintra down` stops"
            " them)",
        ),
    ] = False,
) -> None:
    """Start the embedded servers: PostgreSQL, the NATS JetStream event bus and the Redis read store (each a
    no-op when it runs, or when FINTRA_DATABASE_URL / FINTRA_NATS_URL / FINTRA_REDIS_URL point elsewhere),
    and with --workers the bus's workers. Prints the database URL last."""
    settings = get_settings()
    for what, server, external in _embedded_servers(settings):
        if external is not None:
            console.print(f"{what}: {redact(external)} is configured, nothing to start.")
            continue
        url, happened = _start(server)
        console.print(f"{what} {happened} at {url}")
    url = None
    if settings.uses_embedded_postgres:
        postgres = EmbeddedPostgres(settings.pg_data_dir)
        url, happened = _start(postgres)
        console.print(f"PostgreSQL {happened} in {postgres.data_dir}")
    else:
        console.print("FINTRA_DATABASE_URL is set; using that server, nothing to start.")
    if workers:
        _check_ledger_schema(settings)
        # after the servers they use; a worker that cannot reach one yet exits and is started again
        for worker in bus_workers(settings.home_dir):
            happened = "started" if worker.start() else "already running"
            console.print(f"worker {worker.name} {happened} (log {worker.log_file})")
    if url is not None:
        typer.echo(url)


@app.command()
def status() -> None:
    """Show which database, event bus and read store are in use and whether the embedded ones run."""
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
    for what, server, external in _embedded_servers(settings):
        if external is not None:
            console.print(f"{what}: external {redact(external)}")
            continue
        running = server.status()
        shown = f"running (pid {running.pid}) at {running.url}" if running.running else "stopped"
        console.print(f"embedded {what}: {shown} ({running.data_dir})")
    for worker in bus_workers(settings.home_dir):
        state = worker.status()
        shown = f"running (supervisor pid {state.pid})" if state.running else "stopped"
        console.print(f"worker {worker.name}: {shown} (log {state.log_file})")
    console.print(f"lake: {settings.resolved_lake_url}")


@app.command()
def down() -> None:
    """Stop the bus's workers, then the embedded servers (PostgreSQL, NATS, Redis); their data stays."""
    settings = get_settings()
    failed = False
    # each one stopped even when another fails (its error said), then exit 1
    for worker in reversed(bus_workers(settings.home_dir)):
        try:
            if worker.stop():
                console.print(f"worker {worker.name}: stopped")
        except EmbeddedServerError as exc:
            console.print(f"[red]{exc}[/red]")
            failed = True
    for what, server, _ in _embedded_servers(settings):
        try:
            console.print(f"{what}: {'stopped' if server.stop() else 'not running'}")
        except EmbeddedServerError as exc:
            console.print(f"[red]{exc}[/red]")
            failed = True
    try:
        stopped = EmbeddedPostgres(settings.pg_data_dir).stop()
        console.print("stopped" if stopped else "not running")
    except (EmbeddedPostgresError, EmbeddedServerError) as exc:
        console.print(f"[red]{exc}[/red]")
        failed = True
    if failed:
        raise typer.Exit(1)


def _load_plugins() -> None:
    for entry in sorted(entry_points(group="fintra.commands"), key=lambda e: e.name):
        entry.load()(app)


def main() -> None:
    _load_plugins()
    app()
