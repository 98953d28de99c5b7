"""Dagster resources: one per external system, configured from `fintra.settings` unless given."""

from __future__ import annotations

import dagster as dg

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings


class PostgresResource(dg.ConfigurableResource):
    """The ledger database. Unset `url`: FINTRA_DATABASE_URL, else the embedded server (started on demand)."""

    url: str | None = None

    def resolved_url(self) -> str:
        return self.url or database_url(get_settings())


class LakeResource(dg.ConfigurableResource):
    """The lake. Unset fields come from FINTRA_LAKE_URL, FINTRA_S3_ENDPOINT_URL and FINTRA_PSEUDONYM_KEY."""

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
        return (self.pseudonym_key or get_settings().pseudonym_key.get_secret_value()).encode()
