"""What a raw partition must satisfy: the same rows and money as PostgreSQL, and the declared schema."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import adbc_driver_postgresql.dbapi as adbc
import pyarrow as pa
import pyarrow.compute as pc

from fintra.lake import Lake
from pipelines.extract import TABLES, TableSpec, exact_types, partition_name, source_totals


def declared_schema(pg_url: str, spec: TableSpec) -> pa.Schema:
    """The schema extraction promises for `spec`: the query's columns under the lake's type rules."""
    query = f"SELECT * FROM ({spec.query}) AS q LIMIT 0"  # noqa: S608 - queries are the module's own
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        if spec.daily:
            cur.execute(query, (None, None))
        else:
            cur.execute(query)
        return exact_types(cur.fetch_arrow_table(), spec).schema


def partition_problems(pg_url: str, lake: Lake, table: str, day: date, schema: pa.Schema | None = None) -> list[str]:
    """Everything wrong with one partition (an empty list when it matches its source)."""
    spec = TABLES[table]
    expected = source_totals(pg_url, spec, day)
    partition = partition_name(day)
    if partition not in lake.partitions(spec.dataset):
        return [] if expected["rows"] == 0 else [f"{partition}: missing, source has {expected['rows']} rows"]
    rows = lake.read_partition(spec.dataset, partition)
    problems = []
    if rows.num_rows != expected["rows"]:
        problems.append(f"{partition}: {rows.num_rows} rows in the lake, {expected['rows']} in PostgreSQL")
    if schema is not None and not rows.schema.equals(schema):
        problems.append(f"{partition}: schema {rows.schema} differs from the declared {schema}")
    if table == "entries":
        grouped = rows.group_by(["currency", "direction"]).aggregate([("amount", "sum")])
        lake_sums = {
            f"{c}:{d}": s
            for c, d, s in zip(
                grouped["currency"].to_pylist(),
                grouped["direction"].to_pylist(),
                grouped["amount_sum"].to_pylist(),
                strict=True,
            )
        }
        source_sums = {k: Decimal(v) for k, v in expected["sums"].items()}
        if lake_sums != source_sums:
            problems.append(f"{partition}: per-currency sums {lake_sums} differ from PostgreSQL {source_sums}")
        debits = pc.sum(pc.if_else(pc.equal(rows["direction"], "DEBIT"), rows["amount"], None)).as_py()
        credits = pc.sum(pc.if_else(pc.equal(rows["direction"], "CREDIT"), rows["amount"], None)).as_py()
        if len(set(rows["currency"].to_pylist())) == 1 and debits != credits:
            problems.append(f"{partition}: debits {debits} and credits {credits} differ")
    return problems
