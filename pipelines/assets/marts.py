"""The dbt project as assets: staging, intermediate, marts and compliance models (keys
`analytics/<model>`) downstream of the ledger tables they read, with dbt's tests as asset checks."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, dbt_assets

from pipelines.resources import DbtResource
from pipelines.transform import BUILD, SCHEMA, manifest_path


class MartsTranslator(DagsterDbtTranslator):
    """dbt sources are the ledger's tables (`ledger/<table>`); models and seeds live in `analytics`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([SCHEMA, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # the model's folder: staging, intermediate, marts, compliance (seeds: reference)
        fqn = dbt_resource_props.get("fqn", [])
        return f"dbt_{fqn[1]}" if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2 else "dbt_reference"


@dbt_assets(manifest=manifest_path(), dagster_dbt_translator=MartsTranslator(), name="dbt_marts")
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtResource) -> Iterator[Any]:
    """`dbt build` of the selected models: each model materialised, then its data tests as checks."""
    yield from dbt.cli(BUILD, context)
