"""Card descriptor parsing: the parts processors, platforms and banks put around a merchant's name.

`parse("DD *DOORDASH CHIPOTLE 855-431-0459 CA")` gives the name part to resolve (`DOORDASH`), the platform
(`doordash`) with the inner merchant as `via` (`CHIPOTLE`), the phone number and the location, each kept as
printed. What comes off, in order: bank wording (`POS DEBIT`, `CHECKCARD 1203`, `PURCHASE AUTHORIZED ON
12/03`, a card number tail `CD 1234`), dates, a processor or wallet prefix (`SQ *`, `TST*`, `PAYPAL *`,
`SP `, `GOOGLE *`, `IZ *`, `SUMUP *`), URLs and billing domains (`AMZN.COM/BILL`, `HELP.UBER.COM`;
a domain that *is* the name, `NETFLIX.COM`, stays as the name), phone numbers, reference codes after a star
(`*2K3L45`), ticket and order numbers, store numbers (`#0412`, `F1234`, `STORE 12`), and the place at the
end (a region or country code, and the city before it when the gazetteer knows it).

Merchant of record (docs/merchant-resolution.md): a payment facilitator or wallet (Square, Toast, PayPal,
Stripe, Shopify, Google Pay, Zettle, SumUp) only carries the seller's name, so the seller is the merchant and
the wrapper is `processor`. A marketplace or delivery platform (DoorDash, Uber Eats, Grubhub, Deliveroo,
Just Eat, Instacart, Amazon Marketplace) sells in its own name, so the platform is the merchant and the
restaurant or seller inside is `via`."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# Wrappers whose inner text is the merchant: (pattern at the start, processor name).
PROCESSORS: tuple[tuple[str, str], ...] = (
    (r"SQ ?\*|SQU ?\*|SQUARE ?\*|GOSQ\.COM ?\*?", "square"),
    (r"TST ?\*|TOAST ?\*", "toast"),
    (r"PAYPAL ?\*|PP ?\*|PYPL ?\*|PAYPAL ", "paypal"),
    (r"SP ?\*|SHOPIFY ?\*|SP (?=\w)", "shopify"),
    (r"STRIPE ?\*|ST\* ?", "stripe"),
    (r"GOOGLE ?\*|GOOGLE PAY ?\*|G\.CO ?\*", "google"),
    (r"IZ ?\*|IZETTLE ?\*|ZTL ?\*|ZETTLE ?\*|ZETTLE_ ?\*", "zettle"),
    (r"SUMUP ?\*|SUM ?UP ?\*|SMP ?\*", "sumup"),
    (r"CLP ?\*|CLOVER ?\*", "clover"),
    (r"PY ?\*", "payanywhere"),
    (r"CKO ?\*|CHECKOUT ?\*", "checkout.com"),
    (r"FS ?\*|FASTSPRING ?\*", "fastspring"),
    (r"PADDLE\.NET ?\*|PADDLE ?\*", "paddle"),
    (r"2CO ?\*|2CO\.COM ?\*", "2checkout"),
    (r"WPY ?\*|WEPAY ?\*", "wepay"),
    (r"BT ?\*|BRAINTREE ?\*", "braintree"),
    (r"EB ?\*|EVENTBRITE ?\*", "eventbrite"),
    (r"LS ?\*|LIGHTSPEED ?\*", "lightspeed"),
    (r"APPLE PAY ?\*?|APL ?\*", "apple"),
    (r"SAMSUNG PAY ?\*?", "samsung"),
)
# Platforms that are the merchant of record: (pattern at the start, canonical platform text). The text after
# the pattern, when any, is the restaurant or seller (`via`).
PLATFORMS: tuple[tuple[str, str], ...] = (
    (r"DD ?\* ?DOORDASH|DOORDASH ?\*|DD ?\*|DOORDASH", "DOORDASH"),
    (r"UBER ?\* ?EATS|UBEREATS|UBER EATS|UBR\* ?EATS", "UBER EATS"),
    (r"GRUBHUB ?\*|GRUBHUB|GH ?\*", "GRUBHUB"),
    (r"POSTMATES ?\*|POSTMATES", "POSTMATES"),
    (r"INSTACART ?\*|INSTACART", "INSTACART"),
    (r"DELIVEROO ?\*|DELIVEROO", "DELIVEROO"),
    (r"JUST ?EAT ?\*|JUST EAT|JUST-EAT", "JUST EAT"),
    (r"SEAMLESS ?\*|SEAMLESS", "SEAMLESS"),
    (r"CAVIAR ?\*", "CAVIAR"),
    (r"WOLT ?\*", "WOLT"),
    (r"LIEFERANDO ?\*|LIEFERANDO", "LIEFERANDO"),
    (r"THUISBEZORGD ?\*|THUISBEZORGD", "THUISBEZORGD"),
    (r"GLOVO ?\*", "GLOVO"),
    (r"EBAY ?O?\*|EBAY ", "EBAY"),
    (r"ETSY(?: ?[-*])?", "ETSY"),
)
_BANK_WORDING = re.compile(
    r"^(?:(?:CHECK ?CARD|CARD|CRD) \d{4}\s+|"
    r"(?:POS|DEBIT|CREDIT|VISA|MASTERCARD|DDA|DBT|CRD|CARD|PURCHASE|PURCH|PUR|RECURRING|PAYMENT|PMT"
    r"|PREAUTHORIZED|PRE-AUTH|AUTHORIZED|AUTH|ON|CHECKCARD|CHECK CARD|CONTACTLESS|CTLS|ONLINE|INTL|"
    r"INTERNATIONAL|TRANSACTION|TXN|WITHDRAWAL|CB|CARTE|KARTENZAHLUNG|COMPRA|TARJETA|PAGO|ACHAT|BETALING"
    r"|CARDPAYMENT|APPLEPAY|GPAY|ZAHLUNG|EC|LASTSCHRIFT)\b[ .:-]*|\d{1,2}/\d{1,2}(?:/\d{2,4})?\s+)+"
)
_DATES = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{1,2} ?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
    r"(?: ?\d{2,4})?|ON \d{1,2} ?[A-Z]{3})\b"
)
_CARD_TAIL = re.compile(r"\b(?:CD|CARD|CRD|X+)\s?\d{4}\b|\bX{2,}\d{2,4}\b|\*{2,}\d{4}\b")
_URL = re.compile(
    r"(?<![\w.])(?:HTTPS?://)?(?:WWW\.)?(?:[A-Z0-9&+-]+\.)+(?:COM|NET|ORG|CO\.UK|ORG\.UK|GOV\.UK|UK|DE|FR|ES|IT|NL"
    r"|BE|IE|EU|IO|INFO|CO|TV|APP|AI|ME|US|CA|SE|DK|NO|FI|AT|CH|PL)(?:/[\w./#?=-]*|#)?(?![\w])"
)
_PHONE = re.compile(
    r"(?<![\w])(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]?\d{4}(?!\d)"  # North American
    r"|(?<![\w])(?:\+?44 ?|0)(?:\d ?){9,10}(?!\d)"  # UK
    r"|(?<![\w])\+\d{2}[ \d]{8,13}\d(?!\d)"  # other international
)
_INTERLEAVED = re.compile(r"[A-Z]\d+[A-Z]")
_STAR_REFERENCE = re.compile(r"\*\s?([A-Z0-9]*\d[A-Z0-9-]*)\b")
_GLUED_DIGITS = re.compile(r"(?<=[A-Z]{3})(?=\d{4,})|(?<=\b[A-Z]{2})(?=\d{6,})")  # `AIR0012…`, `AA3059…`
_STORE = re.compile(r"(?:#\s?|\bNO\.?\s?|\bSTORE\s?#?\s?|\bSTR\s?|\bST#\s?|\bF(?=\d{3,}\b)|\bT(?=\d{4,}\b))(\d+)\b")
_GLUED_AMPERSAND = re.compile(r"(?<=[A-Z]{3})&|&(?=[A-Z]{3})")  # `TIFFANY&CO`; `M&S`, `AT&T` stay whole
_NOT_TEXT = re.compile(r"[^A-Z0-9&'+* -]+")
_BILLING = frozenset(
    [
        "ORDER",
        "ORDERS",
        "PAYMENT",
        "PAYMENTS",
        "PMT",
        "SUBSCRIPTION",
        "SUBSCR",
        "SUBSC",
        "SUBS",
        "MEMBERSHIP",
        "ONLINE",
        "BILL",
        "BILLING",
        "RENEWAL",
        "RECURRING",
        "PURCHASE",
        "ID",
        "INV",
        "INVOICE",
        "AUTOPAY",
    ]
)
_NOISE = frozenset({"PENDING", "AUTHORIZATION", "TEMPORARY", "HOLD", "PREAUTH", "-", "+", "&"})
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Region and country codes a descriptor ends with (US states, Canadian provinces, ISO countries, the UK's
# nations as statements print them).
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
    ]
)
CA_PROVINCES = frozenset(["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"])
COUNTRIES = frozenset(
    [
        "US",
        "USA",
        "GB",
        "GBR",
        "UK",
        "IE",
        "IRL",
        "DE",
        "DEU",
        "FR",
        "FRA",
        "ES",
        "ESP",
        "IT",
        "ITA",
        "NL",
        "NLD",
        "BE",
        "BEL",
        "AT",
        "AUT",
        "CH",
        "CHE",
        "SE",
        "SWE",
        "DK",
        "DNK",
        "NO",
        "NOR",
        "FIN",
        "PL",
        "POL",
        "PT",
        "PRT",
        "CZ",
        "CZE",
        "GR",
        "GRC",
        "LU",
        "LUX",
        "CAN",
        "AU",
        "AUS",
        "JP",
        "JPN",
        "CN",
        "CHN",
        "SG",
        "SGP",
        "AE",
        "ARE",
        "HK",
        "HKG",
        "MX",
        "MEX",
        "ENG",
        "SCT",
        "WLS",
        "NIR",
        "IDF",
        "ARA",
        "MD",
        "CT",
        "NH",
        "LOM",
        "BY",
    ]
)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A descriptor taken apart. `name` is what resolution matches; the rest is kept as printed."""

    descriptor: str
    name: str
    processor: str | None = None
    platform: str | None = None
    via: str | None = None
    store_id: str | None = None
    location: str | None = None
    phone: str | None = None
    url: str | None = None
    reference: str | None = None
    detail: str | None = None  # text after a star that is no code (`UBER *TRIP`, `NETFLIX *SUBSCRIPTION`)
    words: tuple[str, ...] = field(default=())  # `name` in lower case, split
    place_tail: str | None = None  # a known city ending the name that was left in (see `_location`)
    star_words: int = 0  # how many words at the end of the name came after a star (`UBER *RIDES`)

    def parts(self) -> dict[str, str | None]:
        return {
            "processor": self.processor,
            "via": self.via,
            "store_id": self.store_id,
            "location": self.location,
            "phone": self.phone,
            "url": self.url,
            "reference": self.reference,
        }


