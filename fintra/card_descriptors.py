"""Card descriptors in the forms processors, platforms and banks really print, for one generator shared by
the simulator (its card payments) and merchant resolution (its training and evaluation pairs).

A descriptor is a *body* (the brand's name or one of its known aliases, then maybe shortened the way
terminals shorten: cut at the 22-character name field, vowels dropped from a word, spaces dropped, the last
word dropped, a letter lost) inside a *format* (a processor or wallet prefix, a delivery platform around a
restaurant, a store number, a city and region, a phone number, a ticket number glued on, a reference code
after a star, a bank's own wording in front). Formats are named so an evaluation can hold whole formats out
of training."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

NAME_LIMIT = 22  # ISO 8583 DE43 merchant-name sub-field
_ALNUM = string.ascii_uppercase + string.digits
_VOWELS = re.compile(r"(?<=\w)[AEIOU]")


@dataclass(frozen=True, slots=True)
class Brand:
    """What the generator needs of a catalogue merchant."""

    name: str
    category: str
    processor: str  # '' when it bills in its own name
    aliases: tuple[tuple[str, str], ...] = ()  # (kind, text)


FORMATS: tuple[str, ...] = (
    "plain",
    "store_city",
    "city_only",
    "bank_prefix",
    "phone",
    "online",
    "ticket",
    "star_reference",
    "uk_card",
    "square",
    "toast",
    "paypal",
    "shopify",
    "stripe",
    "zettle",
    "sumup",
    "clover",
    "google",
)
DELIVERY_PLATFORMS = (
    ("DD *DOORDASH {inner}", "DoorDash"),
    ("DOORDASH*{inner}", "DoorDash"),
    ("UBER* EATS {inner}", "Uber Eats"),
    ("GRUBHUB*{inner}", "Grubhub"),
    ("DELIVEROO {inner}", "Deliveroo"),
    ("JUST EAT {inner}", "Just Eat"),
)
_STAR_WORDS = ("SUBSCRIPTION", "MEMBERSHIP", "ORDER", "BILL", "PAYMENT", "STORE", "ONLINE", "RENEWAL")
_BANK = (
    "POS DEBIT {date} ", "CHECKCARD {mmdd} ", "PURCHASE AUTHORIZED ON {date} ", "VISA DDA PUR ",
    "DEBIT CARD PURCHASE ", "POS ", "CARD {last4} ", "RECURRING PAYMENT ", "CONTACTLESS ", "CB ",
)  # fmt: skip


def squash(name: str) -> str:
    """Upper case without the punctuation terminals drop (apostrophes, periods, some ampersands)."""
    text = re.sub(r"\.(?!(?:COM|CO|NET|ORG|DE|FR|ES|IT|NL|IE|EU)\b)", "", name.upper())  # `WALMART.COM` keeps its dot
    text = text.replace("'", "").replace("!", "").replace(",", "")
    return re.sub(r"\s+", " ", text).strip()


def _shorten_word(word: str) -> str:
    """`MARKET` → `MKT`, `FOODS` → `FDS`: the first letter and the consonants, as terminals abbreviate."""
    return word[0] + _VOWELS.sub("", word[1:]) if len(word) > 4 else word


def body(brand: Brand, rng: random.Random, *, kinds: Sequence[str] | None = None) -> str:
    """The brand's name as one terminal might print it."""
    forms = [("name", brand.name)] + [a for a in brand.aliases if kinds is None or a[0] in kinds]
    kind, text = forms[0] if rng.random() < 0.45 or len(forms) == 1 else rng.choice(forms[1:])
    if kind == "domain":  # printed as it is spelled, dots and all
        return text.upper()[:NAME_LIMIT]
    text = squash(text)
    if rng.random() < 0.35 and text.startswith("THE "):
        text = text[4:]
    words = text.split()
    roll = rng.random()
    if roll < 0.12 and len(words) > 1:  # one word shortened to its consonants
        at = rng.randrange(len(words))
        words[at] = _shorten_word(words[at])
    elif roll < 0.22 and len(words) > 2:
        words = words[:-1]
    elif roll < 0.30 and len(words) > 1:
        words = ["".join(words)]
    elif roll < 0.36:
        words = [w.replace("&", " AND ") if rng.random() < 0.5 else w.replace("&", "") for w in words]
    text = re.sub(r"\s+", " ", " ".join(words)).strip()
    if rng.random() < 0.05 and len(text) > 6:  # a letter lost
        at = rng.randrange(1, len(text) - 1)
        text = text[:at] + text[at + 1 :]
    if rng.random() < 0.15:
        text = text[: rng.randint(min(8, len(text)), max(8, min(len(text), NAME_LIMIT)))]
    return text[:NAME_LIMIT].rstrip() or squash(brand.name)[:NAME_LIMIT]


