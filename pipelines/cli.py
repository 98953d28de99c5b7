"""`fintra run` (materialise every lake asset from the terminal), `fintra ui` (Dagster's UI) and
`fintra lake ...`, plugged into the root CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from typing import Annotated

import psycopg
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fintra.cli_types import DATE, iso_date
from fintra.database import database_url
from fintra.lake import Lake
from fintra.reports import issued_versions, version_folder
from fintra.settings import get_settings
from ledger.cli import DEMO_START as LEDGER_DEMO_START
from pipelines.report_cli import report_app

console = Console()
lake_app = typer.Typer(help="Inspect the lake.", no_args_is_help=True)


def _dagster_home() -> str:
    home = get_settings().home_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    # Dagster's defaults (SQLite storage under this folder); no usage statistics leave the machine
    instance = home / "dagster.yaml"
    if not instance.exists():
        instance.write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    elif "nux:" not in (text := instance.read_text()):  # an instance from before: no first-visit pop-up
        instance.write_text(text.rstrip("\n") + "\nnux:\n  enabled: false\n")
    return str(home)


def run_cmd(
    start: Annotated[
        date | None, typer.Option(parser=iso_date, metavar=DATE, help="First day; default: first day with data")
    ] = None,
    end: Annotated[
        date | None, typer.Option(parser=iso_date, metavar=DATE, help="Last day; default: last day with data")
    ] = None,
    report_days: Annotated[
        int, typer.Option(min=0, help="Issue reports for this many days up to the last one (0: none)")
    ] = 92,
    models: Annotated[bool, typer.Option(help="Also rebuild the features and train the models")] = True,
) -> None:
    """Materialise every asset: the lake (a backfill over the ledger's days, each partition checked), the
    dbt marts (their tests as checks), the reports of the last `--report-days` days, and the features,
    risk model and merchant index."""
    first_given, last_given = start, end
    url = database_url(get_settings())
    from pipelines.history import data_range  # loads ADBC and polars: only for the commands that read it

    span = data_range(url)
    if span is None and (first_given is None or last_given is None):
        console.print("the ledger is empty: nothing to extract (run `fintra simulate` first)")
        return
    first = first_given or span[0]  # type: ignore[index]
    last = last_given or span[1]  # type: ignore[index]
    if last < first:
        raise typer.BadParameter(f"--end {last} is before --start {first}")
    from ledger.schema import migrate as migrate_ledger
    from pipelines.backfill import materialise_all
    from pipelines.resources import LakeResource, PostgresResource

    migrate_ledger(url)  # a ledger written by an older version: the marts read the current schema
    lake = Lake.from_settings()
    problem = lake.writable()
    if problem is not None:  # every step writes to the lake: say so once, not once per step
        console.print(f"[red]writing to the lake {lake.url} failed ({problem}); check FINTRA_LAKE_URL[/red]")
        raise typer.Exit(1)

    os.environ["DAGSTER_HOME"] = _dagster_home()
    with Progress(
        TextColumn("[bold]{task.fields[stage]:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[detail]}"),
        console=console,
    ) as progress:
        task = progress.add_task("run", total=None, stage="lake", detail=f"{first} → {last}")
        running: list[tuple[str, float]] = []  # the step under way and when it started

        def step(done: int, total: int, detail: str) -> None:
            stage, _, what = detail.partition(": ")
            progress.update(task, completed=done, total=total, stage=stage, detail=what)
            now = time.perf_counter()
            if running:  # one line per finished step stays on the terminal: what ran, in order, how long
                line, started = running.pop()
                progress.console.print(f"[dim]{line} ({now - started:.1f} s)[/dim]")
            if stage != "done":
                running.append((f"{stage}: {what}", now))

        failures = materialise_all(
            PostgresResource(url=url), LakeResource(), first, last, report_days=report_days, models=models, on_step=step
        )
    console.print(f"lake: {lake.url}")
    if failures:
        for failure in failures:
            console.print(f"[red]{failure}[/red]")
        raise typer.Exit(1)
    console.print(
        "every partition matches PostgreSQL; marts built and tested; reports issued"
        + ("; features built, models trained" if models else "")
    )


def ui_cmd(port: Annotated[int, typer.Option(help="Port on 127.0.0.1")] = 3000) -> None:
    """Start Dagster's UI and daemon (schedules) on this code location; Ctrl-C or SIGTERM stops every
    process it started."""
    import dagster as dg

    from pipelines.definitions import defs

    env = {**os.environ, "DAGSTER_HOME": _dagster_home()}
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-m",
        "pipelines.definitions",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]
    console.print(f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={env['DAGSTER_HOME']})")
    for schedule in defs.get_repository_def().schedule_defs:
        state = "on" if schedule.default_status == dg.DefaultScheduleStatus.RUNNING else "off"
        console.print(f"  schedule {schedule.name}: {state}, cron {schedule.cron_schedule} UTC")
    # its own process group: dagster dev starts a webserver, a daemon and code servers, all stopped together
    process = subprocess.Popen(command, env=env, start_new_session=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group, SIGKILL after 30 s for whatever is left of it."""
    for sig, wait in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                process.poll()
                return
            process.poll()
            time.sleep(0.2)


@lake_app.command("ls")
def ls_cmd(prefix: Annotated[str, typer.Argument(help="Folder of datasets")] = "raw/ledger") -> None:
    """List datasets with their partitions."""
    lake = Lake.from_settings()
    datasets = lake.datasets(prefix)
    if not datasets:
        console.print(
            f"[red]prefix: no dataset under {prefix!r} in {lake.url}"
            " (fintra lake ls raw lists the extracted tables)[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(2)
    table = Table("dataset", "partitions", "first", "last", title=lake.url)
    for dataset in datasets:
        parts = lake.partitions(dataset)
        table.add_row(dataset, str(len(parts)), parts[0] if parts else "", parts[-1] if parts else "")
    console.print(table)


@lake_app.command("stream")
def stream_cmd(
    once: Annotated[bool, typer.Option("--once", help="Land what the bus holds, then exit")] = False,
    batch: Annotated[int, typer.Option(min=1, max=50_000, help="Messages fetched per batch (one file per day)")] = 5000,
) -> None:
    """Land the bus's events in the lake within seconds (raw/stream/event_store): a durable JetStream
    consumer that resumes where it stopped; run `fintra ledger relay` beside it. `fintra run` compacts
    each day to one file and reconciles it with the daily extraction. Ctrl-C or SIGTERM stops it after
    the batch in hand."""
    from fintra.embedded_nats import nats_url
    from ledger.durable_consumer import run_until_signalled
    from pipelines.event_stream import DATASET, LakeEventsConsumer

    lake = Lake.from_settings()
    servers = nats_url(get_settings())
    consumer = LakeEventsConsumer(servers, lake, batch=batch)

    def started() -> None:
        console.print(f"lake stream: from JetStream at {servers} into {lake.uri(DATASET)}")

    try:
        landed = run_until_signalled(consumer, once=once, started=started)
    except OSError as exc:  # the bus or the lake unreachable
        console.print(f"[red]lake stream: {exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"lake stream: {landed:,} messages read, {consumer.files:,} files written")


@lake_app.command("reidentify")
def reidentify_cmd(
    pseudonyms: Annotated[list[str], typer.Argument(help="Pseudonyms as the lake holds them (64 hex characters)")],
    actor: Annotated[str, typer.Option(help="Who reads the personal data (recorded)")],
    purpose: Annotated[str, typer.Option(help="Why (recorded), e.g. a case or filing reference")],
) -> None:
    """The values behind lake pseudonyms (names, emails, counterparty names and account numbers), read
    from the ledger and recorded in ledger.pii_access. Needs the installation's pseudonym key."""
    from ledger.errors import InvalidRequest
    from ledger.pii import reidentify

    try:
        with psycopg.connect(database_url()) as conn:
            found = reidentify(conn, pseudonyms, get_settings().resolved_pseudonym_key(), actor=actor, purpose=purpose)
    except InvalidRequest as exc:
        console.print(f"[red]{exc.field}: {exc}[/red]")
        raise typer.Exit(2) from None
    table = Table("pseudonym", "field", "value", "customer", title=f"{len(found)} found (access recorded)")
    for row in found:
        table.add_row(row.pseudonym, row.field, row.value, str(row.customer_id or ""))
    console.print(table)
    if not found:
        raise typer.Exit(1)


dbt_app = typer.Typer(help="The dbt project (marts in the `analytics` schema).", no_args_is_help=True)


@dbt_app.command("build", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt_build_cmd(ctx: typer.Context) -> None:
    """`dbt build` (models and their tests) with the profile generated from the settings; extra
    arguments go to dbt (e.g. `--select rpt_trial_balance`)."""
    from pipelines.transform import run_dbt

    raise typer.Exit(run_dbt(["build", *ctx.args]).returncode)


@dbt_app.command("docs")
def dbt_docs_cmd(
    serve: Annotated[bool, typer.Option(help="Then serve the site on 127.0.0.1 until Ctrl-C")] = False,
    port: Annotated[int, typer.Option(help="Port of the served site")] = 8080,
) -> None:
    """Generate dbt's documentation site (catalog and lineage) under FINTRA_HOME/dbt/target; with --serve,
    serve it (no browser is opened: open the printed address)."""
    from pipelines.transform import run_dbt

    generated = run_dbt(["docs", "generate"]).returncode
    if generated or not serve:
        raise typer.Exit(generated)
    console.print(f"dbt docs on http://127.0.0.1:{port} (Ctrl-C stops)")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a service manager's stop ends dbt's server too, as Ctrl-C does
    try:
        raise typer.Exit(
            run_dbt(["docs", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-browser"]).returncode
        )
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


DEMO_START = date.fromisoformat(LEDGER_DEMO_START)


def demo_cmd(
    customers: Annotated[int, typer.Option(min=0, help="Customers to simulate after the walkthrough (0: skip)")] = 2000,
    days: Annotated[int, typer.Option(min=1, help="Days to simulate")] = 90,
    models: Annotated[bool, typer.Option(help="Train the models and run the API tour")] = True,
) -> None:
    """The whole flow on embedded defaults: the ledger walkthrough, a simulated bank, the lake, the marts,
    the reports, the features and models (`fintra run`), then the API scoring a few transfers."""
    from ledger.cli import ledger_demo

    url = ledger_demo(customers, days)
    _publish_outbox(url)
    if not customers:
        return
    console.rule("lake, marts, reports, features and models")
    from pipelines.history import data_range  # loads ADBC and polars: only for the commands that read it

    span = data_range(url)
    assert span is not None  # the demo just posted
    # reports for every day from the simulation's first (the walkthrough's entries come later)
    try:
        run_cmd(start=None, end=None, report_days=(span[1] - DEMO_START).days + 1, models=models)
    except typer.Exit as stop:
        console.print("[yellow]some steps failed (listed above); the tour goes on with what was built[/yellow]")
        if not models:
            raise stop
    _show_outputs(url)
    if models:
        from pipelines.tour import api_tour

        console.rule("the API")
        api_tour(url, get_settings(), console, as_of=span[1])
    console.rule("where everything is")
    lake = Lake.from_settings()
    console.print(f"lake:      {lake.url}  (raw/ledger, features/transfers, models/, reports/)")
    console.print(f"reports:   {lake.uri('reports', 'index.html')}  (fintra report ls; fintra report open aml_alerts)")
    console.print("models:    fintra models list")
    console.print("Dagster:   fintra ui   → http://127.0.0.1:3000")
    console.print("event bus: fintra ledger relay   (keeps publishing the outbox to NATS JetStream)")
    console.print("API:       fintra serve → http://127.0.0.1:8000/docs (keys: fintra apikey create ...)")
    console.print("dbt docs:  fintra dbt docs --serve")


def _publish_outbox(url: str) -> None:
    """Every event the demo wrote onto the embedded NATS JetStream bus (what `fintra ledger relay` does), then
    into the read store's account views (what `fintra views` does) and the lake (`fintra lake stream`)."""
    import asyncio

    from fintra.embedded_nats import nats_url
    from fintra.embedded_redis import redis_url
    from ledger.jetstream import STREAM, JetStreamSink
    from ledger.outbox import OutboxRelay
    from pipelines.event_stream import DATASET as STREAM_DATASET
    from pipelines.event_stream import LakeEventsConsumer
    from serving.views import ViewsConsumer, ViewStore

    console.rule("the event bus")
    servers = nats_url(get_settings())
    with JetStreamSink(servers) as sink, console.status(f"publishing the outbox to JetStream at {servers}") as shown:
        relay, total = OutboxRelay(url, sink, batch_size=5000), 0
        while published := relay.run_once():
            total += published
            shown.update(f"publishing the outbox to JetStream at {servers}: {total:,} events")
    console.print(f"{total:,} events published to stream {STREAM} at {servers} (subjects ledger.>, risk.>, ...)")
    store_url = redis_url(get_settings())
    store = ViewStore(store_url)
    with console.status(f"building the account views in the read store at {store_url}"):
        applied = asyncio.run(ViewsConsumer(servers, store).run(once=True))
    accounts = sum(1 for k in store.redis.scan_iter("view:account:*", count=1000) if not k.endswith(":recent"))
    store.close()
    console.print(f"{applied:,} events read into the views of {accounts:,} accounts at {store_url} (fintra views)")
    lake = Lake.from_settings()
    consumer = LakeEventsConsumer(servers, lake)
    with console.status(f"landing the events in {lake.uri(STREAM_DATASET)}"):
        landed = asyncio.run(consumer.run(once=True))
    console.print(
        f"{landed:,} messages read into {consumer.files:,} files under {lake.uri(STREAM_DATASET)} (fintra lake stream;"
        " the next fintra run compacts and reconciles them)"
    )


def _show_outputs(url: str) -> None:
    from pipelines.reporting.catalog import ALERT_MARTS

    with psycopg.connect(url) as conn:
        marts = " UNION ALL ".join(f"SELECT rule FROM analytics.{m}" for m in (*ALERT_MARTS, "rpt_ctr"))  # noqa: S608
        alerts = conn.execute(f"SELECT rule, count(*) FROM ({marts}) AS a GROUP BY 1 ORDER BY 1").fetchall()  # noqa: S608
        # the latest day that has alerts: the page to open first (the last day may have none)
        dated = " UNION ALL ".join(f"SELECT alert_date FROM analytics.{m}" for m in ALERT_MARTS)  # noqa: S608
        last = conn.execute(f"SELECT max(alert_date) FROM ({dated}) AS a").fetchone()[0]  # noqa: S608
        if last is None:
            last = conn.execute("SELECT max(business_date) FROM analytics.rpt_trial_balance").fetchone()[0]
    table = Table("rule", "alerts", title="Compliance marts (analytics schema)")
    for rule, count in alerts:
        table.add_row(rule, str(count))
    console.print(table)
    lake = Lake.from_settings()
    versions = issued_versions(lake, "aml_alerts", last)
    if versions:
        page = lake.uri(version_folder("aml_alerts", last, versions[-1]))
        console.print(f"alerts of {last} (the latest day with alerts): {page}/summary.html and summary.pdf")


def register(app: typer.Typer) -> None:
    app.command("run")(run_cmd)
    app.command("ui")(ui_cmd)
    app.add_typer(report_app, name="report")
    app.command("demo")(demo_cmd)
    app.add_typer(lake_app, name="lake")
    app.add_typer(dbt_app, name="dbt")
