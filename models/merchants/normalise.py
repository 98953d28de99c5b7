"""Descriptor normalisation: what processors and terminals add around a merchant's name comes off.

Removed: processor prefixes (`SQ *`, `TST*`, `PAYPAL *`, `PP*`, `SP `, `GOOGLE *`, `DD *`), billing
suffixes (`Amzn.com/bill WA`, `g.co/helppay#`), reference codes after `*` (`AMZN Mktp US*2K3L45`), store
numbers (`#0412`, `F1234`, runs of digits), a trailing region code (`CA`, `ENG`), punctuation and case.
Catalogue names get the same treatment, plus the spellings terminals produce (no spaces, no last word).
"""

from __future__ import annotations

import re

_PREFIX = re.compile(r"^(SQ ?\*|TST\* ?|PAYPAL ?\*|PP ?\*|SP |GOOGLE ?\*|DD ?\*)", re.IGNORECASE)
_AMAZON = re.compile(r"^(AMZN MKTP US|AMAZON\.COM|AMAZON MKTPL)\b.*$", re.IGNORECASE)
_SUFFIXES = re.compile(r"\s+(AMZN\.COM/BILL.*|G\.CO/HELPPAY#?)$", re.IGNORECASE)
_REFERENCE = re.compile(r"\*(?=\w*\d)\w+")  # a reference code: letters and digits after a star
_STORE_NUMBER = re.compile(r"#\s?\d+|\bF\d{2,}\b|\b\d{3,}\b", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^0-9a-z&' ]+")
_SPACES = re.compile(r"\s+")


def normalise(descriptor: str) -> str:
    """The merchant part of a descriptor, lower case, single-spaced."""
    text = _SUFFIXES.sub("", descriptor.strip())
    text = _PREFIX.sub("", text)
    text = _AMAZON.sub("AMAZON", text)
    text = _REFERENCE.sub(" ", text)
    text = _STORE_NUMBER.sub(" ", text)
    words = _SPACES.sub(" ", _NOT_WORD.sub(" ", text.lower().replace(".com", "com"))).split()
    if len(words) >= 3 and len(words[-1]) <= 3 and words[-1].isalpha():
        words = words[:-1]  # a region code (CA, ENG, IDF) after the city
    return " ".join(words)


def name_variants(name: str) -> list[str]:
    """The spellings of a catalogue name a descriptor may carry, normalised, distinct, in a fixed order."""
    base = normalise(name.replace("&", " and "))
    variants = [base, base.replace(" ", "")]
    words = base.split()
    if len(words) > 2:
        variants.append(" ".join(words[:-1]))
    plain = normalise(name.replace("&", " ").replace("'", ""))
    variants += [plain, plain.replace(" ", "")]
    return list(dict.fromkeys(v for v in variants if v))
