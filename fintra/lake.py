"""The lake: Hive-partitioned Parquet under a root URL, a local folder (file://) or S3 (s3://).

Layout: `<root>/<dataset>/<key>=<value>/part-00000.parquet`, e.g. `raw/ledger/entries/date=2026-01-05/`.
Any engine reads it as is (DuckDB, polars, pyarrow, Spark, Trino, Athena).

Writes go partition by partition: the new file is written as `_inprogress-<uuid>` in the partition's
folder and then moved over the live one (an atomic rename on a local disk, an atomic object replace on
S3), so a reader sees the old partition or the new one, never a half-written file, and a crash leaves
at most an orphan that no engine reads (removed by the next write of that partition). The same rows
give byte-identical files.

Notebook helpers: `scan("raw/ledger/entries")` gives a polars LazyFrame, `duckdb()` a DuckDB connection
with one view per dataset.
"""

from __future__ import annotations

import posixpath
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from fintra.settings import Settings, get_settings

if TYPE_CHECKING:
    import duckdb as duckdb_module
    import polars as pl

PART_FILE = "part-00000.parquet"
# Files being written sit next to the live one under this prefix: query engines skip `_` files, and
# the name does not end in .parquet, so globs do not pick them up either.
IN_PROGRESS = "_inprogress-"