@cache
def places() -> dict[str, frozenset[str]]:
    """City names (upper case, as printed) to the countries they are in, from the shipped gazetteer."""
    found: dict[str, set[str]] = {}
    with resources.files("models.merchants").joinpath("data/places.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found.setdefault(row["city"], set()).add(row["country"])
    return {k: frozenset(v) for k, v in found.items()}


def clean(descriptor: str) -> str:
    """Upper case ASCII, control characters and doubled spaces gone (accents folded: `CAFÉ` → `CAFE`)."""
    text = unicodedata.normalize("NFKD", _CONTROL.sub(" ", descriptor))
    text = "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", text.upper()).strip()


def _take_prefix(text: str, table: tuple[tuple[str, str], ...]) -> tuple[str | None, str]:
    for pattern, label in table:
        found = re.match(rf"(?:{pattern})\s*", text)
        if found:
            return label, text[found.end() :]
    return None, text


def _domain_name(url: str) -> str:
    """`NETFLIX.COM` → `NETFLIX`, `AMAZON.CO.UK` → `AMAZON`, `WWW.JUST-EAT.CO.UK` → `JUST-EAT`."""
    host = re.sub(r"^(?:HTTPS?://)?(?:WWW\.)?", "", url).split("/")[0].split("#")[0]
    labels = [label for label in host.split(".") if label]
    while len(labels) > 1 and labels[-1] in {"COM", "NET", "ORG", "CO", "UK", "GOV", "DE", "FR", "ES", "IT", "NL",
                                               "BE", "IE", "EU", "IO", "INFO", "TV", "APP", "AI", "ME", "US", "CA",
                                               "SE", "DK", "NO",  "AT", "CH", "PL"}:  # fmt: skip
        labels.pop()
    return " ".join(labels)


