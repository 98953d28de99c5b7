"""The `fintra` command line.

The root app holds the commands about the runtime itself (`up`, `status`, `down`); each stage adds
its own groups through the `fintra.commands` entry point group (a `register(app)` function), so this
module never imports the stages built on top of it.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer
from rich.console import Console

from fintra.daemons import EmbeddedServerError, LoopbackServer
from fintra.database import redact
from fintra.embedded_nats import EmbeddedNats
from fintra.embedded_pg import EmbeddedPostgres, EmbeddedPostgresError
from fintra.embedded_redis import EmbeddedRedis
from fintra.logs import configure_logging
from fintra.settings import Settings, get_settings

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


@app.command()
def up() -> None:
    """Start the embedded servers: PostgreSQL, the NATS JetStream event bus and the Redis read store (each a
    no-op when it runs, or when FINTRA_DATABASE_URL / FINTRA_NATS_URL / FINTRA_REDIS_URL point elsewhere).
    Prints the database URL last."""
    settings = get_settings()
    for what, server, external in _embedded_servers(settings):
        if external is not None:
            console.print(f"{what}: {redact(external)} is configured, nothing to start.")
            continue
        url, happened = _start(server)
        console.print(f"{what} {happened} at {url}")
    if not settings.uses_embedded_postgres:
        console.print("FINTRA_DATABASE_URL is set; using that server, nothing to start.")
        return
    postgres = EmbeddedPostgres(settings.pg_data_dir)
    url, happened = _start(postgres)
    console.print(f"PostgreSQL {happened} in {postgres.data_dir}")
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
    console.print(f"lake: {settings.resolved_lake_url}")


@app.command()
def down() -> None:
    """Stop the embedded servers (PostgreSQL, NATS, Redis); their data stays."""
    settings = get_settings()
    try:
        for what, server, _ in _embedded_servers(settings):
            console.print(f"{what}: {'stopped' if server.stop() else 'not running'}")
        stopped = EmbeddedPostgres(settings.pg_data_dir).stop()
    except (EmbeddedPostgresError, EmbeddedServerError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print("stopped" if stopped else "not running")


def _load_plugins() -> None:
    for entry in sorted(entry_points(group="fintra.commands"), key=lambda e: e.name):
        entry.load()(app)


def main() -> None:
    _load_plugins()
    app()
