"""Person and company names reduced to comparable tokens, whatever script or spelling they arrive in.

Why: a watch list carries one or two spellings of a name, while payments carry whatever the sender
typed: another script ("Драгомир Петренко", "يوسف المرزاني"), another romanisation ("Youssef
El-Marzani"), another company suffix ("... Holding Ltd"), another order ("PETRENKO, Dragomir"). This
module removes the differences that never identify anyone, so that `features.screening` only has to
score the differences that might.

Pipeline (`name_forms`):
1. Unicode NFKC (full-width letters, ligatures), control and format characters become spaces, the
   input is cut at `MAX_INPUT_CHARS` characters and `MAX_TOKENS` tokens so that no input is slow.
2. Dotted acronyms are closed up ("S.A." -> "SA", "L.L.C." -> "LLC"); other dots split ("D.Petrenko").
3. The Arabic article ال is split off its word (it is written joined) and becomes the particle "al".
4. Each word is transliterated to ASCII with anyascii (Cyrillic, Greek, Arabic, CJK, accents...),
   apostrophes and ayn/hamza marks are removed ("O'Brien" -> "obrien"), camelCase is split
   ("OrtegaVance", "WangWei"), the rest is case-folded and split on anything not a letter or digit
   (so hyphens separate: "Benedetti-Ramos" -> "benedetti", "ramos").
5. Company-type and trade words in other languages are read as their English word ("شركة" company,
   "للتجارة" for trading, "Торговый" trading, "Shahn" shipping; Arabic prefixes wa-/bi-/li- and the
   article taken off first), so that they are classified below like the English ones. An Arabic or
   Hebrew word that starts with alif, hamza, ayn or aleph starts with "a" ("أحمد" -> "ahmd", like
   "Ahmed"; anyascii writes nothing or a mark for those letters).
6. Words are classified:
   - honorifics at the start ("Mr", "Dr", "Sheikh", ...), generational suffixes after the first word
     ("Jr", "III") and stop words ("the", "and", "of") are dropped;
   - connectors between two words ("bin", "ibn", "bint", Spanish "y") are dropped: they say "son of",
     not who;
   - particles ("al", "el", "ul", "abd", "abu", "van", "von", "de", "da", "di", "la", "le", "du", ...)
     are joined to the next word, and the token keeps that word as its `core`; a word that begins with
     a joined Arabic article or "abd"/"abu" ("Almarzani", "Abdulrahman") gets the same `core`. The
     matcher compares cores too, so "Al-Marzani", "Al Marzani", "Almarzani", "El Marzani" and
     "Marzani" are equal or nearly so;
   - legal-form words (ltd, limited, llc, inc, co, company, corp, sa, fze, gmbh, plc, ...) are dropped
     for matching: they say what kind of company it is, never which. They are kept when they are the
     first word ("Co-op Food") or when nothing else is left, unless the form leads names in its
     language ("ООО Ромашка", "شركة النور");
   - generic business words are kept but weighted low, with plurals folded ("Holdings" -> "holding"):
     words of a trade (shipping, exchange, trading, metals, realty, ...) at `BUSINESS_WEIGHT`, words of
     corporate shape (holding, group, international, ...) at `STRUCTURE_WEIGHT`. Dropping them would
     make "Novaterra Shipping" equal to a "Nova Terra Realty"; keeping them at full weight would let
     "Blue Harbor Exchange" look two-thirds like "Blue Lantern Exchange";
   - single letters are initials (kind INITIAL); everything else is a NAME.
7. Each token carries two phonetic keys: jellyfish's metaphone, and a consonant `skeleton` (spelling
   variants folded: q/k, c/k, soft c/s, z/s, zh/j, ch/k, kh/h, ph/f, an initial w/v, the Slavic "-ij"
   ending, doubled letters; vowels, h, w and y dropped after the first letter). The skeleton is what
   survives romanising a script that writes no short vowels: "يوسف" -> "ywsf" and "Yusuf" both give
   "ysf". Tokens from such scripts are flagged `vowelless` so the matcher compares them by skeleton.
   Tokens from syllabic scripts (Hangul, kana, Chinese characters) are flagged `transcribed`: a syllable is
   never a particle or an initial, and `NameForms.transcription` reads each such word whole besides. That
   reading also takes the words of a name romanised from Korean ("Beullu Raenteon", "Raent'ŏn":
   `_korean_romanised`) as transcriptions: a foreign name spelt by its Korean sounds in Latin letters. The
   name's ordinary reading stays as it is ("Mateo de la Cruz" keeps its particles).

Nothing here knows about a watch list; the same function prepares the listed names and the queries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import jellyfish
from anyascii import anyascii

__all__ = [
    "BUSINESS_WEIGHT",
    "INITIAL_WEIGHT",
    "MAX_INPUT_CHARS",
    "MAX_TOKENS",
    "STRUCTURE_WEIGHT",
    "NameForms",
    "NameToken",
    "TokenKind",
    "name_forms",
    "normalise",
    "skeleton",
    "tokenise",
    "transliterate",
]

MAX_INPUT_CHARS = 1_000
"""Longer input is cut: a name is never this long, and the cut bounds the cost of free text."""
MAX_TOKENS = 24
"""At most this many comparable tokens are kept per name (the pair matrix grows with the square)."""
BUSINESS_WEIGHT = 0.6
"""Weight of a line-of-business word ("shipping", "exchange") against 1.0 for a name word."""
STRUCTURE_WEIGHT = 0.3
"""Weight of a corporate-structure word ("holding", "group")."""
INITIAL_WEIGHT = 0.35
"""Weight of an initial: it confirms a first letter, it does not identify."""


class TokenKind(StrEnum):
    """What a token contributes to identifying a name."""

    NAME = "name"
    INITIAL = "initial"
    BUSINESS = "business"
    STRUCTURE = "structure"


@dataclass(frozen=True, slots=True)
class NameToken:
    """One comparable word of a name.

    `text` is the word as normalised (a particle joined in front: "almarzani"); `core` is the word
    without its particle ("marzani"), equal to `text` when there is none. `vowelless`: written in a
    script without short vowels (Arabic, Hebrew); `transcribed`: written in a syllabic script (Hangul,
    kana, Chinese characters), which spells a foreign name by its sounds; `spelt`: such a word read whole
    (`NameForms.transcription`), not syllable by syllable.
    """

    text: str
    core: str
    kind: TokenKind
    skeleton: str
    metaphone: str
    has_particle: bool = False
    vowelless: bool = False
    transcribed: bool = False
    spelt: bool = False

    @property
    def weight(self) -> float:
        """Share of the name this token stands for (name 1.0, the others lower)."""
        return _WEIGHTS[self.kind]


_WEIGHTS = {
    TokenKind.NAME: 1.0,
    TokenKind.INITIAL: INITIAL_WEIGHT,
    TokenKind.BUSINESS: BUSINESS_WEIGHT,
    TokenKind.STRUCTURE: STRUCTURE_WEIGHT,
}


@dataclass(frozen=True, slots=True)
class NameForms:
    """Every form of one name that the matcher compares.

    - `tokens`: comparable tokens in written order (legal forms, honorifics, stop words removed);
    - `normalised`: the tokens' text joined by spaces (the form for exact equality);
    - `sorted_compact`: the token texts sorted and joined without spaces (order- and split-free
      whole-string comparison);
    - `compact`: the token texts in order without spaces;
    - `transliterated`: whether the input held letters outside ASCII (a note for the match basis);
    - `transcription`: when words were written in a syllabic script, the tokens again with each such word
      read whole ("드라고미르" as "deulagomileu", not as its syllables "deu la go mi leu"); else empty.
    """

    tokens: tuple[NameToken, ...]
    normalised: str
    compact: str
    sorted_compact: str
    transliterated: bool
    transcription: tuple[NameToken, ...] = ()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


HONORIFICS = _words(
    "mr mrs ms miss mister madam dr doctor prof professor sir dame lord lady sheikh shaikh sheik shaykh "
    "haji hajji hadji sayed sayyid syed mullah hon honourable honorable rev reverend fr father "
    "gen general col colonel maj major capt captain lt herr frau monsieur mme mlle senor senora sr sra "
    "gospodin"
)
"""Titles dropped when they open a name ("Dr", "Sheikh"). Only leading ones: "General" inside a company
name ("County General Hospital") is a word of the name."""

STOP_WORDS = frozenset({"the", "and", "of", "for", "et", "und"})

CONNECTORS = frozenset({"bin", "ibn", "bint", "binti", "bn", "ben", "y", "lil"})
"""Dropped between two words ("Yusuf bin Ahmed", "Benedetti y Ramos", Arabic "lil-" = "for the" in
"Novaterra lil-Shahn"); kept first or last ("Ben Smith")."""

GENERATIONAL = frozenset({"jr", "jnr", "junior", "snr", "senior", "ii", "iii", "iv"})
"""Dropped anywhere but first ("Anatoly Voskresensky Jr"): they tell relatives apart, which the other
fields of a hit (date of birth) do better."""

PARTICLES: dict[str, str] = {
    # Arabic article and its romanisations, joined to the next word in one canonical spelling.
    "al": "al",
    "el": "al",
    "ul": "al",
    # "Abd al-Rahman", "Abu Bakr": part of the name, not the identifying part.
    "abd": "abd",
    "abdul": "abd",
    "abdel": "abd",
    "abdal": "abd",
    "abdur": "abd",
    "abu": "abu",
    "abou": "abu",
    # European particles.
    "van": "van",
    "von": "von",
    "der": "der",
    "den": "den",
    "de": "de",
    "da": "da",
    "di": "di",
    "del": "del",
    "della": "della",
    "dela": "dela",
    "dos": "dos",
    "das": "das",
    "du": "du",
    "la": "la",
    "le": "le",
    "ter": "ter",
    "ten": "ten",
}
"""Particles joined to the following word; one that ends the name stays a word of its own ("Thanh Le").
The sun-letter forms of the Arabic article ("as-", "ad-", "ar-") are left out: once the hyphen is gone
they are ordinary English and Asian words ("at", "an"), and a missed article costs little because the
core comparison already tolerates a particle on one side only."""

JOINED_PREFIXES = ("abdul", "abdel", "abdal", "abdur", "abd", "abu", "al", "el", "ul")
"""Particles often written joined ("Almarzani", "Abdulrahman"); the rest of the word, if it has at least
`_MIN_CORE` letters, becomes the token's core (an extra comparison, never a replacement: "Albert" keeps
"albert" as its text)."""
_MIN_CORE = 4

LEGAL_FORMS: dict[str, str] = {
    word: canonical
    for canonical, words in {
        "ltd": "ltd limited",
        "llc": "llc",
        "inc": "inc incorporated",
        "co": "co company cie",
        "corp": "corp corporation",
        "sa": "sa sas sarl sociedad anonima sab cv",
        "srl": "srl spa sl",
        "gmbh": "gmbh ag kg mbh",
        "plc": "plc",
        "lp": "lp llp",
        "bv": "bv nv",
        "oy": "oy oyj ab asa aps",
        "pte": "pte pty pvt",
        "jsc": "jsc ojsc cjsc pjsc ooo oao zao pao tov",
        "fze": "fze fzco fzc fzllc fz dmcc",
        "est": "est establishment",
        "bhd": "sdn bhd kk",
    }.items()
    for word in words.split()
}
"""Legal-form words and their one canonical form (dropped for matching, see the module docstring).
Norwegian/Danish "AS" is left out: it is also a common word ("Pay As You Go")."""


def _canonical(groups: dict[str, str]) -> dict[str, str]:
    """{canonical: "variant variant ..."} -> {variant: canonical}."""
    return {word: canonical for canonical, words in groups.items() for word in (canonical, *words.split())}


BUSINESS_WORDS = _canonical(
    {
        "trading": "trade traders trader",
        "shipping": "shipping",
        "exchange": "exch",
        "commodity": "commodities",
        "metal": "metals",
        "maritime": "marine",
        "bank": "banco",
        "capital": "",
        "investment": "investments invest",
        "consulting": "consultants consultancy",
        "logistics": "",
        "import": "imports importers export exports exporters",
        "resource": "resources",
        "energy": "",
        "finance": "financial",
        "security": "securities",
        "fund": "funds",
        "trust": "",
        "management": "mgmt",
        "development": "",
        "technology": "technologies tech",
        "construction": "",
        "property": "properties realty estate",
        "transport": "transportation",
        "payroll": "",
        "food": "foods",
    }
)
"""Words naming a line of business, folded to one singular form and weighted `BUSINESS_WEIGHT`. They
tell "Novaterra Shipping" from a "Novaterra Realty", but are not a name."""

STRUCTURE_WORDS = _canonical(
    {
        "holding": "holdings",
        "group": "grp",
        "international": "intl global worldwide",
        "enterprise": "enterprises",
        "industry": "industries industrial",
        "service": "services",
        "solution": "solutions",
        "system": "systems",
        "partner": "partners",
        "general": "",
    }
)
"""Words describing a company's shape, not its trade, weighted `STRUCTURE_WEIGHT`: "Karvonen Maritime
Group" and "Karvonen Maritime Holdings" are plausibly one company."""

