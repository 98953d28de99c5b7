"""`fintra serve` (the API on uvicorn) and `fintra apikey create|list|revoke`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fintra.database import database_url
from fintra.settings import get_settings

console = Console()
apikey_app = typer.Typer(
    help="API keys for the serving API (stored hashed, scoped, rate-limited).", no_args_is_help=True
)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Run the API (docs at /docs, OpenAPI at /openapi.json); loads the production models from the registry."""
    import uvicorn

    from serving.app import create_app
    from serving.schema import migrate

    settings = get_settings()
    migrate(database_url(settings))
    console.print(f"API on http://{host}:{port} (docs: http://{host}:{port}/docs)")
    # log_config=None: our JSON access logs, not uvicorn's text ones
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)


@apikey_app.command("create")
def create_cmd(
    name: Annotated[str, typer.Option(help="Who the key is for")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: transfers:write,score,insights:read,reports:read")],
    rate: Annotated[
        int | None, typer.Option(min=1, help="Requests per minute (default FINTRA_API_RATE_PER_MINUTE)")
    ] = None,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    import psycopg

    from serving.keys import create_key
    from serving.schema import migrate

    settings = get_settings()
    url = database_url(settings)
    migrate(url)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            token = create_key(
                conn, name, [s.strip() for s in scopes.split(",") if s.strip()], rate or settings.api_rate_per_minute
            )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    console.print("Store this key now; it cannot be shown again:", style="bold")
    typer.echo(token)


@apikey_app.command("list")
def list_cmd() -> None:
    """Keys with their scopes, rates and whether they are revoked (never the secrets)."""
    import psycopg

    from serving.keys import list_keys
    from serving.schema import migrate

    url = database_url(get_settings())
    migrate(url)
    with psycopg.connect(url) as conn:
        found = list_keys(conn)
    table = Table("key id", "name", "scopes", "per minute", "created", "revoked")
    for k in found:
        table.add_row(
            k.key_id,
            k.name,
            ",".join(k.scopes),
            str(k.rate_per_minute),
            k.created_at.isoformat(timespec="seconds"),
            k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        )
    console.print(table)


@apikey_app.command("revoke")
def revoke_cmd(key_id: Annotated[str, typer.Argument(help="The key id (the part after fk_)")]) -> None:
    """Revoke a key (running servers stop accepting it within 30 seconds)."""
    import psycopg

    from serving.keys import revoke_key

    with psycopg.connect(database_url(get_settings()), autocommit=True) as conn:
        if not revoke_key(conn, key_id):
            console.print(f"[red]no active key {key_id!r}[/red]")
            raise typer.Exit(1)
    console.print(f"revoked {key_id}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.add_typer(apikey_app, name="apikey")
