"""The PDF summary as a reader gets it: names in the scripts customers write them in print as written
(no glyph missing from the cut-down font), an alert longer than a page goes on over the next with
nothing cut, and the cut-down font is built once into the cache (the full font where none can be
written)."""

from __future__ import annotations

import io
import json
import logging
from datetime import date
from pathlib import Path

import pyarrow as pa
import pypdf
import pytest

from pipelines.reporting import fonts
from pipelines.reporting.catalog import REPORTS
from pipelines.reporting.pdf import _visual, summary_pdf

NAMES = [
    "Zoë Ørsted-Łukasiewicz",
    "Đặng Thị Hương",  # Vietnamese: Latin extended additional
    "Γιώργος Παπαδόπουλος",
    "Сергей Иванович Кузнецов",
    "Şükrü Çağlayan",
    "José Núñez № 5 — 1 000 € / £ / ₹",
]
JOURNALS = [str(80_000 + n) for n in range(400)]  # one per line: longer than a page


def _alert_table() -> pa.Table:
    evidence = {"senders": NAMES, "payments": 400, "note": "„quoted“ ‘text’ … ±5 ≤ 10 → done"}
    row = {
        "rule": "FAN_IN",
        "family": "network",
        "alert_id": "46a3bac462a87993bf31069aaeef1fc5",
        "customer_ref": "S1-C000198",
        "customers": ";".join(NAMES),
        "first_at": "2026-02-03T04:42:34Z",
        "last_at": "2026-02-04T01:51:34Z",
        "total_amount_usd": None,
        "account_codes": "S1-C000198-GBP",
        "journal_ids": ";".join(JOURNALS),
        "reference_ids": "ref:" + "x" * 300,  # a word wider than the column
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }
    return pa.Table.from_pylist([row])


def _manifest() -> dict[str, object]:
    return {
        "supersedes": None,
        "inputs": {"ledger_rows_through_day": {"ledger.entries": 12}, "max_event_seq_through_day": 3, "thresholds": {}},
        "code_version": {"git_commit": "0" * 40},
    }


def _printed(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fonts.font_path.cache_clear()
    yield tmp_path / "cache" / "fintra" / "fonts"
    fonts.font_path.cache_clear()


def test_names_print_as_written_and_a_long_alert_goes_over_pages(cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        data = summary_pdf(REPORTS["aml_alerts"], date(2026, 2, 4), 1, _alert_table(), _manifest())
    assert not [r for r in caplog.records if "missing" in r.getMessage().lower()], caplog.text
    assert sorted(p.name.split("-")[0] for p in cache.glob("*.ttf")) == ["DejaVuSans", "DejaVuSans"]
    pages, printed = _printed(data)
    assert pages >= 3
    flat = printed.replace("\n", "").replace(" ", "")
    for name in NAMES:
        assert name.replace(" ", "") in flat, name
    assert all(journal in printed.split() for journal in JOURNALS)  # every id, each whole
    assert "ref:" + "x" * 300 in flat
    assert "„quoted“‘text’…±5≤10→done" in flat


def test_without_a_writable_cache_the_full_font_prints_the_same(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fintra.settings import get_settings

    # neither the user's cache folder nor FINTRA_HOME/cache (where the cache falls back to) can be written
    for blocked in (cache.parent, tmp_path / "home" / "cache"):
        blocked.parent.mkdir(parents=True)
        blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("FINTRA_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    try:
        assert fonts.font_path("") == fonts._source_folder() / "DejaVuSans.ttf"
        assert fonts.font_path("B") == fonts._source_folder() / "DejaVuSans-Bold.ttf"
        data = summary_pdf(REPORTS["aml_alerts"], date(2026, 2, 4), 1, _alert_table(), _manifest())
    finally:
        get_settings.cache_clear()  # the next test's settings are read from its own environment
    flat = _printed(data)[1].replace("\n", "").replace(" ", "")
    assert all(name.replace(" ", "") in flat for name in NAMES)


def test_arabic_and_hebrew_names_print_right_to_left_with_arabic_letters_joined(cache: Path) -> None:
    """fpdf draws glyphs left to right as given: an Arabic name must reach it reversed and in its joined
    letter forms, or it prints as a row of separate letters backwards. The forms are written here by hand
    (isolated letters would be U+0627...; these are the initial, medial and final ones)."""
    # as drawn: the line's own direction kept (it starts in Latin), the Arabic word reversed and joined, the
    # number after it part of its run (the bidirectional algorithm: a browser shows it so too)
    assert _visual("Transfer to أحمد 1,250.00 USD") == "Transfer to 1,250.00 \ufeaa\ufee4\ufea3\ufe83 USD"
    assert _visual("דוד כהן") == "\u05df\u05d4\u05db \u05d3\u05d5\u05d3"
    assert _visual("Zoë Ørsted") == "Zoë Ørsted"
    table = _alert_table().set_column(4, "customers", pa.array(["أحمد الحسن;דוד כהן"]))
    printed = _printed(summary_pdf(REPORTS["aml_alerts"], date(2026, 2, 4), 1, table, _manifest()))[1]
    # read back by pypdf, which puts a right-to-left run back in reading order: joined forms, every glyph
    # in the font (a missing one would be dropped), words in order
    assert "\ufe83\ufea3\ufee4\ufeaa \ufe8d\ufedf\ufea4\ufeb4\ufee6" in printed  # أحمد الحسن
    assert "דוד כהן" in printed
