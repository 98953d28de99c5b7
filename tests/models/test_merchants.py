"""Merchant resolution on the simulator's card payments: normalisation, the ONNX encoder against
sentence-transformers, Qdrant and pgvector indexes behind a stable name, accuracy against rapidfuzz,
and the whole learning path as Dagster assets with their checks."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import dagster as dg
import numpy as np
import psycopg
import pytest

from fintra.lake import Lake
from fintra.settings import Settings
from models.merchants import encoder as encoder_module
from models.merchants import index as vectors
from models.merchants.build import build_merchant_resolver, load_encoder, load_resolver
from models.merchants.descriptor import parse
from models.merchants.matching import Matcher, alias_text
from models.merchants.resolve import MerchantResolver
from models.registry import Registry


@pytest.mark.parametrize(
    ("descriptor", "name", "parts"),
    [
        (
            "SQ *BLUE BOTTLE #0412 OAKLAND CA",
            "BLUE BOTTLE",
            {"processor": "square", "store_id": "0412", "location": "OAKLAND CA"},
        ),
        (
            "TST* SHAKE SHACK 1234 NEW YORK NY",
            "SHAKE SHACK",
            {"processor": "toast", "store_id": "1234", "location": "NEW YORK NY"},
        ),
        (
            "AMZN Mktp US*2K3L45 Amzn.com/bill WA",
            "AMZN MKTP",
            {"reference": "2K3L45", "url": "AMZN.COM/BILL", "location": "US WA"},
        ),
        ("PAYPAL *ETSY 4029357733 CA", "ETSY", {"processor": "paypal", "phone": "4029357733", "location": "CA"}),
        (
            "DD *DOORDASH CHIPOTLE 855-431-0459 CA",
            "DOORDASH",
            {"via": "CHIPOTLE", "phone": "855-431-0459", "location": "CA"},
        ),
        ("UBER* EATS PENDING", "UBER EATS", {}),
        ("GOOGLE *YouTube g.co/helppay#", "YOUTUBE", {"processor": "google", "url": "G.CO/HELPPAY#"}),
        (
            "APPLE.COM/BILL 866-712-7753 CA",
            "APPLE",
            {"url": "APPLE.COM/BILL", "phone": "866-712-7753", "location": "CA"},
        ),
        ("NETFLIX.COM LOS GATOS CA", "NETFLIX", {"url": "NETFLIX.COM", "location": "LOS GATOS CA"}),
        (
            "AMERICAN AIR0012345678901 FORT WORTH TX",
            "AMERICAN AIR",
            {"reference": "0012345678901", "location": "FORT WORTH TX"},
        ),
        (
            "SOUTHWES    5262123456789 800-435-9792 TX",
            "SOUTHWES",
            {"reference": "5262123456789", "phone": "800-435-9792", "location": "TX"},
        ),
        ("CHECKCARD 1203 STARBUCKS #12345 SEATTLE WA", "STARBUCKS", {"store_id": "12345", "location": "SEATTLE WA"}),
        ("POS DEBIT 12/03 MCDONALD'S F12345 CHICAGO IL", "MCDONALDS", {"store_id": "12345", "location": "CHICAGO IL"}),
        ("TESCO STORES 3124 LONDON GBR", "TESCO STORES", {"store_id": "3124", "location": "LONDON GBR"}),
        ("CARD 0081 QUESTDIAGNOSTICS.COM 577", "QUESTDIAGNOSTICS", {"url": "QUESTDIAGNOSTICS.COM", "store_id": "577"}),
        ("MICROSOFT*XBOX", "MICROSOFT XBOX", {}),
        ("SQ *TIFFANY&CO DUBLIN IE", "TIFFANY CO", {"processor": "square", "location": "DUBLIN IE"}),
        ("MOTEL 6 #123 DALLAS TX", "MOTEL 6", {"store_id": "123", "location": "DALLAS TX"}),
        ("MINT MOBILE", "MINT MOBILE", {}),  # a one-word city (Mobile, AL) is only a place after two name words
        # a lone city after one word stays in the name; the matcher tries the name without it
        ("Spotify P0A1B2C3D4 Stockholm", "SPOTIFY STOCKHOLM", {"reference": "P0A1B2C3D4"}),
        ("IZ *CAFÉ NERO\t", "CAFE NERO", {"processor": "zettle"}),
        ("\x00\x01 ", "", {}),
    ],
)
def test_parsing_takes_off_and_keeps_what_processors_add(descriptor: str, name: str, parts: dict[str, str]) -> None:
    parsed = parse(descriptor)
    assert parsed.name == name
    assert {k: v for k, v in parsed.parts().items() if v is not None} == parts


def test_catalogue_names_are_matched_as_names() -> None:
    """Catalogue names go through the same parsing but keep city words and lose only punctuation."""
    assert alias_text("Transport for London") == "transport for london"
    assert alias_text("Raising Cane's") == "raising canes"
    assert alias_text("APPLE.COM/BILL") == "apple"


@pytest.fixture(scope="module")
def built(compliance_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Settings]:
    home = tmp_path_factory.mktemp("home")
    lake = Lake((home / "lake").as_uri())
    build_merchant_resolver(lake, compliance_db, Settings(home=home), holdout_limit=2000)
    return lake, Settings(home=home)


def test_resolution_generalises_to_held_out_brands_and_formats(built: tuple[Lake, Settings]) -> None:
    """The reranker never saw the evaluation brands nor the held-out formats; brands left out of the index
    must come back unknown. Targets of the merchant-resolution issue, on the model card of every build."""
    version = Registry(built[0]).get("merchants")
    held_out = version.card["held_out"]
    evaluation = held_out["evaluation"]
    assert version.version == 1 and version.status == "production"
    assert evaluation["descriptors"] >= 1000 and evaluation["unknown_descriptors"] >= 300
    assert evaluation["top1"] >= 0.97 and evaluation["top1"] >= evaluation["rapidfuzz_wratio_top1"] + 0.07
    assert evaluation["unknown_rate"] >= 0.90 and evaluation["precision"] >= 0.97
    assert held_out["evaluation_held_out_formats"]["top1"] >= 0.93
    # Abbreviations and truncations of brands whose aliases are not in the index: harder; better than string
    # matching and far more precise (it answers unknown rather than guess).
    unseen = held_out["evaluation_aliases_not_indexed"]
    assert unseen["top1"] >= unseen["rapidfuzz_wratio_top1"] + 0.02 and unseen["precision"] >= 0.97


def test_resolution_of_the_simulators_payments(built: tuple[Lake, Settings]) -> None:
    version = Registry(built[0]).get("merchants")
    metrics, baseline = version.card["metrics"], version.card["baseline"]
    assert metrics["holdout_payments"] == 2000 and metrics["accuracy"] >= 0.95
    assert metrics["accuracy"] >= baseline["rapidfuzz_wratio"] + 0.07
    assert metrics["false_resolutions"] <= 0.03 and metrics["backend_agreement"] >= 0.99
    assert version.card["encoder"]["min_cosine_vs_torch"] >= 0.999


def test_the_onnx_encoder_agrees_with_sentence_transformers(built: tuple[Lake, Settings]) -> None:
    from models.merchants.export import reference_embeddings

    registry = Registry(built[0])
    encoder = load_encoder(registry, registry.get("merchants"))
    texts = ["starbucks seattle", "the home depot", "wire to j alvarez", "x", "a long " * 40]
    cosines = (encoder.encode(texts) * reference_embeddings(texts)).sum(axis=1)
    assert cosines.min() >= 0.999


def test_the_encoder_is_exported_once_per_version_of_what_it_is_exported_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every merchant build (every FINTRA_HOME's) reads the ONNX export the first one left in the user's cache;
    a damaged one is exported again."""
    from models.merchants import export

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the user's own cache is left alone
    exports: list[int] = []
    real = export.export_encoder
    monkeypatch.setattr(export, "export_encoder", lambda: exports.append(1) or real())  # counts, exports for real
    first = export.encoder_files()
    [stamp] = (tmp_path / "cache" / "fintra" / "encoder").glob("*/export.sha256")
    assert export.encoder_files() == first and len(exports) == 1
    assert stamp.read_text().split()[0] == export.export_fingerprint() and len(first[0]) > 10_000_000
    model = stamp.with_name("encoder.onnx")
    model.write_bytes(model.read_bytes()[:1000])  # a file cut short (a full disk, a copy stopped half-way)
    assert export.encoder_files() == first and len(exports) == 2 and model.read_bytes() == first[0]