_FOREIGN_SPELLINGS: dict[str, str] = {
    # English word: its spellings in other languages, native script and common romanisations. Arabic
    # entries come with the article or the preposition li- glued on, as they are written.
    "company": "شركة شركت شرکت sharikat sharika sharikah shirkat sherkat sirketi şirketi компания kompaniya "
    "компанія kompaniia societe société compagnie compania compañía companhia gesellschaft gongsi 公司",
    "establishment": "مؤسسة muassasa muassasat muassasah",
    "limited": "المحدودة محدودة almahdouda mahduda youxian 有限",
    "trading": "تجارة للتجارة التجارية تجارية تجارت التجارة tijara tijarah tijari tijariya tijariyah tejarat "
    "tejarati بازرگانی bazargani торговый торговая торговое torgovyy torgovy torgovyi torgovij torgovaya "
    "торгівельна ticaret maoyi 贸易 comercial comercio commerce handel handels",
    "shipping": "شحن للشحن الشحن shahn shaḥn کشتیرانی keshtirani судоходная судоходный sudokhodnaya "
    "sudokhodnyy denizcilik haiyun 海运 naviera reederei",
    "maritime": "البحرية بحرية البحري bahriya bahria bahriyah морской morskoy morskaya morskoe maritima marittima",
    "bank": "بنك مصرف bonyad банк",
    "exchange": "صرافة للصرافة الصرافة sarafa sarrafa sirafa обмен obmen sarraf",
    "investment": "استثمار للاستثمار الاستثمار istithmar инвест инвестиции investitsii inversiones investimentos",
    "transport": "النقل للنقل نقل naql транспорт transportes transports",
    "group": "مجموعة majmuat majmua majmouaa группа gruppa grupo groupe gruppe jituan 集团",
    "international": "الدولية دولية dawliya dowliya международный mezhdunarodnyy internacional "
    "internationale guoji 国际",
    "holding": "القابضة قابضة qabida qabidah холдинг kholding",
    "general": "العامة عامة amma",
}
"""Company-type and trade words in other languages, read as their English word (then classified like
it): "شركة النور للتجارة" is "Company Al-Nour Trading", "ООО Торговый дом" a trading company. A listed
"Novaterra Shipping Co" written "Novaterra lil-Shahn" (Arabic "for shipping") otherwise looks like a
different company whose name has an extra word."""

