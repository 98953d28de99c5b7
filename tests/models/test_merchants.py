"""Merchant resolution on the simulator's card payments: normalisation, the ONNX encoder against
sentence-transformers, Qdrant and pgvector indexes behind a stable name, accuracy against rapidfuzz,
and the whole learning path as Dagster assets with their checks."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from fintra.lake import Lake
from fintra.settings import Settings
from models.merchants import index as vectors
from models.merchants.build import build_merchant_resolver, load_encoder
from models.merchants.normalise import name_variants, normalise
from models.merchants.resolve import MerchantResolver
from models.registry import Registry


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        ("SQ *BLUE BOTTLE #0412 OAKLAND CA", "blue bottle oakland"),
        ("TST* SHAKE SHACK 1234 NEW YORK NY", "shake shack new york"),
        ("AMZN Mktp US*2K3L45 Amzn.com/bill WA", "amazon"),
        ("PAYPAL *ETSY", "etsy"),
        ("GOOGLE *YouTube g.co/helppay#", "youtube"),
        ("UBER *TRIP", "uber trip"),
        ("Walmartcom F53042 Boston", "walmartcom boston"),
    ],
)
def test_normalise_strips_what_processors_add(descriptor: str, expected: str) -> None:
    assert normalise(descriptor) == expected


def test_catalogue_names_get_the_spellings_terminals_use() -> None:
    assert name_variants("The Cheesecake Factory") == [
        "the cheesecake factory",
        "thecheesecakefactory",
        "the cheesecake",
    ]
    assert "raisingcanes" in name_variants("Raising Cane's")


@pytest.fixture(scope="module")
def built(compliance_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Settings]:
    home = tmp_path_factory.mktemp("home")
    lake = Lake((home / "lake").as_uri())
    build_merchant_resolver(lake, compliance_db, Settings(home=home), holdout_limit=2000)
    return lake, Settings(home=home)


def test_resolution_beats_string_matching_on_held_out_payments(built: tuple[Lake, Settings]) -> None:
    version = Registry(built[0]).get("merchants")
    metrics, baseline = version.card["metrics"], version.card["baseline"]
    assert version.version == 1 and version.status == "production"
    assert metrics["holdout_payments"] == 2000 and metrics["accuracy"] >= 0.95
    assert metrics["accuracy"] >= baseline["rapidfuzz_ratio"] + 0.10
    # Statement texts that are no card payment now include wires and ACH named after companies and people
    # ("WIRE FROM DELTA PARTNERS CORP", "ACH FROM BRIAN LEWIS"): about 2% still resolve to a look-alike brand
    # (Delta Air Lines, John Lewis), the weakness the merchant-resolution issue is about.
    assert metrics["false_resolutions"] <= 0.03 and metrics["backend_agreement"] >= 0.99
    assert version.card["encoder"]["min_cosine_vs_torch"] >= 0.999


def test_the_onnx_encoder_agrees_with_sentence_transformers(built: tuple[Lake, Settings]) -> None:
    from models.merchants.export import reference_embeddings

    registry = Registry(built[0])
    encoder = load_encoder(registry, registry.get("merchants"))
    texts = ["starbucks seattle", "the home depot", "wire to j alvarez", "x", "a long " * 40]
    cosines = (encoder.encode(texts) * reference_embeddings(texts)).sum(axis=1)
    assert cosines.min() >= 0.999


def test_resolve_answers_with_the_merchant_or_unknown(compliance_db: str, built: tuple[Lake, Settings]) -> None:
    registry = Registry(built[0])
    version = registry.get("merchants")
    with psycopg.connect(compliance_db) as conn:
        descriptor, merchant_id, name = conn.execute(
            "SELECT p.descriptor, p.merchant_id, m.name FROM sim.card_payments AS p JOIN sim.merchants AS m"
            " USING (merchant_id) WHERE m.name = 'Starbucks' LIMIT 1"
        ).fetchone()
    with closing(vectors.open_qdrant(built[1])) as client:
        resolver = MerchantResolver(
            load_encoder(registry, version), vectors.QdrantIndex(vectors.in_memory_copy(client)), 0.5
        )
    found = resolver.resolve(descriptor)
    assert (found.status, found.merchant_id, found.name, found.mcc) == ("resolved", merchant_id, name, 5814)
    assert 0.5 <= found.confidence <= 1.0 and found.category
    for text in ("PAYROLL ACME CORP PAYROLL", "ATM WITHDRAWAL ATM4821 DENVER", "WIRE TO J. ALVAREZ 412"):
        assert resolver.resolve(text).status == "unknown"
    pg = vectors.PgVectorIndex(compliance_db, version.version)
    try:
        assert MerchantResolver(load_encoder(registry, version), pg, 0.5).resolve(descriptor).merchant_id == merchant_id
    finally:
        pg.close()


def test_the_learning_assets_rebuild_and_swap_the_indexes_atomically(
    compliance_db: str,
    compliance_lake: Path,
    built: tuple[Lake, Settings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The models_weekly job over the raw lake: features, risk model, merchant resolution (version 2, which
    takes over the Qdrant alias and the pgvector view; version 1's collection stays for a rollback)."""
    import shutil

    from pipelines.definitions import defs
    from pipelines.resources import LakeResource, PostgresResource

    lake, settings = built
    shutil.copytree(compliance_lake / "raw", Path(lake.root) / "raw")
    monkeypatch.setenv("FINTRA_HOME", str(settings.home))  # the job's settings: this test's Qdrant folder
    from fintra.settings import get_settings

    get_settings.cache_clear()
    try:
        with dg.instance_for_test() as instance:
            result = defs.resolve_job_def("models_weekly").execute_in_process(
                instance=instance,
                resources={"postgres": PostgresResource(url=compliance_db), "lake": LakeResource(url=lake.url)},
            )
    finally:
        get_settings.cache_clear()
    assert result.success
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {
        "online_equals_offline": True,
        "onnx_matches_sklearn": True,
        "beats_rules_baseline": True,
        "promotion_rule_held": True,
        "matches_sentence_transformers": True,
        "agrees_with_qdrant": True,
        "accuracy_target": True,
    }
    registry = Registry(lake)
    assert registry.production_version("merchants") == 2 and registry.production_version("risk") == 1
    with closing(vectors.open_qdrant(settings)) as client:
        assert vectors.qdrant_alias_target(client) == "merchants_v2"
        assert client.collection_exists("merchants_v1")
    with psycopg.connect(compliance_db) as conn:
        definition = conn.execute("SELECT pg_get_viewdef('vectors.merchant_vectors'::regclass)").fetchone()[0]
    assert "merchant_vectors_v2" in definition
    assert defs.resolve_schedule_def("models_weekly_schedule").cron_schedule == "0 3 * * 1"
