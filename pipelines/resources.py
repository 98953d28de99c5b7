"""Dagster resources: one per external system, configured from `fintra.settings` unless given."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import checked_pseudonym_key, get_settings
from pipelines.transform import DBT, PROJECT_DIR, dbt_home, password_in_environment


class PostgresResource(dg.ConfigurableResource):
    """The ledger database. Unset `url`: FINTRA_DATABASE_URL, else the embedded server (started on demand)."""

    url: str | None = None

    def resolved_url(self) -> str:
        return self.url or database_url(get_settings())


class LakeResource(dg.ConfigurableResource):
    """The lake. Unset fields come from FINTRA_LAKE_URL, FINTRA_S3_ENDPOINT_URL and the pseudonym key of the
    settings (`Settings.resolved_pseudonym_key`)."""

    url: str | None = None
    s3_endpoint_url: str | None = None
    pseudonym_key: str | None = None

    def lake(self) -> Lake:
        settings = get_settings()
        endpoint = self.s3_endpoint_url or settings.s3_endpoint_url
        return Lake(
            self.url or settings.resolved_lake_url, storage_options={"endpoint_url": endpoint} if endpoint else None
        )

    def key(self) -> bytes:
        if self.pseudonym_key:
            return checked_pseudonym_key(self.pseudonym_key.encode(), "LakeResource.pseudonym_key")
        return get_settings().resolved_pseudonym_key()


LOG_LINES = 100  # dbt log lines per debug message of a run


class DbtResource(dg.ConfigurableResource):
    """dbt on the platform database: a profile generated for `postgres`, target and logs under FINTRA_HOME."""

    postgres: PostgresResource

    def cli(self, args: list[str], context: dg.AssetExecutionContext) -> Iterator[Any]:
        """Run `dbt <args>` for the selected dbt assets, yielding their materialisations and check results."""
        url = self.postgres.resolved_url()
        home = dbt_home(url)
        dbt = DbtCliResource(project_dir=str(PROJECT_DIR), profiles_dir=str(home), dbt_executable=DBT)
        with password_in_environment(url):
            invocation = dbt.cli(args, context=context, target_path=home / "target")
        # dagster-dbt echoes every dbt log line on stdout (through a `fintra run` progress bar): they go to
        # the run's debug log instead, LOG_LINES lines a message (a message per line is a write to the event
        # log each, hundreds per build); dbt's own log is target/dbt.log (dagster-dbt puts it there).
        events = iter(invocation.stream())
        echoed = io.StringIO()

        def flush() -> None:
            if echoed.getvalue():
                context.log.debug(f"dbt {' '.join(args)} (log {home / 'target' / 'dbt.log'}):\n{echoed.getvalue()}")
                echoed.seek(0)
                echoed.truncate()

        try:
            while True:
                with contextlib.redirect_stdout(echoed):
                    event = next(events, None)
                if event is None:
                    return
                if echoed.getvalue().count("\n") >= LOG_LINES:
                    flush()
                yield event
        finally:
            flush()