def _code_like(word: str) -> bool:
    """A reference of letters alone (`DYHQHZ`): five or more letters, hardly a vowel among them."""
    return len(word) >= 5 and word.isalpha() and sum(c in "AEIOU" for c in word) / len(word) < 0.2


def _is_code(word: str) -> bool:
    return word in US_STATES or word in CA_PROVINCES or word in COUNTRIES


def _location(words: list[str], keep: int = 1, *, cities: bool = True) -> tuple[list[str], str | None, str | None]:
    """Split trailing place words (region/country codes, a known city before them, or a known city alone)
    off `words`; at least `keep` words stay. A one-word city with no code after it goes only when two words
    stay before it (`MINT MOBILE` keeps its `MOBILE`, `TACO BELL` its `BELL`); such a city left in is
    returned third, for the matcher to try the name without it (`SUPERDRUG BOSTON`)."""
    known = places() if cities else {}
    end = len(words)
    codes = 0
    while end > keep and codes < 2 and _is_code(words[end - 1]):  # `TX`, `LONDON GB GBR`, `CHICAGO IL US`
        end, codes = end - 1, codes + 1
    city_start = end
    for size in (3, 2, 1):
        needed = keep if codes or size > 1 else max(keep, 2)
        if end - size >= needed and " ".join(words[end - size : end]).replace("-", " ") in known:
            city_start = end - size
            break
    tail = None
    if city_start == end and not codes and end >= 2 and words[-1].replace("-", " ") in known:
        tail = words[-1]
    if city_start == len(words):
        return words, None, tail
    return words[:city_start], " ".join(words[city_start:]) or None, None