_VOWELLESS_PREFIXES = ("wll", "bll", "ll", "wl", "bl", "l", "w", "b")
"""Arabic prefixes written joined, as transliterated: wa- (and), bi- (by), li- (for), with the article."""


LEADING_LEGAL_FORMS = frozenset(
    {"company", "establishment", "ooo", "oao", "zao", "pao", "pjsc", "jsc", "cjsc", "ojsc", "tov"}
)
"""Legal forms that open a name in their language ("ООО Ромашка", "شركة النور"): dropped there too."""

_ACRONYM = re.compile(r"(?<!\w)(?:[^\W\d_]\.){2,}")
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06FF])\u0627\u0644(?=[\u0600-\u06FF]{2,})")
# Hebrew, Arabic (with its supplements and presentation forms) and Syriac: scripts without short vowels.
_VOWELLESS_SCRIPT = re.compile(
    r"[\u0590-\u05FF\u0600-\u06FF\u0700-\u074F\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"
)
# Hangul (syllables and jamo), kana and the CJK ideographs: scripts that spell a foreign name syllable by
# syllable, with vowels between consonants the name never had ("Dragomir" is "드라고미르", deu-ra-go-mi-reu)
_SYLLABIC_SCRIPT = re.compile(r"[\u1100-\u11FF\u3040-\u30FF\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF]")
_VOWEL_CARRIERS = frozenset("\u0627\u0623\u0625\u0622\u0621\u0639\u05d0\u05e2")
# Korean written in Latin letters: a word of Revised Romanisation syllables (an initial, a vowel, a final), and
# a name that is Korean romanised when one of its words carries a McCune-Reischauer breve ("Raent'ŏn") or
# reads so with a vowel only Korean romanisation writes, "eu" or "eo" ("Beullu Raenteon": 블루 랜턴, Blue
# Lantern spelt by its Korean sounds). Its words that read so (3+ letters: "de", "la" stay particles) are read
# as transcriptions besides, as Hangul's are.
_RR_INITIALS = ("", "kk", "tt", "pp", "ss", "jj", "ch", *"gkndtrlmbpsjh")
_RR_VOWELS = (
    "yae",
    "yeo",
    "wae",
    "ae",
    "ya",
    "eo",
    "ye",
    "wa",
    "oe",
    "yo",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    *"aeiou",
)
_RR_SYLLABLES = frozenset(i + v + f for i in _RR_INITIALS for v in _RR_VOWELS for f in ("", "ng", *"kntlmpgdb"))
_RR_LONGEST = max(map(len, _RR_SYLLABLES))
_RR_MAX_LETTERS = 24  # a longer word is no name's (and the check stays short)
_MR_BREVE = re.compile("[ŏŭŎŬ]")
_SPLIT = re.compile(r"[^\w'’`ʻʼ]+|_")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_MARKS = re.compile(r"['’`ʻʼ]")


