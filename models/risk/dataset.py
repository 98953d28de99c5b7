"""The training table: every outgoing transfer's features (the lake's `features/transfers`) with its
label from the simulator's ground truth (part of a labelled typology case or not), split by time."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl
import psycopg
import pyarrow.ipc as ipc

from features.definitions import FEATURE_NAMES
from features.offline import DATASET
from fintra.lake import Lake

HOLDOUT_SHARE = 0.3  # the latest 30% of days


@dataclass(frozen=True, slots=True)
class Split:
    train: pl.DataFrame
    holdout: pl.DataFrame
    cutoff: date  # first holdout day


def labelled_transfers(lake: Lake, pg_url: str) -> pl.DataFrame:
    """The feature table with `label` (1: the transfer belongs to a labelled fraud/AML case; benign
    look-alikes are 0) and `typology`."""
    frame = lake.scan(DATASET).collect()
    if frame.is_empty():
        raise ValueError(f"{lake.uri(DATASET)} holds no features: build them first (the features asset)")
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT e.reference_id, min(l.typology) FROM sim.label_entries AS e JOIN sim.labels AS l USING (label_id)"
            " WHERE e.kind = 'journal' AND NOT l.is_benign GROUP BY 1"
        ).fetchall()
    labels = pl.DataFrame(rows, schema={"target_id": pl.String, "typology": pl.String}, orient="row")
    return (
        frame.join(labels, on="target_id", how="left")
        .with_columns(label=pl.col("typology").is_not_null().cast(pl.Int8))
        .sort("ts", "target_id")
    )


def time_split(frame: pl.DataFrame, holdout_share: float = HOLDOUT_SHARE) -> Split:
    """Train on the earlier days, hold out the latest `holdout_share` of them (no transfer of a holdout day
    is seen in training)."""
    days = frame.select(pl.col("ts").dt.date().unique().sort()).to_series().to_list()
    if len(days) < 4:
        raise ValueError(f"the feature table covers {len(days)} day(s); a time split needs at least 4")
    cutoff = days[int(len(days) * (1 - holdout_share))]
    day = pl.col("ts").dt.date()
    return Split(frame.filter(day < cutoff), frame.filter(day >= cutoff), cutoff)


def matrix(frame: pl.DataFrame) -> np.ndarray:
    """The features in FEATURE_NAMES order as float32 values (what the ONNX model takes) in float64."""
    return frame.select(FEATURE_NAMES).to_numpy().astype(np.float32).astype(np.float64)


def fingerprint(frame: pl.DataFrame) -> str:
    """SHA-256 of the rows (keys, features, labels) in a fixed order: the same data, the same hash."""
    table = frame.select("target_id", *FEATURE_NAMES, "label").sort("target_id").to_arrow()
    sink = io.BytesIO()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue()).hexdigest()