def test_encoders_of_one_model_share_what_they_encoded(built: tuple[Lake, Settings]) -> None:
    registry = Registry(built[0])
    first, second = (load_encoder(registry, registry.get("merchants")) for _ in range(2))
    texts = ["sq *memo cafe 0412", "wire to memo test", "sq *memo cafe 0412", "memo test brand"]
    encoded = first.encode(texts)
    assert np.array_equal(encoded[0], encoded[2])
    # the second encoder (same model) answers from what the first encoded, in its caller's order
    assert second.memo is first.memo and set(texts) <= first.memo.vectors.keys()
    assert np.array_equal(second.encode(texts[::-1]), encoded[::-1])
    # and the remembered vectors are the model's own
    fresh = first._run(sorted(set(texts)), 64)
    remembered = first.encode(sorted(set(texts)))
    assert np.allclose(remembered, fresh, atol=1e-6)
    # a text that does not fit in the memo any more is encoded again, the same
    memo_size, encoder_module.MEMO_SIZE = encoder_module.MEMO_SIZE, 1
    try:
        again = first.encode(["memo overflow one", "memo overflow two"])
        assert len(first.memo.vectors) == 1 and again.shape == (2, 384)
        assert np.allclose(first.encode(["memo overflow one"])[0], again[0], atol=1e-6)
    finally:
        encoder_module.MEMO_SIZE = memo_size


