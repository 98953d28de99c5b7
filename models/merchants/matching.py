"""Candidates and pair features: which catalogue merchants a parsed descriptor may be, and how well each fits.

Candidates are the union of the lexical index's and the vector index's nearest aliases, grouped by merchant.
Each (descriptor, merchant) pair is described by `FEATURES`, each the best over the merchant's aliases:
n-gram and embedding cosines, rapidfuzz scores, how much of the name a shared prefix explains (truncations),
whether the descriptor is the alias with letters dropped (`WHOLEFDS`), word-by-word prefix alignment
(`AMERICAN AIR`), initials (`WFM`), and how the pair ranks against the other candidates. The reranker
(`rerank`) turns them into a probability that the merchant is the right one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from models.merchants.descriptor import Parsed, parse
from models.merchants.lexical import NgramIndex

LEXICAL_CANDIDATES = 12
SEMANTIC_CANDIDATES = 8
ALIASES_PER_CANDIDATE = 3
ALIAS_KINDS = ("name", "abbreviation", "truncation", "former_name", "subsidiary", "short_form", "domain", "analyst")
FEATURES = (
    "ngram_cosine",
    "embedding_cosine",
    "ratio",
    "partial_ratio",
    "token_set_ratio",
    "token_sort_ratio",
    "prefix_of_descriptor",
    "prefix_of_alias",
    "letters_dropped",
    "words_explained",
    "alias_words_explained",
    "initials",
    "first_word_equal",
    "exact",
    "is_name",
    "descriptor_words",
    "descriptor_letters",
    "alias_letters",
    "lexical_rank",
    "semantic_rank",
    "ngram_margin",
    "embedding_margin",
    "aliases_matched",
)


@dataclass(frozen=True, slots=True)
class Merchant:
    merchant_id: str
    name: str
    mcc: int
    category: str


@dataclass(frozen=True, slots=True)
class Alias:
    """One spelling of a merchant, as `parse` leaves a descriptor (lower case, single-spaced)."""

    merchant: Merchant
    text: str
    kind: str


def alias_text(text: str) -> str:
    """An alias or catalogue name in the form descriptors are matched in."""
    parsed = parse(text, cities=False)
    return " ".join(parsed.words) or text.lower().strip()


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _word_alignment(words: Sequence[str], alias_words: Sequence[str]) -> tuple[float, float]:
    """Share of descriptor letters and of alias words explained by aligning descriptor words, in order, to
    alias words they abbreviate (a prefix, or the letters of the word in order from its first)."""
    explained, used, at = 0, 0, 0
    for word in words:
        for j in range(at, len(alias_words)):
            target = alias_words[j]
            if target.startswith(word) or (len(word) >= 2 and word[0] == target[0] and _is_subsequence(word, target)):
                explained += len(word)
                used += 1
                at = j + 1
                break
    letters = sum(len(w) for w in words) or 1
    return explained / letters, used / max(len(alias_words), 1)


def pair_features(parsed: Parsed, alias: Alias, ngram: float, embedding: float) -> list[float]:
    """Features of one descriptor against one alias (before taking the best per merchant)."""
    text = " ".join(parsed.words)
    squashed, alias_squashed = text.replace(" ", ""), alias.text.replace(" ", "")
    alias_words = alias.text.split()
    prefix = _common_prefix(squashed, alias_squashed)
    words_explained, alias_explained = _word_alignment(parsed.words, alias_words)
    initials = "".join(w[0] for w in alias_words) if len(alias_words) > 1 else ""
    return [
        ngram,
        embedding,
        fuzz.ratio(text, alias.text) / 100,
        fuzz.partial_ratio(text, alias.text) / 100 if text and alias.text else 0.0,
        fuzz.token_set_ratio(text, alias.text) / 100,
        fuzz.token_sort_ratio(text, alias.text) / 100,
        prefix / max(len(squashed), 1),
        prefix / max(len(alias_squashed), 1),
        float(len(squashed) >= 3 and squashed[:1] == alias_squashed[:1] and _is_subsequence(squashed, alias_squashed)),
        words_explained,
        alias_explained,
        float(bool(initials) and any(w == initials for w in parsed.words)),
        float(bool(parsed.words) and parsed.words[0] == alias_words[0]),
        float(squashed == alias_squashed),
        float(alias.kind == "name"),
    ]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The merchants a descriptor may be and one feature row each (aligned)."""

    parsed: Parsed
    merchants: list[Merchant]
    features: np.ndarray  # len(merchants) x len(FEATURES)