def _foreign_words() -> dict[str, str]:
    """Each foreign spelling as `_raw_words` makes it (the Arabic article split off) -> its English word."""
    table: dict[str, str] = {}
    for english, spellings in _FOREIGN_SPELLINGS.items():
        for spelling in spellings.split():
            words = _raw_words(spelling)
            if words:
                table[words[-1][0]] = english
    return table


def _translated(word: str, vowelless: bool) -> str:
    """The English word for a foreign company-type or trade word, else the word itself."""
    english = _FOREIGN_WORDS.get(word)
    if english is None and vowelless:
        for prefix in _VOWELLESS_PREFIXES:
            if word.startswith(prefix) and (english := _FOREIGN_WORDS.get(word[len(prefix) :])):
                break
    return english or word


def _clean(text: str) -> str:
    """NFKC, control and format characters to spaces, cut to `MAX_INPUT_CHARS`."""
    text = unicodedata.normalize("NFKC", text[: MAX_INPUT_CHARS * 2])[:MAX_INPUT_CHARS]
    return "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)


def transliterate(text: str) -> str:
    """Any script to ASCII Latin (anyascii), keeping case; e.g. "Драгомир" -> "Dragomir"."""
    return anyascii(text)


@lru_cache(maxsize=8192)
def skeleton(word: str) -> str:
    """Consonant skeleton of an ASCII lower-case word: spelling variants folded, vowels dropped after the first.

    Why: romanisations disagree mostly on vowels and on how to write one sound (q/k, zh/j, ph/f), and
    scripts such as Arabic do not write short vowels at all. "Yusuf", "Youssef" and "ywsf" (يوسف)
    all give "ysf"; "Qasemi", "Kasemi", "qsmy" give "ksm".
    """
    if not word:
        return ""
    w = _SLAVIC_ENDING.sub("", word)
    for src, dst in (("tsch", "k"), ("sch", "s"), ("tch", "k"), ("dzh", "j"), ("zh", "j"), ("ch", "k"), ("kh", "h")):
        w = w.replace(src, dst)
    for src, dst in (("gh", "g"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("x", "ks")):
        w = w.replace(src, dst)
    w = _SOFT_C.sub("s", w).translate(_FOLD)
    head = "a" if w[0] in "aeiou" else "v" if w[0] == "w" else w[0]
    out = [head]
    for ch in w[1:]:
        if ch in "aeiouyhw" or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


_SLAVIC_ENDING = re.compile(r"(?<=[aeiouy])j$")
_SOFT_C = re.compile(r"c(?=[eiy])")
_FOLD = str.maketrans({"q": "k", "c": "k", "z": "s"})
# "-ij" is the scientific and German spelling of the Russian "-ий" ("Anatolij" = "Anatoly"). After "ch"
# became "k", every "c" left is /k/ or a soft c made "s"; "w" is a vowel letter inside romanised Arabic
# ("ywsf") and a "v" at the start ("Woskresensky").


def _reads_as_korean(word: str) -> bool:
    """True when the lower-case ASCII `word` splits into Revised Romanisation syllables (`_RR_SYLLABLES`): the
    positions reachable from the start, each tried once (linear in the word's length, whatever its letters)."""
    if not 0 < len(word) <= _RR_MAX_LETTERS or not word.isascii():
        return False
    reachable = [True] + [False] * len(word)
    for start in range(len(word)):
        if reachable[start]:
            for end in range(start + 1, min(len(word), start + _RR_LONGEST) + 1):
                if word[start:end] in _RR_SYLLABLES:
                    reachable[end] = True
    return reachable[-1]


def _korean_romanised(chunks: list[str]) -> bool:
    """True when a name's words are Korean in Latin letters (`_reads_as_korean`, `_MR_BREVE`)."""
    for chunk in chunks:
        if _MR_BREVE.search(chunk):
            return True
        word = chunk.casefold()
        if len(word) >= 4 and ("eu" in word or "eo" in word) and _reads_as_korean(word):
            return True
    return False


def _raw_words(text: str, *, whole_syllabic: bool = False, korean: bool = False) -> list[tuple[str, bool, bool]]:
    """Split cleaned input into ASCII lower-case words: (word, written in a script without short vowels,
    written in a syllabic script, or, given `korean` (the name is romanised from Korean: `_korean_romanised`), a
    word of 3+ letters that reads as Korean syllables). A syllabic word is split into its syllables
    ("GimJeongIl"), or kept whole with `whole_syllabic`."""
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _ARABIC_ARTICLE.sub("al ", text.replace(".", " "))
    words: list[tuple[str, bool, bool]] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        vowelless = _VOWELLESS_SCRIPT.search(chunk) is not None
        syllabic = _SYLLABIC_SCRIPT.search(chunk) is not None
        ascii_chunk = _MARKS.sub("", transliterate(_MARKS.sub("", chunk)))
        if korean and not syllabic and len(ascii_chunk) >= 3 and _reads_as_korean(ascii_chunk.casefold()):
            syllabic = True
        if vowelless and chunk[0] in _VOWEL_CARRIERS:
            # alif, hamza, ayn, aleph: the word starts with a vowel ("أحمد" Ahmed, "عمر" Omar, "اسامة" Osama)
            ascii_chunk = "a" + _MARKS.sub("", transliterate(chunk[1:]))
        pieces = [ascii_chunk] if syllabic and whole_syllabic else _CAMEL.split(ascii_chunk)
        for piece in pieces:
            for word in _NON_ALNUM.split(piece.casefold()):
                if word:
                    words.append((word, vowelless, syllabic))
                    if len(words) >= MAX_TOKENS * 2:
                        return words
    return words


_FOREIGN_WORDS = _foreign_words()


def _make_token(
    text: str,
    core: str,
    kind: TokenKind,
    *,
    has_particle: bool,
    vowelless: bool,
    transcribed: bool = False,
    spelt: bool = False,
) -> NameToken:
    return NameToken(
        text=text,
        core=core,
        kind=kind,
        skeleton=skeleton(core),
        metaphone=_metaphone(core),
        has_particle=has_particle,
        vowelless=vowelless,
        transcribed=transcribed,
        spelt=spelt,
    )


@lru_cache(maxsize=8192)
def _metaphone(word: str) -> str:
    return jellyfish.metaphone(word) if word.isalpha() else word


def _joined_core(word: str) -> str:
    """The word without a joined Arabic article or "abd"/"abu" ("almarzani" -> "marzani"), else ''."""
    for prefix in JOINED_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_CORE:
            return word[len(prefix) :]
    return ""


def _classify(words: list[tuple[str, bool, bool]], *, whole_syllabic: bool = False) -> list[NameToken]:
    """Drop honorifics, stop words, connectors and legal forms; join particles; type the rest (a syllabic
    word is `spelt` when `whole_syllabic` read it whole)."""
    # a translated word is English now: compared by its letters, not by an Arabic consonant skeleton
    words = [(t, v and t == w, y and t == w) for w, v, y in words for t in (_translated(w, v),)]
    while len(words) > 1 and words[0][0] in HONORIFICS:
        words = words[1:]
    kept = [
        w
        for i, w in enumerate(words)
        if w[0] not in STOP_WORDS
        and not (w[0] in CONNECTORS and 0 < i < len(words) - 1)
        and not (w[0] in GENERATIONAL and i > 0)
    ]
    if not kept:
        kept = words
    without_legal = [
        w for i, w in enumerate(kept) if w[0] not in LEGAL_FORMS or (i == 0 and w[0] not in LEADING_LEGAL_FORMS)
    ]
    if without_legal:
        kept = without_legal

    tokens: list[NameToken] = []
    pending: list[str] = []
    for i, (word, vowelless, syllabic) in enumerate(kept):
        # a syllable of a syllabic script is no particle ("라" is la, as in 드라고미르)
        if word in PARTICLES and not syllabic and i < len(kept) - 1 and not kept[i + 1][0].isdigit():
            following = kept[i + 1][0]
            if following not in BUSINESS_WORDS and following not in STRUCTURE_WORDS:
                pending.append(PARTICLES[word])
            continue  # the article of a trade word ("al-tijara") goes with it
        if pending:
            tokens.append(
                _make_token(
                    "".join(pending) + word,
                    word,
                    TokenKind.NAME,
                    has_particle=True,
                    vowelless=vowelless,
                    transcribed=syllabic,
                    spelt=syllabic and whole_syllabic,
                )
            )
            pending = []
        elif len(word) == 1 and word.isalpha() and not syllabic:
            tokens.append(_make_token(word, word, TokenKind.INITIAL, has_particle=False, vowelless=False))
        elif word in BUSINESS_WORDS or word in STRUCTURE_WORDS:
            canonical = BUSINESS_WORDS.get(word) or STRUCTURE_WORDS[word]
            kind = TokenKind.BUSINESS if word in BUSINESS_WORDS else TokenKind.STRUCTURE
            tokens.append(_make_token(canonical, canonical, kind, has_particle=False, vowelless=False))
        else:
            core = _joined_core(word)
            tokens.append(
                _make_token(
                    word,
                    core or word,
                    TokenKind.NAME,
                    has_particle=bool(core),
                    vowelless=vowelless,
                    transcribed=syllabic,
                    spelt=syllabic and whole_syllabic,
                )
            )
        if len(tokens) >= MAX_TOKENS:
            break
    return tokens


def name_forms(name: str) -> NameForms:
    """Every normalised form of `name` that the matcher compares (see the module docstring)."""
    cleaned = _clean(name)
    words = _raw_words(cleaned)
    tokens = tuple(_classify(words))
    texts = [t.text for t in tokens]
    transcription: tuple[NameToken, ...] = ()
    # a second reading, words whole: of a syllabic script, or of a name romanised from Korean (decided once here)
    korean = _korean_romanised([chunk for chunk in _SPLIT.split(cleaned) if chunk])
    if korean or any(syllabic for _, _, syllabic in words):
        whole = _raw_words(cleaned, whole_syllabic=True, korean=korean)
        transcription = tuple(_classify(whole, whole_syllabic=True))
    return NameForms(
        tokens=tokens,
        normalised=" ".join(texts),
        compact="".join(texts),
        sorted_compact="".join(sorted(texts)),
        transliterated=any(ch.isalpha() and not ch.isascii() for ch in cleaned),
        transcription=transcription if transcription != tokens else (),
    )


def tokenise(name: str) -> list[NameToken]:
    """The comparable tokens of `name`, in written order."""
    return list(name_forms(name).tokens)


def normalise(name: str) -> str:
    """The canonical spelling of `name` for exact equality ("PETRENKO, Dragomir" -> "petrenko dragomir")."""
    return name_forms(name).normalised