def parse(descriptor: str, *, catalogue: bool = False) -> Parsed:
    """Take `descriptor` apart (see the module's docstring); never raises on any text. `catalogue=True`
    parses a catalogue name or alias: city names and numbers are name there (`Transport for London`,
    `Microsoft 365`)."""
    text = clean(descriptor)
    text = _BANK_WORDING.sub("", text)
    text = _CARD_TAIL.sub(" ", text)
    processor, text = _take_prefix(text, PROCESSORS)
    urls = list(_URL.finditer(text))
    url = urls[0].group(0) if urls else None
    pieces, at = [], 0
    for k, found in enumerate(urls):  # a domain with no letters before it is the name (`NETFLIX.COM`)
        named = k == 0 and not re.search(r"[A-Z]", text[: found.start()])
        pieces += [text[at : found.start()], f" {_domain_name(found.group(0))} " if named else " "]
        at = found.end()
    text = "".join(pieces) + text[at:]
    platform, text = _take_prefix(text.strip(), PLATFORMS)
    phone_match = _PHONE.search(text)
    phone = phone_match.group(0).strip() if phone_match else None
    if phone_match:
        text = text[: phone_match.start()] + " " + text[phone_match.end() :]
    text = _DATES.sub(" ", text)
    reference = None
    star = _STAR_REFERENCE.search(text)
    if star:
        reference = star.group(1)
        text = text[: star.start()] + " " + text[star.end() :]
    text = _GLUED_DIGITS.sub(" ", text)
    store_id = None
    store = _STORE.search(text)
    if store:
        store_id = store.group(1)
        text = text[: store.start()] + " " + text[store.end() :]
    text = _GLUED_AMPERSAND.sub(" & ", text)
    words: list[str] = []
    for word in _NOT_TEXT.sub(" ", text.replace("*", " * ")).split():
        digits = sum(c.isdigit() for c in word)
        # a number, or a code: letters and 4+ digits, or 3+ digits in 7+ characters (`BET365` is a name)
        # `MOTEL 6`, `FOREVER 21`: a short number after a word is name, as every number in a catalogue name is
        if digits and words and (len(word) <= 2 or catalogue):
            words.append(word)
            continue
        if digits and (
            digits == len(word.replace("-", ""))
            or digits >= 4
            or (digits >= 3 and len(word) >= 7)
            or (len(word) >= 6 and _INTERLEAVED.search(word))  # `U1WCZC`; `BET365` is a name
        ):
            if (len(word) >= 8 or digits < len(word)) and reference is None:
                reference = word
            elif store_id is None and digits >= 3:
                store_id = word
            continue  # numbers, codes and order ids are never part of a name
        word = word.replace("'", "").strip("-")  # `CHILI'S` prints as `CHILIS` as often as not
        if word and word not in _NOISE:
            words.append(word)
    words, location, place_tail = _location(words, 0 if platform else 1, cities=catalogue is False)
    detail = None
    star_words = 0
    if "*" in words:  # `MICROSOFT*XBOX`, `INTUIT *TURBOTAX`: what follows the star may name the product
        star_at = words.index("*")
        tail = [w for w in words[star_at + 1 :] if w != "*"]
        detail = " ".join(tail) or None
        codes = [w for w in tail if _code_like(w)]
        reference = reference or (codes[0] if codes else None)
        kept = [w for w in tail if w not in _BILLING and w not in codes]  # `EDEKA*PAYMENT`, `*DYHQHZ`
        words = words[:star_at] + kept
        star_words = len(kept) if star_at else 0
    via = None
    if platform is not None:
        via = " ".join(words) or detail or None
        if via is not None and via.replace(" ", "") == platform.replace(" ", ""):
            via = None
        words = platform.split()
    name = " ".join(words)
    return Parsed(
        descriptor=descriptor,
        name=name,
        processor=processor,
        platform=platform,
        via=via,
        store_id=store_id,
        location=location,
        phone=phone,
        url=url,
        reference=reference,
        detail=detail,
        words=tuple(name.lower().split()),
        place_tail=None if platform else place_tail,
        star_words=0 if platform or place_tail else min(star_words, max(len(words) - 1, 0)),
    )
