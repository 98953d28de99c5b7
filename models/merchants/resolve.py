"""`resolve(descriptor)`: the merchant behind a card descriptor, with a calibrated confidence, or `unknown`.

The descriptor is parsed (`descriptor.parse`: processor, platform, store, place, phone, URL and references
come off and are kept), its name part matched against every catalogue alias lexically (character n-grams)
and semantically (the MiniLM ONNX encoder against the alias vectors stored in Qdrant and pgvector), the
candidates reranked (`rerank`), and the best one answered when its calibrated confidence reaches the
threshold; below it the answer is `unknown`, never a guess."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.merchants.curation import Curation
from models.merchants.descriptor import Parsed, parse
from models.merchants.encoder import OnnxEncoder
from models.merchants.matching import Matcher, Merchant
from models.merchants.rerank import Reranker

# The calibrated probability that the answer is right: at 0.5 an answer is more likely right than wrong.
# Precision at this threshold is measured on held-out brands and formats and kept on the model card.
DEFAULT_THRESHOLD = 0.5
ANSWERS_KEPT = 100_000  # distinct name parts remembered per resolver (a few hundred bytes each)


@dataclass(frozen=True, slots=True)
class Resolution:
    descriptor: str
    normalised: str  # the name part that was matched
    status: str  # resolved | unknown
    confidence: float
    merchant_id: str | None = None
    name: str | None = None
    mcc: int | None = None
    category: str | None = None
    matched: str | None = None  # the catalogue spelling (name or alias) it matched best
    processor: str | None = None
    via: str | None = None
    store_id: str | None = None
    location: str | None = None
    phone: str | None = None
    url: str | None = None
    reference: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class MerchantResolver:
    def __init__(
        self,
        encoder: OnnxEncoder,
        matcher: Matcher,
        reranker: Reranker,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        version: int | None = None,
        catalogue_version: int = 0,
        base: Matcher | None = None,
    ) -> None:
        self.encoder, self.matcher, self.reranker, self.threshold = encoder, matcher, reranker, threshold
        self.version, self.catalogue_version = version, catalogue_version
        self.base = base or matcher  # the model version's own aliases, before any curation
        self._answers: dict[str, Answer] = {}
        self._lock = threading.Lock()

    def curated(self, curation: Curation) -> MerchantResolver:
        """This resolver with analysts' changes up to `curation.version` laid over the model's aliases (new
        aliases embedded now; the reranker and threshold unchanged)."""
        known = {a.merchant.merchant_id: a.merchant for a in self.base.aliases}
        aliases, rows = curation.apply(self.base.aliases, known)
        fresh = [a.text for a, row in zip(aliases, rows, strict=True) if row < 0]
        encoded = iter(self.encoder.encode(fresh))
        vectors = np.asarray([self.base.vectors[row] if row >= 0 else next(encoded) for row in rows], dtype=np.float32)
        return MerchantResolver(
            self.encoder,
            Matcher(aliases, vectors.reshape(len(aliases), -1)),
            self.reranker,
            self.threshold,
            version=self.version,
            catalogue_version=curation.version,
            base=self.base,
        )

    def resolve(self, descriptor: str) -> Resolution:
        return self.resolve_many([descriptor])[0]

    def resolve_many(self, descriptors: Sequence[str]) -> list[Resolution]:
        parsed = [parse(d) for d in descriptors]
        # The answer depends on the name part alone: each distinct one is matched once, and remembered
        # (statements repeat the same merchants; the cache belongs to this catalogue version).
        names = [" ".join(p.words) for p in parsed]
        known = {n: self._answers.get(n) for n in names}  # read once: another request may evict meanwhile
        todo = {n: p for n, p in zip(names, parsed, strict=True) if known[n] is None}
        if todo:
            found = self.matcher.candidates(list(todo.values()), self.encoder.encode)
            for name, candidates, (best, _, confidence) in zip(todo, found, self.reranker.best(found), strict=True):
                matched = candidates.parsed  # the name as matched: a city at its end may have come off
                answer = Answer(None, confidence, None, " ".join(matched.words), matched.location)
                if best >= 0 and confidence >= self.threshold:
                    merchant = candidates.merchants[best]
                    spelling = self.matcher.best_alias(matched, merchant.merchant_id)
                    answer = Answer(merchant, confidence, spelling, answer.normalised, answer.location)
                known[name] = answer
                self._remember(name, answer)
        return [_resolution(p, known[n]) for p, n in zip(parsed, names, strict=True)]

    def _remember(self, name: str, answer: Answer) -> None:
        with self._lock:  # requests resolve in several threads
            if len(self._answers) >= ANSWERS_KEPT:
                self._answers.pop(next(iter(self._answers)), None)  # the oldest: enough for a bounded cache
            self._answers[name] = answer


@dataclass(frozen=True, slots=True)
class Answer:
    """What a name part resolves to (the same for every descriptor with that name part)."""

    merchant: Merchant | None
    confidence: float
    matched: str | None
    normalised: str
    location: str | None  # a city that ended the name part


def _resolution(parsed: Parsed, answer: Answer | None) -> Resolution:
    assert answer is not None
    parts = parsed.parts() | ({"location": answer.location} if answer.location and not parsed.location else {})
    common = {
        "descriptor": parsed.descriptor,
        "normalised": answer.normalised,
        "confidence": round(answer.confidence, 4),
    }
    m = answer.merchant
    if m is None:
        return Resolution(status="unknown", **common, **parts)
    return Resolution(
        status="resolved", merchant_id=m.merchant_id, name=m.name, mcc=m.mcc, category=m.category,
        matched=answer.matched, **common, **parts,
    )  # fmt: skip
