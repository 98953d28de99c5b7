"""Training and evaluation pairs for the reranker, split so the evaluation measures what it never saw.

Brands are split by a hash of their id: the reranker fits on one group, calibrates on a second, and is
evaluated on a third; a fourth group is left out of the index altogether (its descriptors must come back
`unknown`). Whole descriptor formats (`HELD_OUT_FORMATS`) appear only in the evaluation. A second
evaluation also removes the evaluation brands' known aliases from the index, so their abbreviations and
truncations must be recognised from the name alone."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils

from fintra.card_descriptors import DELIVERY_PLATFORMS, FORMATS, body, delivered, natural_format, render
from models.merchants.catalogue import CatalogueBrand, aliases_of
from models.merchants.descriptor import parse
from models.merchants.encoder import OnnxEncoder
from models.merchants.matching import Candidates, Matcher, alias_text
from models.merchants.rerank import IDENTITY, Calibration, Reranker, calibrate, fit

HELD_OUT_FORMATS = ("toast", "sumup", "ticket", "uk_card")
EATING_OUT = ("restaurant", "fast_food", "coffee")
PLACES = (
    ("CHICAGO", "IL"), ("DALLAS", "TX"), ("SEATTLE", "WA"), ("LONDON", "GBR"), ("MANCHESTER", "GB"),
    ("BERLIN", "DE"), ("PARIS", "FR"), ("MADRID", "ES"), ("DENVER", "CO"), ("BOSTON", "MA"), ("ATLANTA", "GA"),
    ("PHOENIX", "AZ"), ("LEEDS", "GB"), ("DUBLIN", "IE"), ("AMSTERDAM", "NL"), ("TAMPA", "FL"), ("RENO", "NV"),
    ("BOISE", "ID"), ("OMAHA", "NE"), ("TULSA", "OK"), ("SPRINGFIELD", "MO"), ("GLENDALE", "AZ"),
)  # fmt: skip
# Statement lines that are no card payment: nothing in the catalogue should claim them.
OTHER_TEXTS = (
    "ACH FROM {person}", "ZELLE TO {person}", "WIRE TO {person} {n}", "ONLINE TRANSFER TO SAV {n}",
    "ATM WITHDRAWAL {n} {city}", "PAYROLL {company} DIR DEP", "INTEREST PAYMENT", "MONTHLY SERVICE FEE",
    "VENMO PAYMENT {n}", "CHECK {n}", "MOBILE DEPOSIT", "TRANSFER FROM {person}", "{company} PPD ID {n}",
    "OVERDRAFT FEE", "FOREIGN TRANSACTION FEE", "RENT {person}", "BILL PAY {company}",
)  # fmt: skip
# Decoys: names one step from a catalogue brand that are another business (`APPLEGREEN` is no Apple,
# `COSTA COFFEE` no `Coffee #1`, `BURGER PALACE` no Burger King); they teach the reranker to say unknown.
_GLUED = ("GREEN", "LAND", "TON", "IFY", "ERS", "ICO", "LY", "WAY", "HUB", "WORKS", "ZONE", "TECH", "ITA")
_LEADING = ("COSTA", "ROYAL", "GOLDEN", "URBAN", "BLUE", "NORTH", "CITY", "LITTLE", "BIG", "SUNNY", "OLD", "NEW")
_SECOND = ("PALACE", "CORNER", "BROTHERS", "STUDIO", "HOUSE", "GARDEN", "LOUNGE", "DEPOT", "OUTLET", "SUPPLY")
_PEOPLE = ("J SMITH", "MARIA GARCIA", "AHMED KHAN", "LI WEI", "SARAH O'NEILL", "TOM BAKER", "ANNA MULLER")
_COMPANIES = ("ACME CORP", "GLOBEX INC", "INITECH LLC", "NORTHWIND TRADERS", "CONTOSO LTD", "BLUE RIDGE CAPITAL")


@dataclass(frozen=True, slots=True)
class Example:
    descriptor: str
    merchant_id: str | None  # None: nothing in the index is right
    fmt: str


def brand_group(merchant_id: str) -> str:
    """fit, calibrate, evaluate, or absent_fit / absent_calibrate / absent_evaluate (left out of the index)."""
    bucket = int(hashlib.sha256(merchant_id.encode()).hexdigest(), 16) % 20
    if bucket < 8:
        return "fit"
    if bucket < 12:
        return "calibrate"
    if bucket < 17:
        return "evaluate"
    return ("absent_fit", "absent_calibrate", "absent_evaluate")[bucket - 17]


def _other_text(rng: random.Random) -> str:
    template = rng.choice(OTHER_TEXTS)
    return template.format(
        person=rng.choice(_PEOPLE), company=rng.choice(_COMPANIES), n=rng.randrange(1000, 99999999),
        city=rng.choice(PLACES)[0],
    )  # fmt: skip


def examples(
    brands: Sequence[CatalogueBrand],
    *,
    per_brand: int,
    formats: Sequence[str],
    seed: int,
    absent: bool = False,
    alias_kinds: Sequence[str] | None = None,
    platforms: dict[str, str] | None = None,
    others: int = 0,
) -> list[Example]:
    """`per_brand` descriptors of each brand in `formats` (and its natural format when allowed); restaurants
    now and then through a delivery platform (labelled with the platform); `others` non-card texts."""
    rng = random.Random(seed)
    allowed = set(formats)
    out: list[Example] = []
    for brand in brands:
        generator = brand.generator(alias_kinds)
        for _ in range(per_brand):
            city, region = rng.choice(PLACES)
            text = body(generator, rng, kinds=alias_kinds)
            if platforms and brand.merchant.category in EATING_OUT and rng.random() < 0.08:
                template, platform = rng.choice(DELIVERY_PLATFORMS)
                if platform in platforms:
                    out.append(Example(delivered(template, text, rng), platforms[platform], "delivery"))
                    continue
            fmt = natural_format(generator, rng)
            if fmt not in allowed or rng.random() < 0.5:
                fmt = rng.choice(sorted(allowed))
            truth = None if absent else brand.merchant.merchant_id
            out.append(Example(render(text, fmt, city, region, rng), truth, fmt))
    out += [Example(_other_text(rng), None, "other") for _ in range(others)]
    return out


def decoys(brands: Sequence[CatalogueBrand], known: set[str], count: int, seed: int) -> list[Example]:
    """`count` descriptors of businesses named one step away from a catalogue brand (none of them an alias
    in `known`), in every format, each labelled unknown."""
    rng = random.Random(seed)
    out: list[Example] = []
    while len(out) < count and brands:
        words = alias_text(rng.choice(brands).merchant.name).upper().split()
        roll = rng.random()
        if roll < 0.4:
            name = words[0] + rng.choice(_GLUED)
        elif roll < 0.7:
            name = " ".join([rng.choice(_LEADING), *words])
        else:
            name = " ".join([words[0], rng.choice(_SECOND)])
        if alias_text(name) in known or alias_text(name).replace(" ", "") in known:
            continue
        city, region = rng.choice(PLACES)
        out.append(Example(render(name, rng.choice(FORMATS), city, region, rng), None, "decoy"))
    return out


@dataclass(frozen=True, slots=True)
class Scored:
    example: Example
    candidates: Candidates


def score(matcher: Matcher, encoder: OnnxEncoder, items: Sequence[Example]) -> list[Scored]:
    parsed = [parse(e.descriptor) for e in items]
    found: list[Candidates] = []
    for start in range(0, len(parsed), 256):
        chunk = parsed[start : start + 256]
        found += matcher.candidates(chunk, encoder.encode)
    return [Scored(e, c) for e, c in zip(items, found, strict=True)]


def training_rows(scored: Sequence[Scored]) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for s in scored:
        for merchant, row in zip(s.candidates.merchants, s.candidates.features, strict=True):
            rows.append(row)
            labels.append(int(merchant.merchant_id == s.example.merchant_id))
    return np.asarray(rows, dtype=np.float32), np.asarray(labels)


def answers(reranker: Reranker, scored: Sequence[Scored], threshold: float) -> list[tuple[str | None, float]]:
    """(merchant id or None for unknown, confidence) for each scored example."""
    best = reranker.best([s.candidates for s in scored])
    return [
        (s.candidates.merchants[i].merchant_id if i >= 0 and confidence >= threshold else None, confidence)
        for s, (i, _, confidence) in zip(scored, best, strict=True)
    ]


def metrics(reranker: Reranker, scored: Sequence[Scored], threshold: float) -> dict[str, float | int]:
    """top1 (in-catalogue descriptors resolved to the right merchant), precision of resolved answers,
    unknown_rate (descriptors with no right merchant answered unknown), recall_ceiling (the right merchant
    was among the candidates)."""
    given = answers(reranker, scored, threshold)
    known = [(s, g) for s, g in zip(scored, given, strict=True) if s.example.merchant_id is not None]
    unknown = [(s, g) for s, g in zip(scored, given, strict=True) if s.example.merchant_id is None]
    resolved = [(s, g) for s, g in zip(scored, given, strict=True) if g[0] is not None]
    right = sum(g[0] == s.example.merchant_id for s, g in known)
    ceiling = sum(
        any(m.merchant_id == s.example.merchant_id for m in s.candidates.merchants) for s, _ in known
    )  # fmt: skip
    return {
        "descriptors": len(known),
        "top1": round(right / max(len(known), 1), 4),
        "recall_ceiling": round(ceiling / max(len(known), 1), 4),
        "precision": round(sum(g[0] == s.example.merchant_id for s, g in resolved) / max(len(resolved), 1), 4),
        "unknown_descriptors": len(unknown),
        "unknown_rate": round(sum(g[0] is None for _, g in unknown) / max(len(unknown), 1), 4),
    }


def wratio_top1(brands: Sequence[CatalogueBrand], items: Sequence[Example]) -> float:
    """rapidfuzz WRatio baseline: the catalogue name most similar to the raw descriptor."""
    names = [b.merchant.name for b in brands]
    known = [e for e in items if e.merchant_id is not None]
    right = 0
    for e in known:
        best = process.extractOne(e.descriptor, names, scorer=fuzz.WRatio, processor=utils.default_process)
        right += best is not None and brands[best[2]].merchant.merchant_id == e.merchant_id
    return round(right / max(len(known), 1), 4)


@dataclass(frozen=True, slots=True)
class Trained:
    model: bytes
    calibration: Calibration
    threshold: float
    report: dict[str, object]


def train(
    brands: Sequence[CatalogueBrand],
    encoder: OnnxEncoder,
    *,
    seed: int = 7,
    per_brand: int = 8,
    threshold: float = 0.5,
) -> Trained:
    """Fit and calibrate the reranker on its brand groups and training formats; evaluate on the held-out
    brands and formats (with and without their aliases in the index) and on brands left out of the index."""
    group = {b.merchant.merchant_id: brand_group(b.merchant.merchant_id) for b in brands}
    of = {name: [b for b in brands if group[b.merchant.merchant_id] == name] for name in set(group.values())}
    indexed = [b for b in brands if not group[b.merchant.merchant_id].startswith("absent")]
    platforms = {b.merchant.name: b.merchant.merchant_id for b in indexed if b.merchant.name in dict(
        (p, p) for _, p in DELIVERY_PLATFORMS)}  # fmt: skip
    training_formats = [f for f in FORMATS if f not in HELD_OUT_FORMATS]
    aliases = aliases_of(indexed)
    matcher = Matcher(aliases, encoder.encode([a.text for a in aliases]))

    def made(name: str, offset: int, formats: Sequence[str], **kw: object) -> list[Example]:
        return examples(of.get(name, []), per_brand=per_brand, formats=formats, seed=seed + offset, **kw)  # type: ignore[arg-type]

    known = {a.text for a in aliases}
    fit_scored = score(
        matcher,
        encoder,
        made("fit", 1, training_formats, platforms=platforms, others=300)
        + made("absent_fit", 2, training_formats, absent=True)
        + decoys(of.get("fit", []), known, 20 * per_brand, seed + 11),
    )
    rows, labels = training_rows(fit_scored)
    model, _ = fit(rows, labels, seed=seed)
    uncalibrated = Reranker(model, IDENTITY)
    calibration_scored = score(
        matcher,
        encoder,
        made("calibrate", 3, training_formats, platforms=platforms, others=150)
        + made("absent_calibrate", 4, training_formats, absent=True)
        + decoys(of.get("calibrate", []), known, 10 * per_brand, seed + 12),
    )
    best = uncalibrated.best([s.candidates for s in calibration_scored])
    right = np.asarray(
        [
            i >= 0 and s.candidates.merchants[i].merchant_id == s.example.merchant_id
            for s, (i, _, _) in zip(calibration_scored, best, strict=True)
        ]
    )
    calibration = calibrate(np.asarray([p for _, p, _ in best]), right)
    reranker = Reranker(model, calibration)

    evaluation = made("evaluate", 5, FORMATS, platforms=platforms, others=150) + made(
        "absent_evaluate", 6, FORMATS, absent=True
    )
    evaluated = metrics(reranker, score(matcher, encoder, evaluation), threshold)
    held_formats = [e for e in evaluation if e.fmt in HELD_OUT_FORMATS]
    by_format = metrics(reranker, score(matcher, encoder, held_formats), threshold)
    # The evaluation brands' aliases out of the index; their descriptors made from those aliases only.
    names_only = frozenset(b.merchant.merchant_id for b in of.get("evaluate", []))
    bare = aliases_of(indexed, names_only=names_only)
    bare_matcher = Matcher(bare, encoder.encode([a.text for a in bare]))
    with_aliases = [b for b in of.get("evaluate", []) if b.aliases]
    alias_forms = examples(
        with_aliases, per_brand=per_brand, formats=FORMATS, seed=seed + 7,
        alias_kinds=("abbreviation", "truncation", "short_form", "subsidiary", "former_name", "domain"),
    )  # fmt: skip
    unseen_aliases = metrics(reranker, score(bare_matcher, encoder, alias_forms), threshold)
    report = {
        "brands": {k: len(v) for k, v in sorted(of.items())},
        "held_out_formats": list(HELD_OUT_FORMATS),
        "training_pairs": len(labels),
        "threshold": threshold,
        "evaluation": evaluated | {"rapidfuzz_wratio_top1": wratio_top1(indexed, evaluation)},
        "evaluation_held_out_formats": by_format,
        "evaluation_aliases_not_indexed": unseen_aliases | {"rapidfuzz_wratio_top1": wratio_top1(indexed, alias_forms)},
    }
    return Trained(model, calibration, threshold, report)