def _parquet_options(table: pa.Table) -> dict[str, Any]:
    """zstd, statistics, and dictionary encoding for text columns only: on ids, amounts and times a
    dictionary is tried, overflows and is dropped, which made encoding ~35% slower and files larger."""
    text = [f.name for f in table.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    return {"compression": "zstd", "write_statistics": True, "use_dictionary": text or False}


@dataclass(frozen=True, slots=True)
class PartitionWrite:
    dataset: str
    partition: str
    rows: int
    bytes: int
    path: str


class Lake:
    """A lake rooted at `url`; `storage_options` go to s3fs (endpoint, credentials)."""

    def __init__(self, url: str, *, storage_options: dict[str, Any] | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("file", "s3"):
            raise ValueError(f"lake URL must be file:///path or s3://bucket/prefix, got {url!r}")
        self.url = url.rstrip("/")
        self.scheme = parts.scheme
        self.storage_options = dict(storage_options or {})
        if self.scheme == "file":
            self.fs = fsspec.filesystem("file", auto_mkdir=True)
            self.root = parts.path.rstrip("/")
        else:
            self.fs = fsspec.filesystem("s3", **self.storage_options)
            self.root = (parts.netloc + parts.path).rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Lake:
        settings = settings or get_settings()
        options: dict[str, Any] = {}
        if settings.s3_endpoint_url:
            options["endpoint_url"] = settings.s3_endpoint_url
        return cls(settings.resolved_lake_url, storage_options=options)

    # -- paths ----------------------------------------------------------------------------------------
    def path(self, *parts: str) -> str:
        return posixpath.join(self.root, *parts)

    def uri(self, *parts: str) -> str:
        return f"{self.scheme}://{self.path(*parts)}" if self.scheme == "s3" else self.path(*parts)

    def partitions(self, dataset: str) -> list[str]:
        """The partitions of `dataset` that hold a part file (e.g. ["date=2026-01-05", ...]), sorted: a
        folder left with only a killed writer's file is not a partition."""
        base = self.path(dataset)
        if not self.fs.exists(base):
            return []
        return sorted(
            posixpath.basename(posixpath.dirname(p)) for p in self.fs.glob(posixpath.join(base, "*=*", PART_FILE))
        )

    def datasets(self, prefix: str) -> list[str]:
        base = self.path(prefix)
        if not self.fs.exists(base):
            return []
        return sorted(posixpath.join(prefix, posixpath.basename(p.rstrip("/"))) for p in self.fs.ls(base, detail=False))

    # -- writing --------------------------------------------------------------------------------------
    def writable(self) -> str | None:
        """None when a file can be written to and removed from the lake's root, else why not (checked
        before a long run, which would otherwise fail once per step)."""
        probe = self.path(IN_PROGRESS + "probe-" + uuid.uuid4().hex)
        try:
            with self.fs.open(probe, "wb") as f:
                f.write(b"")
            self.fs.rm(probe)
        except Exception as exc:  # any failure of the storage (s3fs raises more than OSError) is the answer
            return f"{type(exc).__name__}: {exc}"
        return None

    def write_partition(self, dataset: str, partition: str, table: pa.Table) -> PartitionWrite:
        """Replace `dataset/partition` with `table` (zstd Parquet), swapping it in only once complete."""
        final = self.path(dataset, partition)
        temp = posixpath.join(final, IN_PROGRESS + uuid.uuid4().hex)
        # Encoded in memory, then written in one call: the Parquet writer's ~25 small writes and seeks
        # per file were as many system calls, and a backfill writes one file per day.
        encoded = pa.BufferOutputStream()
        pq.write_table(table, encoded, **_parquet_options(table))
        data = encoded.getvalue()
        if self.scheme == "file":
            # No listing of a folder created just now (file-system calls cost ~0.1-0.7 ms of CPU each
            # on this VM's disk).
            try:
                Path(final).mkdir(parents=True)
                fresh = True
            except FileExistsError:
                fresh = False
            with pa.OSFile(temp, "wb") as sink:
                sink.write(data)
        else:
            fresh = False
            with self.fs.open(temp, "wb") as f:
                f.write(data)
        self._swap(temp, final, fresh=fresh)
        return PartitionWrite(dataset, partition, table.num_rows, data.size, self.uri(dataset, partition))

    def _swap(self, temp: str, final: str, *, fresh: bool = False) -> None:
        """Move the finished file over the live one (an atomic rename locally, an atomic object replace
        on S3), then drop whatever else the folder holds (files left by killed writers) unless the
        folder was `fresh`ly created by this write."""
        if self.scheme == "file":
            Path(temp).replace(posixpath.join(final, PART_FILE))
            if not fresh:
                for entry in Path(final).iterdir():
                    if entry.name != PART_FILE:
                        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            return
        self.fs.mv(temp, posixpath.join(final, PART_FILE))
        for path in self.fs.ls(final, detail=False):
            if posixpath.basename(path.rstrip("/")) != PART_FILE:
                self.fs.rm(path, recursive=True)

    def put_file(self, dataset: str, name: str, data: bytes) -> None:
        """Replace the small file `dataset/name` (e.g. a watermark) atomically, like a partition."""
        temp = self.path(dataset, IN_PROGRESS + uuid.uuid4().hex)
        with self.fs.open(temp, "wb") as f:
            f.write(data)
        self.fs.mv(temp, self.path(dataset, name))

    def put_new_file(self, dataset: str, name: str, data: bytes) -> None:
        """Write `dataset/name`, which must not exist yet (files that are never replaced, e.g. issued
        reports): written beside it first, then moved in."""
        if self.fs.exists(self.path(dataset, name)):
            raise FileExistsError(f"{self.uri(dataset, name)} exists and is never overwritten")
        self.put_file(dataset, name, data)

    def remove_unissued(self, dataset: str, marker: str) -> None:
        """Remove the folder `dataset` if it exists without `marker` (what a killed writer left behind
        before completing it); a folder with its marker is never touched."""
        base = self.path(dataset)
        if self.fs.exists(base) and not self.fs.exists(self.path(dataset, marker)):
            self.fs.rm(base, recursive=True)

    def get_file(self, dataset: str, name: str) -> bytes | None:
        """The content of `dataset/name`, or None when there is no such file."""
        path = self.path(dataset, name)
        if not self.fs.exists(path):
            return None
        with self.fs.open(path, "rb") as f:
            return f.read()

    def remove_partition(self, dataset: str, partition: str) -> None:
        path = self.path(dataset, partition)
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    # -- reading --------------------------------------------------------------------------------------
    def read_partition(self, dataset: str, partition: str) -> pa.Table:
        with self.fs.open(self.path(dataset, partition, PART_FILE), "rb") as f:
            return pq.read_table(f)

    def files(self, dataset: str) -> Iterator[str]:
        for partition in self.partitions(dataset):
            yield self.uri(dataset, partition, PART_FILE)

    def polars_storage_options(self) -> dict[str, str] | None:
        if self.scheme != "s3":
            return None
        options = {"aws_allow_http": "true"}
        if "endpoint_url" in self.storage_options:
            options["aws_endpoint_url"] = self.storage_options["endpoint_url"]
        return options

    def scan(self, dataset: str) -> pl.LazyFrame:
        """A polars LazyFrame over every partition of `dataset` (partition keys become columns)."""
        import polars as pl

        return pl.scan_parquet(
            self.uri(dataset) + "/**/*.parquet",
            hive_partitioning=True,
            storage_options=self.polars_storage_options(),
        )

    def duckdb(self, prefix: str = "raw/ledger") -> duckdb_module.DuckDBPyConnection:
        """A DuckDB connection with one view per dataset under `prefix` (e.g. `entries`)."""
        import duckdb

        con = duckdb.connect()
        if self.scheme == "s3":
            # DuckDB's own S3 extension downloads itself at first use; reuse the lake's s3fs instead.
            con.register_filesystem(self.fs)
        for dataset in self.datasets(prefix):
            name = posixpath.basename(dataset)
            glob = self.uri(dataset) + "/*/*.parquet"
            con.execute(
                f"CREATE VIEW {_identifier(name)} AS SELECT * FROM read_parquet({_literal(glob)}, "  # noqa: S608 - DDL takes no parameters; name validated, path escaped
                "hive_partitioning = true)"
            )
        return con


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain dataset name: {name!r}")
    return '"' + name + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scan(dataset: str) -> pl.LazyFrame:
    """`Lake.from_settings().scan(dataset)`: the configured lake's dataset as a polars LazyFrame."""
    return Lake.from_settings().scan(dataset)


def duckdb(prefix: str = "raw/ledger") -> duckdb_module.DuckDBPyConnection:
    """`Lake.from_settings().duckdb()`: DuckDB with a view per raw ledger table."""
    return Lake.from_settings().duckdb(prefix)
