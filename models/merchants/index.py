"""The catalogue's vectors in two stores, one collection (or table) per version, a stable name in front.

- Qdrant (local mode under FINTRA_HOME/qdrant by default, FINTRA_QDRANT_URL for a server): collection
  `merchants_v<N>`, alias `merchants` moved to a new version in one atomic alias operation.
- PostgreSQL through timescale-vector (pgvector): table `vectors.merchant_vectors_v<N>` with a DiskANN
  index when the vectorscale extension is installed (HNSW otherwise), view `vectors.merchant_vectors`
  replaced in one transaction.

One point per (merchant, spelling of its name), carrying the merchant in its payload.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import psycopg
from psycopg import sql
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from fintra.settings import Settings
from models.merchants.encoder import DIMENSIONS
from models.merchants.normalise import name_variants

ALIAS = "merchants"
SCHEMA = "vectors"
VIEW = "merchant_vectors"
NAMESPACE = uuid.UUID("5b0f7c1e-2a53-4c61-9b8e-6d1f0a3c9e21")  # point ids: uuid5 of merchant and spelling


@dataclass(frozen=True, slots=True)
class Merchant:
    merchant_id: str
    name: str
    mcc: int
    category: str


@dataclass(frozen=True, slots=True)
class Hit:
    merchant: Merchant
    score: float  # cosine similarity, -1 to 1
    text: str  # the indexed spelling that matched


class VectorIndex(Protocol):
    def search(self, vectors: np.ndarray, limit: int) -> list[list[Hit]]: ...


def catalogue(conn: psycopg.Connection) -> list[Merchant]:
    """The merchant catalogue (the dbt seed `analytics.merchants`)."""
    rows = conn.execute(
        "SELECT merchant_id, name, mcc, category FROM analytics.merchants ORDER BY merchant_id"
    ).fetchall()
    if not rows:
        raise LookupError("analytics.merchants is empty: build the dbt project first (fintra dbt build)")
    return [Merchant(*row) for row in rows]


def index_texts(merchants: Sequence[Merchant]) -> list[tuple[Merchant, str]]:
    """Every (merchant, spelling) to index."""
    return [(m, text) for m in merchants for text in name_variants(m.name)]


def point_id(merchant: Merchant, text: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{merchant.merchant_id}:{text}"))


# -- Qdrant ----------------------------------------------------------------------------------------------
def open_qdrant(settings: Settings) -> QdrantClient:
    """The configured Qdrant: a server at FINTRA_QDRANT_URL, else local mode under FINTRA_HOME/qdrant
    (one process at a time: local mode locks its folder)."""
    if settings.qdrant_url:
        return QdrantClient(url=settings.qdrant_url)
    folder = settings.home_dir / "qdrant"
    folder.mkdir(parents=True, exist_ok=True)
    return QdrantClient(path=str(folder))


def collection(version: int) -> str:
    return f"{ALIAS}_v{version}"


def build_qdrant(
    client: QdrantClient, version: int, entries: Sequence[tuple[Merchant, str]], vectors: np.ndarray
) -> str:
    """Create (or recreate) the collection of `version` with every point; the alias is not touched."""
    name = collection(version)
    if client.collection_exists(name):
        client.delete_collection(name)
    client.create_collection(name, vectors_config=qm.VectorParams(size=DIMENSIONS, distance=qm.Distance.COSINE))
    points = [
        qm.PointStruct(id=point_id(m, text), vector=vector.tolist(), payload={**asdict(m), "text": text})
        for (m, text), vector in zip(entries, vectors, strict=True)
    ]
    for start in range(0, len(points), 512):
        client.upsert(name, points=points[start : start + 512], wait=True)
    return name


def point_qdrant_alias(client: QdrantClient, version: int) -> None:
    """Move the alias to `version`'s collection in one operation (readers see the old or the new one)."""
    operations: list[Any] = []
    if any(a.alias_name == ALIAS for a in client.get_aliases().aliases):
        operations.append(qm.DeleteAliasOperation(delete_alias=qm.DeleteAlias(alias_name=ALIAS)))
    operations.append(
        qm.CreateAliasOperation(create_alias=qm.CreateAlias(collection_name=collection(version), alias_name=ALIAS))
    )
    client.update_collection_aliases(change_aliases_operations=operations)