class Matcher:
    """The catalogue's aliases with their n-gram index and embeddings (rows aligned with `aliases`)."""

    def __init__(self, aliases: Sequence[Alias], vectors: np.ndarray) -> None:
        if len(aliases) != len(vectors):
            raise ValueError(f"{len(aliases)} aliases but {len(vectors)} vectors")
        self.aliases = list(aliases)
        self.vectors = vectors.astype(np.float32)
        self.lexical = NgramIndex([a.text for a in self.aliases])
        self.by_merchant: dict[str, list[int]] = {}
        for row, alias in enumerate(self.aliases):
            self.by_merchant.setdefault(alias.merchant.merchant_id, []).append(row)

    def query_texts(self, parsed: Sequence[Parsed]) -> list[str]:
        """What is embedded for each descriptor: its name part (the raw text when nothing is left)."""
        return [" ".join(p.words) or p.descriptor.lower()[:64] for p in parsed]

    def candidates(self, parsed: Sequence[Parsed], query_vectors: np.ndarray) -> list[Candidates]:
        texts = self.query_texts(parsed)
        ngram = self.lexical.similarities(texts)
        semantic = query_vectors @ self.vectors.T
        return [self._one(p, ngram[i], semantic[i]) for i, p in enumerate(parsed)]

    def _ranked(self, scores: np.ndarray, limit: int) -> list[str]:
        """Distinct merchants of the best-scoring aliases, best first."""
        top = np.argpartition(-scores, min(limit * 3, len(scores) - 1))[: limit * 3]
        merchants: list[str] = []
        for row in top[np.argsort(-scores[top])]:
            merchant_id = self.aliases[row].merchant.merchant_id
            if merchant_id not in merchants:
                merchants.append(merchant_id)
            if len(merchants) == limit:
                break
        return merchants

    def _one(self, parsed: Parsed, ngram: np.ndarray, semantic: np.ndarray) -> Candidates:
        if not parsed.words:
            return Candidates(parsed, [], np.zeros((0, len(FEATURES)), dtype=np.float32))
        lexical_order = self._ranked(ngram, LEXICAL_CANDIDATES)
        semantic_order = self._ranked(semantic, SEMANTIC_CANDIDATES)
        pool = list(dict.fromkeys(lexical_order + semantic_order))
        best_ngram = {m: max(ngram[r] for r in self.by_merchant[m]) for m in pool}
        best_embedding = {m: max(semantic[r] for r in self.by_merchant[m]) for m in pool}
        rows = []
        for merchant_id in pool:
            nearest = self.by_merchant[merchant_id]
            if len(nearest) > ALIASES_PER_CANDIDATE:  # the spellings most like the descriptor are enough
                nearest = sorted(nearest, key=lambda r: -(ngram[r] + semantic[r]))[:ALIASES_PER_CANDIDATE]
            per_alias = np.asarray(
                [pair_features(parsed, self.aliases[r], float(ngram[r]), float(semantic[r])) for r in nearest],
                dtype=np.float32,
            )
            best = per_alias.max(axis=0)
            other_ngram = max((v for m, v in best_ngram.items() if m != merchant_id), default=0.0)
            other_embedding = max((v for m, v in best_embedding.items() if m != merchant_id), default=0.0)
            rows.append(
                [
                    *best,
                    len(parsed.words),
                    len("".join(parsed.words)),
                    len(self.aliases[nearest[int(per_alias[:, 2].argmax())]].text),
                    lexical_order.index(merchant_id) if merchant_id in lexical_order else LEXICAL_CANDIDATES,
                    semantic_order.index(merchant_id) if merchant_id in semantic_order else SEMANTIC_CANDIDATES,
                    best_ngram[merchant_id] - other_ngram,
                    best_embedding[merchant_id] - other_embedding,
                    float((per_alias[:, 2] >= 0.9).sum()),
                ]
            )
        merchants = [self.aliases[self.by_merchant[m][0]].merchant for m in pool]
        return Candidates(parsed, merchants, np.asarray(rows, dtype=np.float32))

    def best_alias(self, parsed: Parsed, merchant_id: str) -> str:
        """The merchant's spelling closest to the descriptor's name part (what an analyst sees it matched)."""
        text = " ".join(parsed.words)
        rows = self.by_merchant[merchant_id]
        return max((self.aliases[r].text for r in rows), key=lambda t: fuzz.ratio(text, t))
