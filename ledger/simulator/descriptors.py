"""Card descriptors as processors really send them: the brand behind a payment is rarely spelled the
same way twice (processor prefixes, store numbers, cities, the 22-character name limit, case noise)."""

from __future__ import annotations

import random
import re
import string

from ledger.simulator.reference import Merchant

NAME_LIMIT = 22  # ISO 8583 DE43 merchant-name sub-field
_ALNUM = string.ascii_uppercase + string.digits


def _squash(name: str) -> str:
    """Upper case without the punctuation terminals drop (apostrophes, periods, ampersands)."""
    text = name.upper().replace("&", " AND ").replace("'", "").replace(".", "").replace("!", "")
    return re.sub(r"\s+", " ", text).strip()


def _abbreviate(name: str, rng: random.Random) -> str:
    """Drop a trailing generic word (three-word names and longer) or the spaces, as terminals do."""
    words = name.split()
    if len(words) > 2 and rng.random() < 0.5:
        return " ".join(words[:-1])
    return name.replace(" ", "") if rng.random() < 0.3 else name


def _store_number(rng: random.Random) -> str:
    style = rng.randrange(4)
    number = rng.randrange(1, 99999)
    return (f"#{number:05d}", f"#{number}", f"{number:04d}", f"F{number}")[style]


def _case_noise(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.12:
        return text.title()
    if roll < 0.17:
        return text.lower()
    return text


def descriptor(merchant: Merchant, city: str, region: str, rng: random.Random) -> str:
    """One plausible descriptor for a payment to `merchant` made in `city`, `region`."""
    name = _squash(merchant.name)
    processor = merchant.processor
    if processor == "amazon":
        code = "".join(rng.choice(_ALNUM) for _ in range(6))
        if merchant.name == "Amazon":
            head = rng.choice(("AMZN Mktp US*", "Amazon.com*", "AMAZON MKTPL*", "AMZN Mktp US "))
        else:  # Amazon-billed brands keep their own name ("Audible*2K3L45", "Prime Video*…")
            head = name.replace("AMAZON ", "").title() + "*"
        return _case_noise(f"{head}{code}"[:NAME_LIMIT] + " Amzn.com/bill WA", rng)
    if processor == "apple" and (name.startswith("APPLE") or name == "ICLOUD"):
        # App Store billing hides which Apple service it was: genuinely ambiguous, as on real statements.
        return _case_noise(f"APPLE.COM/BILL {rng.choice(('CA', 'ITUNES.COM', '866-712-7753'))}", rng)
    if processor == "apple":
        return _case_noise(f"{_abbreviate(name, rng)} {rng.choice(('APP', 'APPLE.COM', 'IOS'))}"[:NAME_LIMIT], rng)
    if processor == "google":
        return _case_noise(f"GOOGLE *{_abbreviate(name, rng)}"[:NAME_LIMIT] + " g.co/helppay#", rng)
    if processor == "uber":
        kind = "EATS" if "EATS" in name else rng.choice(("TRIP", "RIDES", "TRIP HELP.UBER.COM"))
        return _case_noise(f"UBER *{kind}"[:NAME_LIMIT], rng)
    if processor == "doordash":
        return _case_noise(
            f"DD *DOORDASH {rng.choice(('', 'DASHPASS', 'ORDER'))}".strip()[:NAME_LIMIT] + " SAN FRANCISCO CA", rng
        )

    body = _abbreviate(name, rng) if rng.random() < 0.35 else name
    prefix = {"square": "SQ *", "toast": "TST* ", "paypal": "PAYPAL *", "stripe": "", "shopify": "SP "}.get(
        processor, ""
    )
    if processor == "paypal" and rng.random() < 0.5:
        prefix = "PP*"
    if processor == "stripe" and rng.random() < 0.4:
        body = body.replace(" ", "") + ".COM"
    head = f"{prefix}{body}"
    if rng.random() < 0.55 and processor in ("", "toast", "square"):
        head = f"{head} {_store_number(rng)}"
    head = head[:NAME_LIMIT].rstrip()
    roll = rng.random()
    if roll < 0.6:
        tail = f" {city[:13]} {region}"
    elif roll < 0.8:
        tail = f" {city[:13]}"
    else:
        tail = ""
    return _case_noise(head + tail, rng)