def qdrant_alias_target(client: QdrantClient) -> str | None:
    return next((a.collection_name for a in client.get_aliases().aliases if a.alias_name == ALIAS), None)


def in_memory_copy(client: QdrantClient, name: str = ALIAS) -> QdrantClient:
    """A `:memory:` Qdrant holding the points of `name` (an alias or collection): serving searches it and
    never keeps the local-mode folder locked."""
    copy = QdrantClient(":memory:")
    copy.create_collection(ALIAS, vectors_config=qm.VectorParams(size=DIMENSIONS, distance=qm.Distance.COSINE))
    offset = None
    while True:
        points, offset = client.scroll(name, limit=1024, offset=offset, with_vectors=True, with_payload=True)
        if points:
            copy.upsert(
                ALIAS,
                points=[qm.PointStruct(id=p.id, vector=p.vector, payload=p.payload) for p in points],  # type: ignore[arg-type]
            )
        if offset is None:
            return copy


class QdrantIndex:
    def __init__(self, client: QdrantClient, name: str = ALIAS) -> None:
        self.client, self.name = client, name

    def search(self, vectors: np.ndarray, limit: int) -> list[list[Hit]]:
        requests = [qm.QueryRequest(query=v.tolist(), limit=limit, with_payload=True) for v in vectors]
        answers = self.client.query_batch_points(self.name, requests=requests)
        return [[_hit(p.payload or {}, p.score) for p in answer.points] for answer in answers]


def _hit(payload: dict[str, Any], score: float) -> Hit:
    merchant = Merchant(payload["merchant_id"], payload["name"], int(payload["mcc"]), payload["category"])
    return Hit(merchant, float(score), payload["text"])


# -- PostgreSQL (pgvector through timescale-vector) --------------------------------------------------------
def table(version: int) -> str:
    return f"merchant_vectors_v{version}"


def _vector_client(pg_url: str, version: int) -> Any:
    from timescale_vector import client as tsv  # psycopg2-based; imported where the table is built

    return tsv.Sync(pg_url, table(version), DIMENSIONS, schema_name=SCHEMA, max_db_connections=2)


def build_pgvector(pg_url: str, version: int, entries: Sequence[tuple[Merchant, str]], vectors: np.ndarray) -> str:
    """Create (or recreate) `vectors.merchant_vectors_v<version>` with its ANN index; the view is not touched."""
    from timescale_vector import client as tsv

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        diskann = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vectorscale'").fetchone()
        if diskann:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vectorscale CASCADE")
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
        conn.execute(
            sql.SQL("DROP TABLE IF EXISTS {}.{} CASCADE").format(sql.Identifier(SCHEMA), sql.Identifier(table(version)))
        )
    store = _vector_client(pg_url, version)
    try:
        store.create_tables()
        records = [
            (uuid.UUID(point_id(m, text)), {**asdict(m), "text": text}, text, vector.tolist())
            for (m, text), vector in zip(entries, vectors, strict=True)
        ]
        store.upsert(records)
        store.create_embedding_index(tsv.DiskAnnIndex() if diskann else tsv.HNSWIndex())
    finally:
        store.close()
    return f"{SCHEMA}.{table(version)}"


def point_pgvector_view(pg_url: str, version: int) -> None:
    """`vectors.merchant_vectors` now reads `version`'s table (one transaction: never missing)."""
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            sql.SQL("CREATE OR REPLACE VIEW {}.{} AS SELECT * FROM {}.{}").format(
                sql.Identifier(SCHEMA), sql.Identifier(VIEW), sql.Identifier(SCHEMA), sql.Identifier(table(version))
            )
        )


class PgVectorIndex:
    """Search one version's table through timescale-vector (pgvector's cosine distance, the ANN index)."""

    def __init__(self, pg_url: str, version: int) -> None:
        self.store = _vector_client(pg_url, version)

    def search(self, vectors: np.ndarray, limit: int) -> list[list[Hit]]:
        results = []
        for vector in vectors:
            rows = self.store.search(vector.tolist(), limit=limit)
            results.append([_hit(dict(row["metadata"]), 1.0 - float(row["distance"])) for row in rows])
        return results

    def close(self) -> None:
        self.store.close()