def test_resolve_answers_with_the_merchant_or_unknown(compliance_db: str, built: tuple[Lake, Settings]) -> None:
    registry = Registry(built[0])
    version = registry.get("merchants")
    with psycopg.connect(compliance_db) as conn:
        descriptor, merchant_id, name = conn.execute(
            "SELECT p.descriptor, p.merchant_id, m.name FROM sim.card_payments AS p JOIN sim.merchants AS m"
            " USING (merchant_id) WHERE m.name = 'Starbucks' LIMIT 1"
        ).fetchone()
    with closing(vectors.open_qdrant(built[1])) as client:
        resolver = load_resolver(registry, version, client)
    found = resolver.resolve(descriptor)
    assert (found.status, found.merchant_id, found.name, found.mcc) == ("resolved", merchant_id, name, 5814)
    assert 0.5 <= found.confidence <= 1.0 and found.category and found.matched
    for text in ("PAYROLL ACME CORP PAYROLL", "ATM WITHDRAWAL ATM4821 DENVER", "WIRE TO J. ALVAREZ 412"):
        assert resolver.resolve(text).status == "unknown"
    # A delivery platform is the merchant of record; the restaurant inside is `via`.
    delivered = resolver.resolve("DD *DOORDASH CHIPOTLE 855-431-0459 CA")
    assert (delivered.name, delivered.via, delivered.phone) == ("DoorDash", "CHIPOTLE", "855-431-0459")
    # The same aliases and vectors read back from pgvector resolve the same way.
    from_pg = MerchantResolver(resolver.encoder, Matcher(*vectors.load_pgvector(compliance_db, version.version)),
                               resolver.reranker, resolver.threshold)  # fmt: skip
    assert from_pg.resolve(descriptor).merchant_id == merchant_id


