"""Candidates and pair features: which catalogue merchants a parsed descriptor may be, and how well each fits.

Candidates are the union of the lexical index's and the vector index's nearest aliases, grouped by merchant.
Each (descriptor, merchant) pair is described by `FEATURES`, each the best over the merchant's aliases:
n-gram and embedding cosines, rapidfuzz scores, how much of the name a shared prefix explains (truncations),
whether the descriptor is the alias with letters dropped (`WHOLEFDS`), word-by-word prefix alignment
(`AMERICAN AIR`), initials (`WFM`), and how the pair ranks against the other candidates. The reranker
(`rerank`) turns them into a probability that the merchant is the right one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process

from models.merchants.descriptor import Parsed, parse
from models.merchants.lexical import NgramIndex

LEXICAL_CANDIDATES = 10
SEMANTIC_CANDIDATES = 6
ALIASES_PER_CANDIDATE = 3
# A name part this close (n-gram cosine) to a catalogue spelling is matched lexically alone: the encoder,
# the costliest step, runs only where spelling leaves doubt.
LEXICAL_ENOUGH = 0.75
ALIAS_KINDS = ("name", "abbreviation", "truncation", "former_name", "subsidiary", "short_form", "domain", "analyst")
# Bumped whenever what a feature means changes (not only its name): a reranker trained on other features
# cannot be served by this code, and the registry refuses to load it (`build.load_resolver`).
FEATURES_VERSION = 6
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
    "exact_elsewhere",
    "ratio_margin",
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


def without_tail(parsed: Parsed) -> Parsed:
    """`parsed` with the city ending its name taken off as its location, or the words after a star off."""
    if parsed.place_tail:
        words = parsed.name.split()[:-1]
        return replace(parsed, name=" ".join(words), words=tuple(w.lower() for w in words),
                       location=parsed.place_tail, place_tail=None)  # fmt: skip
    words = parsed.name.split()[: -parsed.star_words or None]
    return replace(parsed, name=" ".join(words), words=tuple(w.lower() for w in words), star_words=0)


def alias_text(text: str) -> str:
    """An alias or catalogue name in the form descriptors are matched in."""
    parsed = parse(text, catalogue=True)
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


_FUZZY = (fuzz.ratio, fuzz.partial_ratio, fuzz.token_set_ratio, fuzz.token_sort_ratio)


def pair_features(parsed: Parsed, aliases: Sequence[Alias], ngram: np.ndarray, embedding: np.ndarray) -> np.ndarray:
    """Features of one descriptor against each of `aliases` (before taking the best per merchant):
    len(aliases) x 15. The rapidfuzz scores come from one C call per scorer."""
    text = " ".join(parsed.words)
    texts = [a.text for a in aliases]
    fuzzy = np.stack([process.cdist([text], texts, scorer=scorer, dtype=np.float32)[0] for scorer in _FUZZY], 1)
    squashed = text.replace(" ", "")
    rows = []
    for alias in aliases:
        alias_squashed = alias.text.replace(" ", "")
        alias_words = alias.text.split()
        prefix = _common_prefix(squashed, alias_squashed)
        words_explained, alias_explained = _word_alignment(parsed.words, alias_words)
        initials = "".join(w[0] for w in alias_words) if len(alias_words) > 1 else ""
        rows.append(
            [
                prefix / max(len(squashed), 1),
                prefix / max(len(alias_squashed), 1),
                float(
                    len(squashed) >= 3
                    and squashed[:1] == alias_squashed[:1]
                    and _is_subsequence(squashed, alias_squashed)
                ),
                words_explained,
                alias_explained,
                float(bool(initials) and initials in parsed.words),
                float(bool(parsed.words) and parsed.words[0] == alias_words[0]),
                float(squashed == alias_squashed),
                float(alias.kind == "name"),
            ]
        )
    return np.column_stack([ngram, embedding, fuzzy / 100, np.asarray(rows, dtype=np.float32)]).astype(np.float32)


_EXACT, _RATIO = FEATURES.index("exact"), FEATURES.index("ratio")


def _best_of_others(column: np.ndarray) -> np.ndarray:
    """For each row, the largest value among the other rows (0 when alone)."""
    if len(column) < 2:
        return np.zeros_like(column)
    order = np.argsort(-column, kind="stable")
    first, second = column[order[0]], column[order[1]]
    out = np.full_like(column, first)
    out[order[0]] = second
    return out


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
        # Columns grouped by merchant, so a merchant's best alias score is one reduceat over a query's row.
        self.merchant_ids = list(self.by_merchant)
        self._grouped = np.asarray([r for m in self.merchant_ids for r in self.by_merchant[m]], dtype=np.int64)
        sizes = [len(self.by_merchant[m]) for m in self.merchant_ids]
        self._starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self._column = {m: i for i, m in enumerate(self.merchant_ids)}
        self._in_order = bool(np.array_equal(self._grouped, np.arange(len(self.aliases))))  # the stores' order
        self._spellings = {a.text for a in self.aliases}

    def query_texts(self, parsed: Sequence[Parsed]) -> list[str]:
        """What is embedded for each descriptor: its name part (the raw text when nothing is left)."""
        return [" ".join(p.words) or p.descriptor.lower()[:64] for p in parsed]

    def candidates(self, parsed: Sequence[Parsed], encode: Callable[[list[str]], np.ndarray]) -> list[Candidates]:
        """Candidates of each descriptor. `encode` embeds the name parts that need it: one that is a catalogue
        spelling, or as close as `LEXICAL_ENOUGH`, is matched lexically alone (its embedding features are
        missing, which the reranker is trained with); the costly encoder only runs for the others."""
        if not self.aliases:
            return [Candidates(p, [], np.zeros((0, len(FEATURES)), dtype=np.float32)) for p in parsed]
        parsed = list(parsed)
        texts = self.query_texts(parsed)
        ngram = self.lexical.similarities(texts)
        ngram_best = np.maximum.reduceat(self._by_merchant_order(ngram), self._starts, axis=1)
        # A city left at the end of a name (`SUPERDRUG BOSTON`) or words after a star (`UBER *RIDES`) come
        # off when the rest matches better.
        tails = [i for i, p in enumerate(parsed) if p.place_tail or p.star_words]
        if tails:
            shorter = [without_tail(parsed[i]) for i in tails]
            alt = self.lexical.similarities(self.query_texts(shorter))
            alt_best = np.maximum.reduceat(self._by_merchant_order(alt), self._starts, axis=1)
            for k, i in enumerate(tails):
                if alt_best[k].max() > ngram_best[i].max():
                    parsed[i], texts[i], ngram[i], ngram_best[i] = (
                        shorter[k],
                        " ".join(shorter[k].words),
                        alt[k],
                        alt_best[k],
                    )
        semantic = np.full(ngram.shape, np.nan, dtype=np.float32)
        confident = ngram_best.max(axis=1) >= LEXICAL_ENOUGH
        needed = [i for i, t in enumerate(texts) if t not in self._spellings and not confident[i]]
        semantic_best = np.full(ngram_best.shape, np.nan, dtype=np.float32)
        if needed:
            semantic[needed] = encode([texts[i] for i in needed]) @ self.vectors.T
            semantic_best[needed] = np.maximum.reduceat(self._by_merchant_order(semantic[needed]), self._starts, axis=1)
        return [self._one(p, ngram[i], semantic[i], ngram_best[i], semantic_best[i]) for i, p in enumerate(parsed)]

    def _by_merchant_order(self, scores: np.ndarray) -> np.ndarray:
        return scores if self._in_order else scores[:, self._grouped]

    def _ranked(self, best: np.ndarray, limit: int) -> list[str]:
        """The `limit` merchants whose best alias scores highest, best first."""
        top = np.argpartition(-best, min(limit, len(best) - 1))[:limit]
        return [self.merchant_ids[i] for i in top[np.argsort(-best[top], kind="stable")]]

    def _one(
        self, parsed: Parsed, ngram: np.ndarray, semantic: np.ndarray, ngram_best: np.ndarray, semantic_best: np.ndarray
    ) -> Candidates:
        if not parsed.words:
            return Candidates(parsed, [], np.zeros((0, len(FEATURES)), dtype=np.float32))
        lexical_order = self._ranked(ngram_best, LEXICAL_CANDIDATES)
        embedded = not np.isnan(semantic_best[0])
        semantic_order = self._ranked(semantic_best, SEMANTIC_CANDIDATES) if embedded else []
        pool = list(dict.fromkeys(lexical_order + semantic_order))
        best_ngram = {m: float(ngram_best[self._column[m]]) for m in pool}
        best_embedding = {m: float(semantic_best[self._column[m]]) for m in pool}
        closeness = ngram + (semantic if embedded else 0.0)
        chosen: list[list[int]] = []
        for merchant_id in pool:
            nearest = self.by_merchant[merchant_id]
            if len(nearest) > ALIASES_PER_CANDIDATE:  # the spellings most like the descriptor are enough
                nearest = sorted(nearest, key=lambda r: -closeness[r])[:ALIASES_PER_CANDIDATE]
            chosen.append(nearest)
        flat = [r for nearest in chosen for r in nearest]
        every = pair_features(parsed, [self.aliases[r] for r in flat], ngram[flat], semantic[flat])
        rows = []
        at = 0
        other_ngram = _best_of_others(np.asarray([best_ngram[m] for m in pool], dtype=np.float32))
        other_embedding = _best_of_others(np.asarray([best_embedding[m] for m in pool], dtype=np.float32))
        for k, (merchant_id, nearest) in enumerate(zip(pool, chosen, strict=True)):
            per_alias = every[at : at + len(nearest)]
            at += len(nearest)
            best = per_alias.max(axis=0)
            rows.append(
                [
                    *best,
                    len(parsed.words),
                    len("".join(parsed.words)),
                    len(self.aliases[nearest[int(per_alias[:, 2].argmax())]].text),
                    lexical_order.index(merchant_id) if merchant_id in lexical_order else LEXICAL_CANDIDATES,
                    (semantic_order.index(merchant_id) if merchant_id in semantic_order else SEMANTIC_CANDIDATES)
                    if embedded
                    else np.nan,
                    best_ngram[merchant_id] - other_ngram[k],
                    best_embedding[merchant_id] - other_embedding[k],
                    float((per_alias[:, 2] >= 0.9).sum()),
                ]
            )
        merchants = [self.aliases[self.by_merchant[m][0]].merchant for m in pool]
        table = np.asarray(rows, dtype=np.float32)
        # How each candidate compares with the best of the others: a pointwise model needs to be told that
        # another candidate is spelled exactly like the descriptor (`UBER` is Uber, not Uber Eats).
        compared = np.column_stack(
            [_best_of_others(table[:, _EXACT]), table[:, _RATIO] - _best_of_others(table[:, _RATIO])]
        )
        return Candidates(parsed, merchants, np.column_stack([table, compared]).astype(np.float32))

    def best_alias(self, parsed: Parsed, merchant_id: str) -> str:
        """The merchant's spelling closest to the descriptor's name part (what an analyst sees it matched)."""
        text = " ".join(parsed.words)
        rows = self.by_merchant[merchant_id]
        return max((self.aliases[r].text for r in rows), key=lambda t: fuzz.ratio(text, t))
