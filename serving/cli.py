"""`fintra serve` (the API on uvicorn), `fintra views` (the read store's views from the event bus),
`fintra apikey create|list|revoke` and `fintra tenant create|list|grant|revoke`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fintra.database import database_url
from fintra.settings import get_settings

console = Console()
apikey_app = typer.Typer(
    help="API keys for the serving API (stored hashed, scoped, rate-limited, each of a tenant).", no_args_is_help=True
)
tenant_app = typer.Typer(
    help="Tenants: an app acts only on the customers and accounts granted to it; an operator on everything.",
    no_args_is_help=True,
)


def _split(values: str | None) -> list[str]:
    return [v.strip() for v in (values or "").split(",") if v.strip()]


def _migrated_url() -> str:
    from serving.schema import migrate

    url = database_url(get_settings())
    migrate(url)
    return url


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (each loads the models)")] = 1,
) -> None:
    """Run the API (docs at /docs, OpenAPI at /openapi.json); loads the production models from the registry.
    With several workers, key revocations and tenant grants reach every worker within a second."""
    import uvicorn

    from serving.app import create_app
    from serving.schema import migrate

    settings = get_settings()
    migrate(database_url(settings))
    console.print(f"API on http://{host}:{port} (docs: http://{host}:{port}/docs)")
    # log_config=None: our JSON access logs, not uvicorn's text ones
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
    else:  # each worker builds its app from the environment's settings
        uvicorn.run(
            "serving.app:create_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
        )


@apikey_app.command("create")
def create_cmd(
    name: Annotated[str, typer.Option(help="Who the key is for")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: transfers:write,score,insights:read,reports:read")],
    tenant: Annotated[str, typer.Option(help="The tenant the key acts for (fintra tenant create; 'operators')")],
    customers: Annotated[
        str | None, typer.Option(help="Also grant the tenant these customers (external references, comma-separated)")
    ] = None,
    accounts: Annotated[str | None, typer.Option(help="Also grant the tenant these accounts (codes)")] = None,
    rate: Annotated[
        int | None, typer.Option(min=1, help="Requests per minute (default FINTRA_API_RATE_PER_MINUTE)")
    ] = None,
) -> None:
    """Create a key of a tenant and print it once (only its hash is stored)."""
    import psycopg

    from serving.keys import create_key
    from serving.tenants import grant

    settings = get_settings()
    url = _migrated_url()
    try:
        with psycopg.connect(url) as conn, conn.transaction():  # the grants and the key, or neither
            if customers or accounts:
                grant(conn, tenant, customers=_split(customers), accounts=_split(accounts))
            token = create_key(conn, name, _split(scopes), rate or settings.api_rate_per_minute, tenant_id=tenant)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    console.print("Store this key now; it cannot be shown again:", style="bold")
    typer.echo(token)


@apikey_app.command("list")
def list_cmd() -> None:
    """Keys with their scopes, rates and whether they are revoked (never the secrets)."""
    import psycopg

    from serving.keys import list_keys

    with psycopg.connect(_migrated_url()) as conn:
        found = list_keys(conn)
    table = Table("key id", "tenant", "name", "scopes", "per minute", "created", "revoked")
    for k in found:
        table.add_row(
            k.key_id,
            k.tenant_id,
            k.name,
            ",".join(k.scopes),
            str(k.rate_per_minute),
            k.created_at.isoformat(timespec="seconds"),
            k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        )
    console.print(table)


@apikey_app.command("revoke")
def revoke_cmd(key_id: Annotated[str, typer.Argument(help="The key id (the part after fk_)")]) -> None:
    """Revoke a key (every running server refuses it within a second)."""
    import psycopg

    from serving.keys import revoke_key

    with psycopg.connect(database_url(get_settings()), autocommit=True) as conn:
        if not revoke_key(conn, key_id):
            console.print(f"[red]no active key {key_id!r}[/red]")
            raise typer.Exit(1)
    console.print(f"revoked {key_id}")


@tenant_app.command("create")
def tenant_create_cmd(
    tenant_id: Annotated[str, typer.Argument(help="Short id: lower-case letters, digits, '-', '_'")],
    name: Annotated[str, typer.Option(help="Who the tenant is (an app, a team)")],
    kind: Annotated[str, typer.Option(help="app (granted customers only) or operator (everything)")] = "app",
) -> None:
    """Create a tenant (the same again is a no-op)."""
    import psycopg

    from serving.tenants import TenantError, create_tenant

    try:
        with psycopg.connect(_migrated_url(), autocommit=True) as conn:
            create_tenant(conn, tenant_id, name, kind)
    except TenantError as exc:
        raise typer.BadParameter(str(exc)) from None
    console.print(f"tenant {tenant_id} ({kind})")


TenantArg = Annotated[str, typer.Argument(help="The app tenant")]
CustomersOpt = Annotated[str | None, typer.Option(help="Customers' external references, comma-separated")]
AccountsOpt = Annotated[str | None, typer.Option(help="Account codes, comma-separated")]


@tenant_app.command("grant")
def tenant_grant_cmd(tenant_id: TenantArg, customers: CustomersOpt = None, accounts: AccountsOpt = None) -> None:
    """Let an app tenant act on customers (all their accounts) or single accounts."""
    _change_grants(tenant_id, customers, accounts, revoke=False)


@tenant_app.command("revoke")
def tenant_revoke_cmd(tenant_id: TenantArg, customers: CustomersOpt = None, accounts: AccountsOpt = None) -> None:
    """Withdraw grants (every running server applies it within a second)."""
    _change_grants(tenant_id, customers, accounts, revoke=True)


def _change_grants(tenant_id: str, customers: str | None, accounts: str | None, *, revoke: bool) -> None:
    import psycopg

    from serving.tenants import TenantError, grant, revoke_grants

    change = revoke_grants if revoke else grant
    try:
        with psycopg.connect(_migrated_url()) as conn:
            count = change(conn, tenant_id, customers=_split(customers), accounts=_split(accounts))
    except TenantError as exc:
        raise typer.BadParameter(str(exc)) from None
    console.print(f"{count} grant(s) {'withdrawn from' if revoke else 'new for'} {tenant_id}")


@tenant_app.command("list")
def tenant_list_cmd() -> None:
    """Tenants, their kind and how many customers and accounts each is granted."""
    import psycopg

    from serving.tenants import list_tenants

    with psycopg.connect(_migrated_url()) as conn:
        found = list_tenants(conn)
    table = Table("tenant", "name", "kind", "customers", "accounts", "created")
    for t in found:
        table.add_row(
            t.tenant_id,
            t.name,
            t.kind.value,
            str(t.customers),
            str(t.accounts),
            t.created_at.isoformat(timespec="seconds"),
        )
    console.print(table)


def views_cmd(
    once: Annotated[bool, typer.Option("--once", help="Apply what the stream holds, then exit")] = False,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="Messages fetched per batch")] = 500,
) -> None:
    """Keep the read store's account views (balances, recent movements, freshness) from the event bus: a
    durable JetStream consumer that resumes where it stopped; run `fintra ledger relay` beside it. Ctrl-C or
    SIGTERM stops it after the batch in hand."""
    from fintra.embedded_nats import nats_url
    from fintra.embedded_redis import redis_url
    from ledger.durable_consumer import run_until_signalled
    from serving.views import ViewsConsumer, ViewStore

    settings = get_settings()
    servers, store_url = nats_url(settings), redis_url(settings)
    store = ViewStore(store_url)
    consumer = ViewsConsumer(servers, store, batch=batch)

    def started() -> None:
        console.print(f"views: from JetStream at {servers} into the read store at {store_url}")

    try:
        applied = run_until_signalled(consumer, once=once, started=started)
    except OSError as exc:  # the bus or the read store unreachable
        console.print(f"[red]views: {exc}[/red]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(f"views: {applied:,} events read")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.command("views")(views_cmd)
    app.add_typer(apikey_app, name="apikey")
    app.add_typer(tenant_app, name="tenant")