# Real-world forms of brands in the catalogue, as processors print them. Written from public statements, not
# from the generator; they guard the parser, the aliases and the reranker together.
REAL_WORLD = [
    ("WM SUPERCENTER #1234 BENTONVILLE AR", "Walmart"),
    ("WAL-MART #3348 DALLAS TX", "Walmart"),
    ("WHOLEFDS MKT 10234 AUSTIN TX", "Whole Foods Market"),
    ("MSFT *E0300ABCDE MSBILL.INFO WA", "Microsoft"),
    ("AMERICAN AIR0012345678901 FORT WORTH TX", "American Airlines"),
    ("SOUTHWES    5262123456789 800-435-9792 TX", "Southwest Airlines"),
    ("DD *DOORDASH CHIPOTLE 855-431-0459 CA", "DoorDash"),
    ("APPLE.COM/BILL 866-712-7753 CA", "Apple"),
    ("M&S SIMPLY FOOD - LONDON", "Marks & Spencer Food"),
    ("B&M 412 LIVERPOOL", "B&M Bargains"),
    ("NETFLIX.COM LOS GATOS CA", "Netflix"),
    ("SQ *BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"),
    ("TST* SHAKE SHACK 1234 NEW YORK NY", "Shake Shack"),
    ("CHECKCARD 1203 STARBUCKS #12345 SEATTLE WA", "Starbucks"),
    ("STARBUCKS SEATTLE", "Starbucks"),  # a city, no state: the name without it matches
    ("MCDONALD'S F12345 CHICAGO IL", "McDonald's"),
    ("COSTCO WHSE #0123 ISSAQUAH WA", "Costco"),
    ("TARGET        00012345 MINNEAPOLIS MN", "Target"),
    ("SAINSBURYS S/MKTS LONDON", "Sainsbury's"),
    ("TESCO STORES 3124 LONDON GBR", "Tesco"),
    ("UBER *TRIP HELP.UBER.COM CA", "Uber"),
    ("SPOTIFY USA 877-778-1161 NY", "Spotify"),
    ("AMZN Mktp US*2K3L45 Amzn.com/bill WA", "Amazon"),
    ("GOOGLE *YouTube g.co/helppay#", "YouTube Premium"),
    ("PRET A MANGER LONDON GBR", "Pret A Manger"),
    ("THE HOME DEPOT #0604 ATLANTA GA", "The Home Depot"),
]


def test_real_world_descriptors_resolve(built: tuple[Lake, Settings]) -> None:
    registry = Registry(built[0])
    with closing(vectors.open_qdrant(built[1])) as client:
        resolver = load_resolver(registry, registry.get("merchants"), client)
    answers = resolver.resolve_many([d for d, _ in REAL_WORLD])
    wrong = [(d, a.name, a.confidence) for (d, truth), a in zip(REAL_WORLD, answers, strict=True) if a.name != truth]
    assert len(wrong) <= 2, wrong


def test_brands_not_in_the_catalogue_are_unknown(built: tuple[Lake, Settings]) -> None:
    registry = Registry(built[0])
    with closing(vectors.open_qdrant(built[1])) as client:
        resolver = load_resolver(registry, registry.get("merchants"), client)
    unseen = [
        "SQ *MARIAS TAQUERIA #2 SAN JOSE CA", "KWIK FILL 0421 ERIE PA", "TST* THE GOLDEN SPOON BOISE ID",
        "PAYPAL *HANDMADEBYLUCY", "BOBS BIKE SHOP PORTLAND OR", "SUMUP *BLUE DOOR BAKERY LEEDS",
        "ZTL*CAFE LUMEN BERLIN", "NORTHSIDE DENTAL 555-201-3344 MN", "GREENLEAF GARDEN CTR 88 AMES IA",
    ]  # fmt: skip
    answers = resolver.resolve_many(unseen)
    resolved = [(d, a.name) for d, a in zip(unseen, answers, strict=True) if a.status == "resolved"]
    assert len(resolved) <= 1, resolved


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
