"""Lexical candidates: character n-gram TF-IDF over every alias text, cosine by one sparse product.

Character n-grams (2 to 4, inside word boundaries) match what word tokens miss on card descriptors:
truncations (`SOUTHWES`), dropped vowels (`WHOLEFDS`), glued words (`WALMARTCOM`). numpy and scipy only,
so serving loads it without scikit-learn."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

NGRAMS = (2, 3, 4)


def ngrams(text: str) -> list[str]:
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in NGRAMS:
            grams.extend(padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
    return grams


class NgramIndex:
    """TF-IDF (sublinear term frequency, smoothed idf, unit rows) over `texts`."""

    def __init__(self, texts: Sequence[str]) -> None:
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        for row, text in enumerate(texts):
            grams: dict[int, int] = {}
            for gram in ngrams(text):
                column = vocabulary.setdefault(gram, len(vocabulary))
                grams[column] = grams.get(column, 0) + 1
            rows += [row] * len(grams)
            cols += list(grams)
            counts += list(grams.values())
        self.vocabulary = vocabulary
        shape = (len(texts), len(vocabulary))
        tf = sparse.csr_matrix((np.asarray(counts, dtype=np.float32), (rows, cols)), shape=shape)
        document_frequency = np.bincount(tf.indices, minlength=len(vocabulary))
        self.idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        self.matrix = self._weigh(tf).T.tocsr()  # grams x texts, for query @ matrix

    def _weigh(self, tf: sparse.csr_matrix) -> sparse.csr_matrix:
        tf = tf.copy()
        tf.data = (1 + np.log(tf.data)).astype(np.float32)
        weighted = sparse.csr_matrix(tf.multiply(self.idf[np.newaxis, :]))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.csr_matrix(weighted.multiply((1 / norms)[:, np.newaxis]))

    def vectorise(self, queries: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, counts = [], [], []
        for row, text in enumerate(queries):
            grams: dict[int, int] = {}
            for gram in ngrams(text):
                column = self.vocabulary.get(gram)
                if column is not None:
                    grams[column] = grams.get(column, 0) + 1
            rows += [row] * len(grams)
            cols += list(grams)
            counts += list(grams.values())
        shape = (len(queries), len(self.vocabulary))
        return self._weigh(sparse.csr_matrix((np.asarray(counts, dtype=np.float32), (rows, cols)), shape=shape))

    def similarities(self, queries: Sequence[str]) -> np.ndarray:
        """Cosine of every query with every text (len(queries) x len(texts), dense)."""
        return np.asarray((self.vectorise(queries) @ self.matrix).todense(), dtype=np.float32)