def _store_number(rng: random.Random) -> str:
    number = rng.randrange(1, 99999)
    return rng.choice((f"#{number:05d}", f"#{number}", f"{number:04d}", f"F{number}", f"# {number}", f"STORE {number}"))


def _phone(rng: random.Random) -> str:
    a, b, c = rng.choice((800, 855, 866, 877, 888, 206, 408, 512)), rng.randrange(200, 999), rng.randrange(10000)
    return rng.choice((f"{a}-{b}-{c:04d}", f"{a}{b}{c:04d}", f"{a}.{b}.{c:04d}"))


def _code(rng: random.Random, size: int = 6) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(size))


def _place(city: str, region: str, rng: random.Random) -> str:
    roll = rng.random()
    return f" {city[:13]} {region}" if roll < 0.6 else f" {city[:13]}" if roll < 0.8 else ""


def _case(text: str, rng: random.Random) -> str:
    roll = rng.random()
    return text.title() if roll < 0.10 else text.lower() if roll < 0.14 else text


def delivered(template: str, restaurant: str, rng: random.Random) -> str:
    """A delivery platform's descriptor around `restaurant` (a body); the platform is the merchant of record."""
    return _case(template.format(inner=restaurant)[:NAME_LIMIT] + rng.choice(("", f" {_phone(rng)} CA", " CA")), rng)


def render(text: str, fmt: str, city: str, region: str, rng: random.Random) -> str:
    """`text` (a body) inside format `fmt`."""
    if fmt == "plain":
        out = text
    elif fmt == "store_city":
        out = f"{text} {_store_number(rng)}"[:NAME_LIMIT] + _place(city, region, rng)
    elif fmt == "city_only":
        out = f"{text}{_place(city, region, rng)}"
    elif fmt == "bank_prefix":
        day, month = rng.randrange(1, 29), rng.randrange(1, 13)
        head = rng.choice(_BANK).format(date=f"{month:02d}/{day:02d}", mmdd=f"{month:02d}{day:02d}",
                                        last4=f"{rng.randrange(10000):04d}")  # fmt: skip
        out = head + f"{text} {_store_number(rng)}"[: NAME_LIMIT + 2] + _place(city, region, rng)
    elif fmt == "phone":
        out = f"{text} {_phone(rng)} {region}"
    elif fmt == "online":
        squashed = text.replace(" ", "")
        out = rng.choice((f"{squashed}.COM", f"WWW.{squashed}.COM", f"{squashed}.CO.UK", f"{text} ONLINE"))
    elif fmt == "ticket":
        out = f"{text}{rng.randrange(10**12, 10**13)}" + rng.choice(("", f" {city[:13]} {region}", f" {_phone(rng)}"))
    elif fmt == "star_reference":
        after = _code(rng, rng.choice((6, 8, 10))) if rng.random() < 0.7 else rng.choice(_STAR_WORDS)
        out = f"{text[:13]}*{after}" + rng.choice(("", f" {region}", f" {_phone(rng)}"))
    elif fmt == "uk_card":
        out = f"{text}{_place(city, region, rng)}" + rng.choice((" GBR", " GB", "", f" CD {rng.randrange(10000):04d}"))
    else:
        prefix = {
            "square": ("SQ *", "SQ*", "SQU*"),
            "toast": ("TST* ", "TST*"),
            "paypal": ("PAYPAL *", "PP*", "PAYPAL*"),
            "shopify": ("SP ", "SP * "),
            "stripe": ("", "ST* "),
            "zettle": ("IZ *", "ZTL*"),
            "sumup": ("SUMUP *", "SUMUP*"),
            "clover": ("CLP*",),
            "google": ("GOOGLE *",),
        }[fmt]
        head = rng.choice(prefix) + text
        if fmt in ("square", "toast", "zettle", "sumup", "clover") and rng.random() < 0.4:
            head = f"{head} {_store_number(rng)}"
        tail = " g.co/helppay#" if fmt == "google" else _place(city, region, rng)
        out = head[:NAME_LIMIT].rstrip() + tail
    return _case(out, rng)


def natural_format(brand: Brand, rng: random.Random) -> str:
    """The format a brand's own payments mostly come in (its processor when it has one)."""
    if brand.processor in FORMATS and rng.random() < 0.8:
        return brand.processor
    if brand.category == "airline" and rng.random() < 0.5:
        return "ticket"
    if brand.category in ("software", "streaming", "music_streaming", "gaming") and rng.random() < 0.4:
        return rng.choice(("star_reference", "online", "phone"))
    return rng.choice(("plain", "store_city", "store_city", "city_only", "bank_prefix", "phone", "uk_card"))


def descriptor(brand: Brand, city: str, region: str, rng: random.Random, *, fmt: str | None = None) -> str:
    """One plausible descriptor of a payment to `brand` made in `city`, `region`."""
    return render(body(brand, rng), fmt or natural_format(brand, rng), city, region, rng)
