"""How a watch-listed name gets written by someone who is not copying it from the list: typos and word
order (the variants rules are tuned on); other scripts and romanisations are in `vocabulary_aml`."""

from __future__ import annotations

import random
import re

_PUNCT = re.compile(r"[^\w]+")


def plain(name: str) -> str:
    """The name without case or punctuation, to tell a new spelling from a listed one."""
    return _PUNCT.sub(" ", name.casefold()).strip()


def typo(name: str, rng: random.Random) -> str:
    """A plausible misspelling: a dropped, doubled or swapped letter, or a neighbouring key."""
    letters = list(name)
    i = rng.randrange(1, len(letters) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        del letters[i]
    elif kind == 1:
        letters.insert(i, letters[i])
    elif kind == 2:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        keys = {"a": "s", "e": "r", "i": "o", "o": "p", "n": "m", "r": "t", "s": "d", "t": "y", "l": "k", "v": "b"}
        letters[i] = keys.get(letters[i].lower(), letters[i])
    return "".join(letters)


def word_order(name: str, entity_type: str, rng: random.Random) -> str:
    """Surname first (as many forms and some scripts write it), or the company's first word moved last."""
    words = name.split()
    if entity_type == "INDIVIDUAL":
        return f"{words[-1].upper()} {' '.join(words[:-1])}" if rng.random() < 0.5 else f"{words[-1]}, {words[0]}"
    return f"{' '.join(words[1:])}, {words[0]}"
