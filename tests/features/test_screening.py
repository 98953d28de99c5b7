"""Name screening against the fictional watch list: listed spellings, unseen variants, ordinary names,
normalisation and bad input.

The hand-written variants are in two sets, written together before any scoring constant was set:
`TUNING_VARIANTS` were looked at while tuning; `HELD_OUT_VARIANTS` were not, and were not changed after.
None of them is a spelling the CSV lists. Both must reach 90% recall at `DEFAULT_THRESHOLD`.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from importlib.resources import files
from pathlib import Path

import pytest

from features.names import TokenKind, name_forms, normalise, skeleton, tokenise
from features.screening import (
    DEFAULT_THRESHOLD,
    STRONG_THRESHOLD,
    EntityType,
    Match,
    Screener,
    WatchListError,
    load_watchlist,
    watchlist_from_rows,
)
from ledger.simulator.vocabulary import EMPLOYERS, FIRST_NAMES, LANDLORDS, LAST_NAMES, TRADING_PARTNERS

TUNING_VARIANTS: dict[str, list[str]] = {
    "WL001": [
        "Драгомир Петренко",
        "PETRENKO, Dragomir",
        "Dragomir Petrenkko",
        "Dragomir V. Petrenko",
        "Dragomir Petrneko",
    ],
    "WL002": ["Karvonen Maritime Holding", "KARVONEN MARITIME HOLDINGS LIMITED", "Karvonen Maritme Holdings"],
    "WL003": ["يوسف المرزاني", "Youssef El Marzani", "Yusuf Al Marzani", "AL-MARZANI, Yusuf"],
    "WL004": [
        "Silver Line Commodities FZE",
        "Silverline Commodities",
        "SILVERLINE COMMODITIES F.Z.E.",
        "Silfarlain Kumuditiz",  # heard through a script without v, plural kept
    ],
    "WL005": ["Ortega Vance Trading S.A.", "OrtegaVance Trading", "Vance Ortega Trading SA"],
    "WL006": ["Михаил Жданович", "Mikhail Jdanovich", "Zhdanovich Mikhail"],
    "WL007": ["Blue-Lantern Exchange", "Blue Lantern Exchange Ltd", "Bleu Lantern Exchange"],
    "WL008": ["فريد قاسمي", "Fareed Kasemi", "QASEMI, Farid"],
    "WL009": ["Novaterra Shipping Company Limited", "Nova-Terra Shipping Co.", "Novaterra Shiping Co"],
    "WL010": ["Lucía Benedetti Ramos", "BENEDETTI-RAMOS, Lucia", "lucia benedetti-ramos"],
    "WL011": ["Goldcrest Precious Metals Ltd", "Gold-Crest Precious Metals", "Goldcrest Precious Metal LLC"],
    "WL012": ["Анатолий Воскресенский", "Anatoliy Voskresenskiy", "VOSKRESENSKY Anatoly"],
}

# Held out: written before tuning, not looked at while tuning, not changed afterwards.
HELD_OUT_VARIANTS: dict[str, list[str]] = {
    "WL001": [
        "Петренко Драгомир",
        "DRAGOMIR PETRENKO",
        "Dragomir Petrenk",
        "Dragomyr Petrenko",
        "Dragomir Ivanovich Petrenko",
    ],
    "WL002": ["Karvonen Maritime Holdings Ltd.", "Karvonnen Maritime Holdings", "Карвонен Маритайм Холдингс"],
    "WL003": ["Youssef El-Marzani", "Yousuf Almarzani", "Yusif al-Marzani", "Yusuf Al-Marzany", "Юсуф аль-Марзани"],
    "WL004": ["Silverline Comodities FZE", "Silverline Commodities FZCO", "Silverline Commodites LLC"],
    "WL005": ["Ortega Vanse Trading SA", "ORTEGA-VANCE TRADING", "Ortega-Vance Trading Company"],
    "WL006": ["Mikhail Zhdanovitch", "Mihail Zhdanovich", "Міхаіл Ждановіч"],
    "WL007": ["Blue Lanterns Exchange", "Blue Lantern Exchange Co.", "The Blue Lantern Exchange"],
    "WL008": ["Farid Kasimi", "Faried Qasemi", "فرید قاسمی"],
    "WL009": ["NovaTerra Shipping Corp", "Novaterra Shipping Ltd", "Novatera Shipping Co"],
    "WL010": ["Lucia Benedetti Rammos", "Lucia Beneditti-Ramos", "Lusia Benedetti Ramos"],
    "WL011": ["GOLDCREST PRECIOUS METALS L.L.C.", "Goldcrest Presious Metals LLC", "Goldcrest Precious Metals Inc"],
    "WL012": ["Anatolij Woskresenskij", "Anatoly Voskresenskii", "Anatoly Voskresensky Jr"],
}

# Ordinary names that share a word, a sound or a script with a listed name and must not alert.
NEAR_MISSES = [
    "Maria Petrenko", "Olena Petrenko", "Ivan Petrenko", "Dragomir Ivanov", "Dragomir Kovac",
    "Blue Harbor Exchange", "Blue Lantern Cafe", "Silverline Bakery", "Silver Line Taxis",
    "Gold Crest Dental LLC", "Goldcrest Dental", "Nova Terra Realty", "Novaterra Realty",
    "Yusuf Khan", "Yusuf Ali", "Ahmed Al-Marzouqi", "Farid Hassan", "Reza Qasemi",
    "Mikhail Ivanov", "Anatoly Petrov", "Sergei Voskresensky", "Lucia Fernandez", "Maria Benedetti",
    "Karvonen Consulting Oy", "Baltic Maritime Holdings", "Ortega Construction SA", "Vance Trading LLC",
    "Precious Metals Trading LLC", "Marzani Pizza", "Petrenko Law Office", "Ramos Benedetti Carla",
    "Мария Петрова", "Иван Смирнов", "محمد علي", "أحمد حسن", "فاطمة الزهراء", "Γιώργος Παπαδόπουλος",
    "王伟", "김민준", "Michael Danovich", "Anatole Voss", "Farida Kassem",
]  # fmt: skip


def _merchant_names() -> list[str]:
    text = files("ledger.simulator").joinpath("data/merchants.csv").read_text(encoding="utf-8")
    return [row["name"] for row in csv.DictReader(text.splitlines())]


def _ordinary_names() -> list[str]:
    """Every 5th first x last name of the simulator, its employers, landlords, partners and merchants."""
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES][::5]
    return [*people, *EMPLOYERS, *LANDLORDS, *TRADING_PARTNERS, *_merchant_names()]


NEGATIVES = [*_ordinary_names(), *NEAR_MISSES]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(load_watchlist())


def _score(screener: Screener, name: str, entity_id: str) -> float:
    return max((m.score for m in screener.screen(name, threshold=0.0) if m.entity_id == entity_id), default=0.0)


def _recall(screener: Screener, variants: dict[str, list[str]]) -> tuple[float, list[str]]:
    missed = [
        f"{entity_id} {name!r}: {_score(screener, name, entity_id):.3f}"
        for entity_id, names in variants.items()
        for name in names
        if _score(screener, name, entity_id) < DEFAULT_THRESHOLD
    ]
    total = sum(len(names) for names in variants.values())
    return 1 - len(missed) / total, missed


# Listed spellings ----------------------------------------------------------------------------------


def test_every_listed_name_and_alias_is_a_strong_match_for_its_entity(screener: Screener) -> None:
    for entry in screener.entries:
        for spelling in (entry.name, *entry.aliases):
            best = screener.screen(spelling)[0]
            assert (best.entity_id, best.score >= STRONG_THRESHOLD) == (entry.entity_id, True), (spelling, best)


def test_a_match_reports_the_listed_spelling_program_and_basis(screener: Screener) -> None:
    [match] = screener.screen("PETRENKO, Dragomir")
    assert match == Match("WL001", "Dragomir Petrenko", "FICTIONAL-SDN", 1.0, match.basis)
    assert match.basis == "token Jaro-Winkler 1.00 (word order)"
    [match] = screener.screen("Михаил Жданович")
    assert (match.entity_id, match.listed_name) == ("WL006", "Mikhail Zhdanovich")
    assert match.basis == "exact after normalisation and transliteration"


# Unseen variants -----------------------------------------------------------------------------------


def test_variants_are_not_spellings_the_list_carries(screener: Screener) -> None:
    listed = {spelling for e in screener.entries for spelling in (e.name, *e.aliases)}
    variants = [n for sets in (TUNING_VARIANTS, HELD_OUT_VARIANTS) for names in sets.values() for n in names]
    assert not listed.intersection(variants)
    assert len({*TUNING_VARIANTS, *HELD_OUT_VARIANTS}) >= 10


def test_a_plural_trade_word_heard_through_another_script_matches_its_listed_singular(screener: Screener) -> None:
    # "Commodities" is listed folded to "commodity"; a romanisation keeps the plural it heard
    (match,) = screener.screen("Silfarlain Kumuditiz")
    assert match.entity_id == "WL004" and DEFAULT_THRESHOLD <= match.score < STRONG_THRESHOLD
    assert match.basis.endswith("(phonetic key)")
    # the trade word alone is not the name
    assert screener.screen("Kumuditiz Trading") == []
    # a listed trade word too short for a key ("food", FT) matches no name word by that rule ("Ali")
    row = {"entity_id": "X9", "name": "Golden Food Traders", "entity_type": "ENTITY", "program": "P",
           "country": "", "aliases": ""}  # fmt: skip
    assert Screener(watchlist_from_rows([row])).screen("Golden Ali Traders") == []


def test_recall_on_tuning_variants(screener: Screener) -> None:
    recall, missed = _recall(screener, TUNING_VARIANTS)
    assert recall >= 0.9, f"recall {recall:.1%}, missed: {missed}"


def test_recall_on_held_out_variants(screener: Screener) -> None:
    recall, missed = _recall(screener, HELD_OUT_VARIANTS)
    assert recall >= 0.9, f"recall {recall:.1%}, missed: {missed}"


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("D. Petrenko", "WL001"),  # an alias, and also an initial for "Dragomir"
        ("Dragomir P.", "WL001"),
        ("Petrenko Dragomir", "WL001"),
        ("dragomirpetrenko", "WL001"),
        ("BlueLantern Exchange", "WL007"),
        ("Blue Lan tern Exchange", "WL007"),
        ("Yusuf Marzani", "WL003"),
        ("Sheikh Yusuf bin Ahmed Al Marzani", "WL003"),
        ("Novaterra", "WL009"),  # the distinctive word alone, the trade word missing
    ],
)
def test_forms_that_alert(screener: Screener, query: str, entity_id: str) -> None:
    assert _score(screener, query, entity_id) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Dragomir P.", "WL001"),  # an initial is not the name
        ("Drago Petrenko", "WL001"),  # a shortened given name: review, not block
        ("Blue Lantern", "WL007"),  # a listed word missing
        ("يوسف المرزاني", "WL003"),  # Arabic script is compared by consonants only
    ],
)
def test_partial_evidence_alerts_below_strong(screener: Screener, query: str, entity_id: str) -> None:
    assert DEFAULT_THRESHOLD <= _score(screener, query, entity_id) < STRONG_THRESHOLD


def test_one_word_of_a_two_word_individual_does_not_alert(screener: Screener) -> None:
    individuals = [e for e in screener.entries if e.entity_type is EntityType.INDIVIDUAL]
    for entry in individuals:
        for word in entry.name.replace("-", " ").split():
            assert _score(screener, word, entry.entity_id) < DEFAULT_THRESHOLD, word
    assert _score(screener, "Daniel Petrenko", "WL001") < DEFAULT_THRESHOLD  # "D. Petrenko" is an alias


# Ordinary names ------------------------------------------------------------------------------------


def test_false_positive_rate_on_ordinary_names(screener: Screener) -> None:
    assert len(NEGATIVES) >= 300
    hits = {name: matches for name, matches in screener.screen_many(NEGATIVES).items() if matches}
    offenders = [f"{name!r} -> {m[0].listed_name!r} {m[0].score:.3f}" for name, m in hits.items()]
    assert len(hits) / len(NEGATIVES) <= 0.01, f"{len(hits)} of {len(NEGATIVES)}: {offenders}"
    near = [name for name in NEAR_MISSES if name in hits]
    assert len(near) / len(NEAR_MISSES) <= 0.05, f"near misses that alert: {offenders}"


def test_screen_time_per_name(screener: Screener, capsys: pytest.CaptureFixture[str]) -> None:
    """Reports (does not assert) the online cost: mean and p99 of `screen` over negatives and variants."""
    names = [*NEGATIVES, *(n for s in (TUNING_VARIANTS, HELD_OUT_VARIANTS) for v in s.values() for n in v)]
    timings = []
    for name in names:
        start = time.perf_counter()
        screener.screen(name)
        timings.append(time.perf_counter() - start)
    timings.sort()
    mean, p99 = sum(timings) / len(timings), timings[int(len(timings) * 0.99)]
    with capsys.disabled():
        sys.stdout.write(f"\nscreen(): {len(names)} names, mean {mean * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us\n")
    assert len(timings) == len(names)


# Normalisation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Драгомир Петренко", "dragomir petrenko"),
        ("Міхаіл Ждановіч", "mikhail zhdanovich"),
        ("Γιώργος", "giorgos"),
        ("Lucía Benedetti-Ramos", "lucia benedetti ramos"),
        ("Ｐｅｔｒｅｎｋｏ", "petrenko"),
        ("王伟", "wang wei"),
        ("OrtegaVance Trading S.A.", "ortega vance trading"),
        ("PETRENKO, DRAGOMIR", "petrenko dragomir"),
        ("O'Brien", "obrien"),
    ],
)
def test_normalise_transliterates_folds_case_and_splits(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_arabic_article_spellings_compare_equal() -> None:
    assert {normalise(n) for n in ("Yusuf Al-Marzani", "Yusuf Al Marzani", "Yusuf El Marzani", "yusuf ul marzani")} == {
        "yusuf almarzani"
    }
    joined, spaced = tokenise("Almarzani")[0], tokenise("El-Marzani")[0]
    assert (joined.core, spaced.core, joined.has_particle, spaced.has_particle) == ("marzani", "marzani", True, True)
    arabic = tokenise("يوسف المرزاني")
    assert [t.vowelless for t in arabic] == [True, True]
    assert [t.skeleton for t in arabic] == [t.skeleton for t in tokenise("Yusuf Al-Marzani")] == ["ysf", "mrsn"]
    assert normalise("Abd al Rahman") == "abdalrahman"


def test_connectors_honorifics_and_generational_suffixes_are_dropped() -> None:
    assert normalise("Sheikh Yusuf bin Ahmed Al Marzani") == "yusuf ahmed almarzani"
    assert normalise("Dr. Lucia Benedetti y Ramos") == "lucia benedetti ramos"
    assert normalise("Anatoly Voskresensky Jr.") == "anatoly voskresensky"
    assert normalise("Ben Smith") == "ben smith"  # a connector only between two words
    assert normalise("County General Hospital") == "county general hospital"  # titles only lead


def test_company_words_legal_forms_dropped_generic_words_kept_light() -> None:
    assert normalise("Karvonen Maritime Holdings Ltd.") == normalise("Karvonen Marine Holding Limited")
    assert normalise("Silverline Commodities F.Z.E.") == normalise("Silverline Commodity FZE") == "silverline commodity"
    assert normalise("Novaterra Shipping Company") == normalise("Novaterra Shipping Co.") == "novaterra shipping"
    assert normalise("Co-op Food") == "co op food"  # a legal-form word that opens the name is the name
    kinds = {t.text: (t.kind, t.weight) for t in tokenise("Blue Lantern Exchange Holdings")}
    assert kinds == {
        "blue": (TokenKind.NAME, 1.0),
        "lantern": (TokenKind.NAME, 1.0),
        "exchange": (TokenKind.BUSINESS, 0.6),
        "holding": (TokenKind.STRUCTURE, 0.3),
    }


def test_initials_are_kept_as_initials() -> None:
    assert [(t.text, t.kind) for t in tokenise("D. Petrenko")] == [
        ("d", TokenKind.INITIAL),
        ("petrenko", TokenKind.NAME),
    ]
    assert normalise("D.Petrenko") == "d petrenko"
    assert normalise("Dragomir V. Petrenko") == "dragomir v petrenko"


def test_phonetic_keys_fold_romanisation_variants() -> None:
    assert skeleton("yusuf") == skeleton("youssef") == skeleton("ywsf") == "ysf"
    assert skeleton("qasemi") == skeleton("kasemi") == skeleton("qsmy") == "ksm"
    assert skeleton("zhdanovich") == skeleton("jdanovich")
    assert skeleton("voskresenskij") == skeleton("woskresensky")
    assert tokenise("Petrenco")[0].metaphone == tokenise("Petrenko")[0].metaphone


def test_name_forms_gives_every_compared_form() -> None:
    forms = name_forms("Blue-Lantern  EXCHANGE ltd")
    assert (forms.normalised, forms.compact, forms.sorted_compact) == (
        "blue lantern exchange",
        "bluelanternexchange",
        "blueexchangelantern",
    )
    assert not forms.transliterated
    assert name_forms("Драгомир").transliterated


# Bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["", "   ", "\t\n", "\x00\x07\x1b\x7f", "\u200b\u200e\ufeff", "---", "...", "🙂🙂", "Mr", "Ltd"]
)
def test_empty_or_meaningless_input_matches_nothing(screener: Screener, name: str) -> None:
    assert screener.screen(name) == []


def test_control_characters_inside_a_name_are_separators(screener: Screener) -> None:
    assert screener.screen("Dragomir\x00Petrenko")[0].entity_id == "WL001"


def test_very_long_input_returns_quickly(screener: Screener) -> None:
    rng = random.Random(7)
    inputs = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(10_000)),
        "Dragomir Petrenko " * 556,
        "x" * 10_000,
        "Драгомир-" * 1_100,
    ]
    for text in inputs:
        start = time.perf_counter()
        result = screener.screen(text)
        assert isinstance(result, list)
        assert time.perf_counter() - start < 1.0


# API -----------------------------------------------------------------------------------------------


def test_results_are_sorted_deterministic_and_filtered_by_threshold(screener: Screener) -> None:
    everything = screener.screen("Dragomir Petrenko Karvonen", threshold=0.0)
    assert [m.score for m in everything] == sorted((m.score for m in everything), reverse=True)
    assert all(0.0 < m.score <= 1.0 for m in everything)
    assert everything == Screener(reversed(screener.entries)).screen("Dragomir Petrenko Karvonen", threshold=0.0)
    assert all(m.score >= 0.9 for m in screener.screen("Dragomir Petrenko Karvonen", threshold=0.9))


def test_screen_many_screens_each_name_once(screener: Screener) -> None:
    results = screener.screen_many(["Blue Lantern Exchange", "Walmart", "Blue Lantern Exchange", ""])
    assert list(results) == ["Blue Lantern Exchange", "Walmart", ""]
    assert [m.entity_id for m in results["Blue Lantern Exchange"]] == ["WL007"]
    assert results["Walmart"] == results[""] == []


def test_load_watchlist_from_another_path_and_from_rows(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "entity_id,name,entity_type,program,country,aliases\n"
        "X1,Ivan Grozny,INDIVIDUAL,TEST,RU,Ivan the Terrible|I. Grozny\n"
        "X2,Acme Widgets GmbH,ENTITY,TEST,DE,\n",
        encoding="utf-8",
    )
    entries = load_watchlist(path)
    assert [(e.entity_id, e.entity_type, e.aliases) for e in entries] == [
        ("X1", EntityType.INDIVIDUAL, ("Ivan the Terrible", "I. Grozny")),
        ("X2", EntityType.ENTITY, ()),
    ]
    assert Screener(entries).screen("Иван Грозный")[0].entity_id == "X1"
    rows = [
        {"entity_id": "X3", "name": "Foo Bar", "entity_type": "entity", "program": "P", "country": "", "aliases": ""}
    ]
    assert watchlist_from_rows(rows)[0].entity_type is EntityType.ENTITY
    assert len(load_watchlist()) == 12


@pytest.mark.parametrize(
    "row",
    [
        {"entity_id": "X", "name": "", "entity_type": "ENTITY", "program": "", "country": "", "aliases": ""},
        {"entity_id": "X", "name": "A", "entity_type": "VESSEL", "program": "", "country": "", "aliases": ""},
        {"entity_id": "X", "name": "A", "entity_type": "ENTITY"},
    ],
)
def test_malformed_watch_list_rows_are_rejected(row: dict[str, str]) -> None:
    with pytest.raises(WatchListError) as error:
        watchlist_from_rows([row])
    assert error.value.code == "watchlist_invalid"


# A list written apart from the simulator's: Arabic and Russian spellings the list does not carry.
_OTHER_LIST = watchlist_from_rows(
    [
        {
            "entity_id": "X1",
            "name": "Ahmed Ibrahim Othman",
            "entity_type": "INDIVIDUAL",
            "program": "P",
            "country": "SD",
            "aliases": "",
        },
        {
            "entity_id": "X2",
            "name": "Al Fajr Trading Company",
            "entity_type": "ENTITY",
            "program": "P",
            "country": "AE",
            "aliases": "",
        },
        {
            "entity_id": "X3",
            "name": "Romashka LLC",
            "entity_type": "ENTITY",
            "program": "P",
            "country": "RU",
            "aliases": "",
        },
        {
            "entity_id": "X4",
            "name": "Vostok Neftegaz Shipping",
            "entity_type": "ENTITY",
            "program": "P",
            "country": "RU",
            "aliases": "",
        },
        {
            "entity_id": "X5",
            "name": "Omar Yousef Haddad",
            "entity_type": "INDIVIDUAL",
            "program": "P",
            "country": "LB",
            "aliases": "",
        },
    ]
)


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("أحمد إبراهيم عثمان", "X1"),  # names that start with alif/hamza in Arabic script
        ("عمر يوسف حداد", "X5"),  # ayn
        ("شركة الفجر للتجارة", "X2"),  # "company Al-Fajr for trading"
        ("Sharikat Al-Fajr lil-Tijara", "X2"),  # its romanisation
        ("ООО Ромашка", "X3"),  # Russian legal form first
        ("Восток Нефтегаз Судоходная", "X4"),  # a Russian trade word
        ("فوستوك نفتغاز للشحن", "X4"),  # Arabic script has no v or p: written f and b
        ("Wostock Neftegas Shipping", "X4"),  # vowels and c/k differ: found through the sound of the words
    ],
)
def test_spellings_in_other_languages_alert_for_review(query: str, entity_id: str) -> None:
    matches = Screener(_OTHER_LIST).screen(query)
    assert matches and matches[0].entity_id == entity_id, (query, matches)
    if any("\u0600" <= ch <= "\u06ff" for ch in query):
        assert matches[0].score < STRONG_THRESHOLD  # compared by consonants: review, never a block


@pytest.mark.parametrize(
    "query",
    ["Ahmed Hassan Othman", "شركة النور للتجارة", "Al Fajr Bakery", "ООО Василёк", "Omar Haddad Trading"],
)
def test_other_names_in_those_languages_stay_quiet(query: str) -> None:
    assert Screener(_OTHER_LIST).screen(query) == [], query


# Names spelt in Hangul, kana or Chinese characters: a foreign name written by its sounds ("Dragomir" is
# 드라고미르, deu-ra-go-mi-reu), written here from each language's usual transcription, not from the list.
@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("드라고미르 페트렌코", "WL001"),  # Korean
        ("德拉戈米尔·彼得连科", "WL001"),  # Chinese: l for r, b and d for p and t
        ("ドラゴミル・ペトレンコ", "WL001"),  # Japanese
        ("유수프 알마르자니", "WL003"),  # Korean has no z or f: j and p
        ("미하일 즈다노비치", "WL006"),  # nor v: b
        ("블루 랜턴 익스체인지", "WL007"),  # an English name's r left unsaid, "eu" between consonants
        ("ブルー・ランタン・エクスチェンジ", "WL007"),
        ("아나톨리 보스크레센스키", "WL012"),
        ("阿纳托利·沃斯克列先斯基", "WL012"),
        ("파리드 카세미", "WL008"),
        ("오르테가반스 트레이딩", "WL005"),  # a double-barrelled name written as one word
    ],
)
def test_names_transcribed_in_syllabic_scripts_alert_for_review(screener: Screener, query: str, entity_id: str) -> None:
    matches = screener.screen(query)
    assert matches and matches[0].entity_id == entity_id, (query, matches)
    assert matches[0].score < STRONG_THRESHOLD, matches  # compared by consonants: review, never a block
    assert "transcription" in matches[0].basis


def test_a_korean_name_in_hangul_matches_its_listed_romanisation() -> None:
    listed = Screener(
        watchlist_from_rows(
            [
                {
                    "entity_id": "K1",
                    "name": "Kim Jong Il",
                    "entity_type": "INDIVIDUAL",
                    "program": "P",
                    "country": "KP",
                    "aliases": "",
                },
                {
                    "entity_id": "K2",
                    "name": "Choe Song Chol",
                    "entity_type": "INDIVIDUAL",
                    "program": "P",
                    "country": "KP",
                    "aliases": "",
                },
            ]
        )
    )
    # Hangul ㄱ is romanised g or k, ㅓ eo or o: 김정일 is "Gim Jeong Il" to anyascii
    assert [m.entity_id for m in listed.screen("김정일")] == ["K1"]
    assert [m.entity_id for m in listed.screen("최성철")] == ["K2"]
    assert listed.screen("김민준") == listed.screen("최수아") == []


# Ordinary names in those scripts: common Korean, Chinese and Japanese names, and ordinary Western names and
# companies as each language writes them, near the listed ones in sound ("Blue Harbor Exchange", "Dmitri
# Petrov", "Silver Line Taxi").
SYLLABIC_ORDINARY = (
    "김민준 이서연 박지훈 최수아 정우진 강하늘 조민서 윤서준 장예은 임도윤 한지민 오세훈 권나래 황민호 송지아 "
    "王伟 李娜 张敏 刘洋 陈静 杨帆 赵磊 黄婷 周杰 吴刚 徐丽 孙浩 马超 郭强 高峰 林峰 罗斌 萧敬腾 "
    "佐藤健 鈴木一郎 高橋陽子 田中実 渡辺直美 伊藤博文 山本耕史 小林聡美 吉田羊 松本潤 木村拓哉 "
    "존·스미스 마리아·가르시아 데이비드·존슨 마이클·브라운 엘리자베스·윌슨 토마스·앤더슨 드미트리·페트로프 "
    "페트로·드라고비치 ジョン・スミス マリア・ガルシア ドミトリー・ペトロフ アンナ・イワノワ 约翰·史密斯 "
    "玛丽亚·加西亚 德米特里·彼得罗夫 安娜·伊万诺娃 弗拉基米尔·普京 穆罕默德·阿里 삼성전자 카카오뱅크 신한은행 "
    "블루·하버·익스체인지 골드·스타·트레이딩 노바·리얼티 실버·라인·택시"
)


def test_ordinary_names_in_syllabic_scripts_stay_quiet(screener: Screener) -> None:
    names = SYLLABIC_ORDINARY.split()
    assert len(names) == 69
    hits = {q: m for q in names if (m := screener.screen(q.replace("·", " ")))}
    assert hits == {}


def test_a_syllabic_word_is_also_read_whole() -> None:
    forms = name_forms("드라고미르 Petrenko")
    assert [(t.text, t.transcribed) for t in forms.tokens][:2] == [("deu", True), ("la", True)]
    assert [(t.text, t.transcribed) for t in forms.transcription] == [("deulagomileu", True), ("petrenko", False)]
    assert name_forms("Dragomir Petrenko").transcription == ()


def test_syllables_are_not_folded_like_whole_transcribed_words() -> None:
    """A syllable's romanisations differ only in voicing and l/r (김 Gim or Kim); the coarser fold for a foreign
    name spelt whole (v, f, z heard as b, p, j) would make 王伟 (Wang Wei) "Fang Bo" and 성 (Seong) 정 (Jeong)."""
    east_asian = Screener(
        watchlist_from_rows(
            [
                {
                    "entity_id": f"E{i}",
                    "name": name,
                    "entity_type": "INDIVIDUAL",
                    "program": "P",
                    "country": cc,
                    "aliases": "",
                }
                for i, (name, cc) in enumerate(
                    [("Fang Bo", "CN"), ("Peng Fei", "CN"), ("Qin Bo", "CN"), ("Jung Min Su", "KP")]
                )
            ]
        )
    )
    for ordinary in ("王伟", "陈伟", "王波", "성민수"):
        assert east_asian.screen(ordinary) == [], ordinary
    assert [m.entity_id for m in east_asian.screen("정민수")] == ["E3"]  # Jeong, Jung, Chung: one name


# German, Dutch, Nordic and Slavic Latin spellings write English y as j, at the start of a name too (when the rest
# of the two words is as alike as a spelling variant: "Jones" is no "Yunus").
_Y_LIST = watchlist_from_rows(
    [
        {
            "entity_id": "Y1",
            "name": "Yusuf Karimov",
            "entity_type": "INDIVIDUAL",
            "program": "P",
            "country": "UZ",
            "aliases": "",
        },
        {
            "entity_id": "Y2",
            "name": "Yevgeny Orlov",
            "entity_type": "INDIVIDUAL",
            "program": "P",
            "country": "RU",
            "aliases": "",
        },
    ]
)


@pytest.mark.parametrize(
    ("query", "entity_id"), [("Jusuf Karimov", "Y1"), ("Jusuf Karimow", "Y1"), ("Jevgenij Orlov", "Y2")]
)
def test_a_leading_j_is_read_as_y(query: str, entity_id: str) -> None:
    assert [m.entity_id for m in Screener(_Y_LIST).screen(query)] == [entity_id], query


# A foreign name spelt by its Korean sounds in Latin letters (Revised Romanisation, or McCune-Reischauer with its
# breves and apostrophes), written here from Hangul transcriptions, not from the list.
@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Deuragomireu Peteurenko", "WL001"),
        ("Yusupeu Almareujani", "WL003"),
        ("Mihail Jeudanobichi", "WL006"),
        ("Anatolli Boseukeuresenseuki", "WL012"),
        ("Tŭragomirŭ P'et'ŭrenk'o", "WL001"),
        ("Anat'olli Posŭk'ŭresensŭk'i", "WL012"),
    ],
)
def test_names_romanised_from_korean_alert_for_review(query: str, entity_id: str) -> None:
    assert [m.entity_id for m in Screener(load_watchlist()).screen(query)] == [entity_id], query


@pytest.mark.parametrize("query", ["Eugene Marzani", "Leon Petrenko", "Seoul Trading", "Reuben Ivanov"])
def test_western_names_with_korean_looking_words_stay_quiet(query: str) -> None:
    assert Screener(load_watchlist()).screen(query) == [], query


@pytest.mark.parametrize(("query", "listed"), [("Jones Ahmed", "Yunus Ahmed"), ("Jason Karimov", "Yasin Karimov")])
def test_a_leading_j_read_as_y_never_blocks(query: str, listed: str) -> None:
    screener = Screener(
        watchlist_from_rows(
            [
                {
                    "entity_id": "Z1",
                    "name": listed,
                    "entity_type": "INDIVIDUAL",
                    "program": "P",
                    "country": "XX",
                    "aliases": "",
                }
            ]
        )
    )
    assert [m.score for m in screener.screen(query) if m.score >= STRONG_THRESHOLD] == [], query


@pytest.mark.parametrize("query", ["Mateo Delacruz", "Mateo de la Cruz Abreu"])
def test_a_spanish_name_with_korean_looking_words_keeps_its_ordinary_reading(query: str) -> None:
    screener = Screener(
        watchlist_from_rows(
            [
                {
                    "entity_id": "Z2",
                    "name": "Mateo de la Cruz",
                    "entity_type": "INDIVIDUAL",
                    "program": "P",
                    "country": "XX",
                    "aliases": "",
                }
            ]
        )
    )
    assert [m.entity_id for m in screener.screen(query)] == ["Z2"], query


def test_a_long_korean_looking_word_is_read_in_linear_time() -> None:
    started = time.perf_counter()
    name_forms("Beullu " + "eo" * 200 + "x")
    name_forms("Leon " + "gan" * 200 + "x")
    assert time.perf_counter() - started < 1.0
