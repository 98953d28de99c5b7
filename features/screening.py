"""Screening of counterparty names against a sanctions / watch list, robust to script and spelling.

Why not trigram similarity in SQL: trigrams see "Драгомир Петренко" and "Dragomir Petrenko" as
unrelated and "PETRENKO, DRAGOMIR" as another string, and they score unrelated names that share a long
word ("Blue Harbor Exchange") high. Serious screeners (OFAC's search tool, moov-io/watchman,
OpenSanctions' nomenklatura) compare normalised *tokens* with Jaro-Winkler and check how they sound;
this module does the same in pure Python, for one name online or a batch offline.

Score of a query against one listed spelling (the name or an alias), in [0, 1]:
1. Both sides go through `features.names.name_forms` (transliteration, case, particles, honorifics and
   legal forms dropped). Token weights: name word 1.0, trade word ("shipping") 0.6, initial 0.35,
   corporate-shape word ("holding") 0.3. Equal normalised forms score 1.0.
2. Token similarity, watchman's custom Jaro-Winkler: Jaro-Winkler (prefix weight 0.1), times
   `1 - (1 - ratio) * 0.3` when the shorter token is under 0.9 of the longer's length, times 0.9 when the
   first letters fall in different Soundex classes. Tokens with a particle are also compared without it
   ("almarzani" / "marzani", x`PARTICLE_MISMATCH` if only one side had it). Equal metaphone or consonant
   skeleton (3+ letters) lifts it to `PHONETIC_SIM`; a leading j before a vowel read as the other's y ("Jusuf" /
   "Yusuf") counts, at most `J_AS_Y_SIM` (for review), when the words are then at least `J_AS_Y_MIN` alike;
   against a listed trade word (folded to its singular) the metaphone counts without a plural's final s
   ("Kumuditiz" / "Commodities"). A token written in a
   script without short vowels (Arabic, Hebrew) is compared by skeleton only (v and p folded into f and b,
   letters Arabic lacks) and never above `VOWELLESS_SIM`; the name's score then stays under `VOWELLESS_CAP`.
   A query token written in a syllabic script (Hangul, kana, Chinese characters: a foreign name spelt by its
   sounds) is compared the same way, by skeleton, under the same cap unless every word is equal. Such a word
   is also read whole (`NameForms.transcription`: "드라고미르" as "deulagomileu", whose skeleton is
   Dragomir's, not as its syllables) and the better of the two readings counts. A whole word of 3+
   consonants folds the letters those scripts do not keep apart (`_SYLLABIC_FOLD`: l/r, b/p/f/v, d/t, g/k,
   j/s/z) and may match two listed words joined when it has 5+; a syllable only the voicing and l/r its
   romanisations disagree on (`_ROMANISATION_FOLD`: 김 is Gim or Kim, but 王伟 is no "Fang Bo", 성 no 정).
   A listed spelling in such a script is compared as written (a Latin query does not fold against it).
   A query initial against a listed word with that letter scores `INITIAL_SIM` ("D. Petrenko"); a query word
   against a listed initial only `LISTED_INITIAL_SIM`, so an alias "D. Petrenko" does not put every "Daniel
   Petrenko" on alert. Two adjacent tokens are also tried joined against one token on the other side,
   weighing as one word ("Blue Lantern" / "BlueLantern"). Pairs under `MIN_TOKEN_SIM` do not match.
3. Best pairs: pairs are taken greedily by similarity, each token used once (word order is free):

       score = sum(s * (w_q + w_l)) / (sum(w_q + w_l) + sum(u * w_l, unmatched listed)
                                       + lambda * sum(w_q, unmatched query))

   u is `UNMATCHED_LISTED` (0.75) for a name word or initial (an initial then weighs 1.0: it stands
   for a given name) and `UNMATCHED_LISTED_GENERIC` (0.35) for a trade or shape word. lambda is
   `EXTRA_QUERY` (0.25) when the query only adds words (a middle name) and 1.0 when a listed name
   word, initial or trade word is missing too: then the words conflict ("Maria Petrenko", "Nova Terra
   Realty") and the score is also capped at `MISSING_CAP`, below a block. So a lone "Petrenko" scores
   2 / 2.75 = 0.73 against "Dragomir Petrenko", "Novaterra" alone 0.90 against "Novaterra Shipping Co",
   "Blue Lantern" 0.94 against "Blue Lantern Exchange", "Drago Petrenko" 0.91 (review, not a block).
4. Whole string (OFAC's second score): Jaro-Winkler of the token texts joined without spaces, in
   written and in sorted order, when the first letters agree; it counts only from `WHOLE_STRING_MIN`
   and then times `WHOLE_STRING_FACTOR`. Below that it mostly measures a shared first word
   ("Goldcrest Dental" / "Goldcrest Metals" is 0.96), which step 3 judges better; it is there for
   splits in odd places ("Kar vo nen Maritime"). Not used for vowelless scripts.
5. The spelling's score is the larger of 3 and 4; an entity's score is its best spelling's.

Thresholds, set on hand-written variants and on ~900 ordinary names (tests/features/test_screening.py):
- `DEFAULT_THRESHOLD` = 0.87: alert for review. Every listed name word must be found at about 0.87
  or better (a trade or shape word may be missing); a surname alone, a shared first name, a shared
  trade word stay below.
- `STRONG_THRESHOLD` = 0.95: exact or near-exact (a listed spelling after normalisation, reordered,
  one typo, an extra middle name or initial); the API blocks on it. Arabic-script spellings (capped
  by skeleton), query initials and missing words never reach it: they go to review.

Speed: an inverted index of token prefixes, suffixes and skeleton prefixes picks the candidate
spellings and only those are scored (tens of microseconds per name for the fictional list).
Deterministic: no randomness, candidates scored in index order, ties broken by entity id.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from rapidfuzz.distance import JaroWinkler

from features.names import NameForms, NameToken, TokenKind, name_forms, skeleton

__all__ = [
    "DEFAULT_THRESHOLD",
    "STRONG_THRESHOLD",
    "EntityType",
    "Match",
    "Screener",
    "WatchListEntry",
    "WatchListError",
    "load_watchlist",
    "watchlist_from_rows",
]

DEFAULT_THRESHOLD = 0.87
"""Alert (review) at or above this score."""
STRONG_THRESHOLD = 0.95
"""Exact or near-exact match at or above this score (block)."""

MIN_TOKEN_SIM = 0.80
"""Token pairs below this similarity are not a match."""
INITIAL_SIM = 0.85
"""A query initial against a listed word with that first letter ("D. Petrenko" / "Dragomir Petrenko")."""
LISTED_INITIAL_SIM = 0.6
"""A query word against a listed initial ("Daniel Petrenko" / "D. Petrenko"): weak, so that an alias
with an initial does not put every "D... Petrenko" at the alert threshold."""
PHONETIC_SIM = 0.92
"""Floor for tokens with equal metaphone or consonant skeleton of 3+ letters ("Kasemi" / "Qasemi")."""
J_AS_Y_MIN = 0.85
"""A leading j read as the other word's y counts only when the two are then this alike ("Jusuf" / "Yusuf",
"Jevgenij" / "Yevgeny"; not "Jones" / "Yunus")..."""
J_AS_Y_SIM = 0.88
"""... and then at most this: a name matched through it stays under the block threshold (for review: "Jason" may
be a "Yasin" spelt the German way, or a Jason)."""
VOWELLESS_SIM = 0.93
"""Ceiling for a token written in a script without short vowels, compared by skeleton."""
PARTICLE_MISMATCH = 0.97
"""Factor on the core comparison when only one side carried a particle ("Marzani" / "Al-Marzani")."""
UNMATCHED_LISTED = 0.75
"""Factor on the weight of listed name words and initials the query does not contain."""
UNMATCHED_LISTED_GENERIC = 0.35
"""Factor on the weight of listed trade and corporate-shape words the query does not contain: "Novaterra"
alone still alerts for "Novaterra Shipping Co"."""
VOWELLESS_CAP = 0.94
"""Ceiling when a name word was compared by consonant skeleton only (Arabic, Hebrew script): without
vowels two names can share a skeleton, so such a match is for review, never a block, even when the
trade words around it ("للشحن", shipping) match exactly."""
MISSING_CAP = 0.94
"""Ceiling when a listed name word, initial or trade word is missing: "Blue Lantern" is worth a review
for "Blue Lantern Exchange", not a block."""
EXTRA_QUERY = 0.25
"""Factor on the weight of extra query tokens when every listed token matched."""
WHOLE_STRING_MIN = 0.97
"""Whole-string Jaro-Winkler below this is ignored (it overrates names that share a long first word)."""
WHOLE_STRING_FACTOR = 0.97
"""Factor on a whole-string Jaro-Winkler that counts: a split in an odd place is near-exact, not exact."""

# a spelt word is compared with two listed words joined from this many consonants (a name, not two syllables)
_JOINED_SPELT_MIN = 5
_CONFLICT_KINDS = frozenset({TokenKind.NAME, TokenKind.BUSINESS, TokenKind.INITIAL})
_WATCHLIST_COLUMNS = ("entity_id", "name", "entity_type", "program", "country", "aliases")
_SOUNDEX_CLASS = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


class WatchListError(ValueError):
    """A watch list file or row is malformed (stable code `watchlist_invalid`)."""

    code = "watchlist_invalid"


class EntityType(StrEnum):
    """What a listed party is."""

    INDIVIDUAL = "INDIVIDUAL"
    ENTITY = "ENTITY"


@dataclass(frozen=True, slots=True)
class WatchListEntry:
    """One listed party with its aliases (other spellings the list itself publishes)."""

    entity_id: str
    name: str
    entity_type: EntityType
    program: str
    country: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """A listed party whose name (or an alias) resembles the screened name.

    `listed_name` is the list's spelling that matched best; `basis` says in a few words why.
    """

    entity_id: str
    listed_name: str
    program: str
    score: float
    basis: str


def watchlist_from_rows(rows: Iterable[Mapping[str, str]]) -> list[WatchListEntry]:
    """Entries from rows with the watch list's columns (aliases separated by `|`)."""
    entries: list[WatchListEntry] = []
    for number, row in enumerate(rows, start=1):
        missing = [c for c in _WATCHLIST_COLUMNS if c not in row]
        if missing:
            raise WatchListError(f"row {number}: missing column(s) {', '.join(missing)}")
        name = (row["name"] or "").strip()
        entity_id = (row["entity_id"] or "").strip()
        if not name or not entity_id:
            raise WatchListError(f"row {number}: entity_id and name are required")
        try:
            entity_type = EntityType((row["entity_type"] or "").strip().upper())
        except ValueError as exc:
            raise WatchListError(f"row {number}: entity_type must be INDIVIDUAL or ENTITY") from exc
        aliases = tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip())
        entries.append(
            WatchListEntry(
                entity_id=entity_id,
                name=name,
                entity_type=entity_type,
                program=(row["program"] or "").strip(),
                country=(row["country"] or "").strip(),
                aliases=aliases,
            )
        )
    return entries


def load_watchlist(path: str | os.PathLike[str] | None = None) -> list[WatchListEntry]:
    """Read a watch list CSV; without a path, the simulator's fictional list shipped with `ledger`."""
    if path is None:
        text = files("ledger.simulator").joinpath("data/watchlist.csv").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8-sig")  # tolerate a spreadsheet's BOM
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _WATCHLIST_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise WatchListError(f"watch list lacks column(s) {', '.join(missing)}")
    return watchlist_from_rows(reader)


@dataclass(frozen=True, slots=True)
class _Joined:
    """Two adjacent tokens of one side written as one word, for "Blue Lantern" / "BlueLantern".

    It weighs as one word: "Novaterra" must not gain from being listed as "Nova Terra".
    """

    first: int
    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class _Spelling:
    """One listed spelling (name or alias) prepared for scoring."""

    entry: int
    listed_name: str
    forms: NameForms
    joined: tuple[_Joined, ...]


@dataclass(slots=True)
class _Scored:
    score: float
    notes: list[str] = field(default_factory=list)


def _joined(tokens: tuple[NameToken, ...]) -> tuple[_Joined, ...]:
    return tuple(
        _Joined(i, a.text + b.text, max(a.weight, b.weight))
        for i, (a, b) in enumerate(itertools.pairwise(tokens))
        if a.kind is TokenKind.NAME
        and b.kind is not TokenKind.INITIAL
        and not (a.vowelless or b.vowelless or a.transcribed or b.transcribed)
    )


@lru_cache(maxsize=65_536)
def _jw(a: str, b: str) -> float:
    """watchman's custom Jaro-Winkler: length-ratio and first-letter-class penalties.

    Tokens under half the other's length return 0 without computing: their Jaro is at most 0.83, their
    Jaro-Winkler at most 0.90, and the length penalty takes that under `MIN_TOKEN_SIM`. Cached (bounded):
    the same token pairs recur across a list's spellings and across queries.
    """
    if not a or not b:
        return 0.0
    ratio = min(len(a), len(b)) / max(len(a), len(b))
    if ratio < 0.5:
        return 0.0
    score = JaroWinkler.similarity(a, b, prefix_weight=0.1)
    if ratio < 0.9:
        score *= 1 - (1 - ratio) * 0.3
    if _SOUNDEX_CLASS.get(a[0], "0") != _SOUNDEX_CLASS.get(b[0], "0"):
        score *= 0.9
    return score


def _token_sim(q: NameToken, w: NameToken) -> tuple[float, str]:
    """Similarity of a query token and a listed token, with a tag for the match basis."""
    if q.text == w.text:
        return 1.0, ""
    if q.kind is TokenKind.INITIAL or w.kind is TokenKind.INITIAL:
        if q.kind is w.kind or q.text[0] != w.text[0]:
            return 0.0, ""
        # "D." in the query fits "Dragomir"; "Daniel" in the query merely does not contradict a listed "D.".
        return (INITIAL_SIM if q.kind is TokenKind.INITIAL else LISTED_INITIAL_SIM), "initial"
    if q.vowelless or w.vowelless:
        qs, ws = _arabic_letters(q.skeleton), _arabic_letters(w.skeleton)
        if qs == ws:
            return VOWELLESS_SIM, "consonant skeleton"
        return _jw(qs, ws) * VOWELLESS_SIM, "consonant skeleton"
    if q.transcribed:
        # a whole transcribed word folds every letter its script does not keep apart; a syllable, or a word of
        # under three consonants, only the voicing and l/r its romanisations disagree on (王伟 is no "Fang Bo")
        strong = q.spelt and len(q.skeleton) >= 3 and len(w.skeleton) >= 3
        qs, ws = _syllabic_letters(q.skeleton, strong), _syllabic_letters(w.skeleton, strong)
        if qs == ws:
            return VOWELLESS_SIM, "transcription"
        return _jw(qs, ws) * VOWELLESS_SIM, "transcription"
    score, tag = _jw(q.text, w.text), ""
    if q.has_particle or w.has_particle:
        factor = 1.0 if q.has_particle == w.has_particle else PARTICLE_MISMATCH
        core = _jw(q.core, w.core) * factor
        if core > score:
            score, tag = core, "particle"
    if (jy := _j_as_y(q, w)) > score:
        score, tag = jy, "j as y"
    if score < PHONETIC_SIM and (
        (q.skeleton == w.skeleton and len(q.skeleton) >= 3)
        or (q.metaphone == w.metaphone and len(q.metaphone) >= 3)
        or (w.kind is TokenKind.BUSINESS and _singular_key(q.metaphone) == _singular_key(w.metaphone) is not None)
    ):
        score, tag = PHONETIC_SIM, "phonetic key"
    return score, tag


def _j_as_y(q: NameToken, w: NameToken) -> float:
    """The tokens' similarity when one's leading j before a vowel is read as the other's y (the j of German, Dutch,
    Nordic and Slavic Latin spellings: "Jusuf", "Jelena", "Jevgenij" are "Yusuf", "Yelena", "Yevgeny"), when the
    rest is as alike as a spelling variant (`J_AS_Y_MIN`: "Jones" is no "Yunus"), at most `J_AS_Y_SIM`; else 0."""
    a, b = q.text, w.text
    if {a[:1], b[:1]} != {"j", "y"} or a[1:2] not in _VOWELS or b[1:2] not in _VOWELS:
        return 0.0
    score = _jw("y" + a[1:], "y" + b[1:])
    return min(score, J_AS_Y_SIM) if score >= J_AS_Y_MIN else 0.0


def _singular_key(metaphone: str) -> str | None:
    """A metaphone without a plural's final s, when 3+ letters are left: a listed trade word is folded to its
    singular ("Commodities" is "commodity", KMTT) while a transliteration keeps the plural it heard
    ("Kumuditiz", KMTTS)."""
    key = metaphone[:-1] if metaphone.endswith("S") else metaphone
    return key if len(key) >= 3 else None


def _best_pairs(query: NameForms, q_joined: tuple[_Joined, ...], spelling: _Spelling) -> _Scored:
    """Greedy best-pair assignment (each token once) and the weighted score of the module docstring."""
    q_tokens, w_tokens = query.tokens, spelling.forms.tokens
    candidates: list[tuple[float, float, tuple[int, ...], tuple[int, ...], str]] = []
    for i, q in enumerate(q_tokens):
        for j, w in enumerate(w_tokens):
            sim, tag = _token_sim(q, w)
            if sim >= MIN_TOKEN_SIM:
                candidates.append((sim, q.weight + w.weight, (i,), (j,), tag))
    for jq in q_joined:
        for j, w in enumerate(w_tokens):
            if w.kind is not TokenKind.INITIAL and not (w.vowelless or w.transcribed):
                sim = _jw(jq.text, w.text)
                if sim >= MIN_TOKEN_SIM:
                    candidates.append((sim, jq.weight + w.weight, (jq.first, jq.first + 1), (j,), "joined words"))
    for jw_ in spelling.joined:
        for i, q in enumerate(q_tokens):
            if q.kind is TokenKind.INITIAL or q.vowelless:
                continue
            # a double-barrelled name written as one transcribed word ("오르테가반스", Ortega-Vance): a long one
            # only (two syllables are not two listed words: 王伟 is no "Fang Bo")
            if q.transcribed and not (q.spelt and len(q.skeleton) >= _JOINED_SPELT_MIN):
                continue
            sim, tag = (
                _token_sim(q, replace(q, text=jw_.text, skeleton=skeleton(jw_.text), transcribed=False))
                if q.transcribed
                else (_jw(q.text, jw_.text), "joined words")
            )
            if sim >= MIN_TOKEN_SIM:
                candidates.append((sim, q.weight + jw_.weight, (i,), (jw_.first, jw_.first + 1), tag))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))

    used_q: set[int] = set()
    used_w: set[int] = set()
    matched = total = 0.0
    tags: list[str] = []
    order: list[tuple[int, int]] = []
    for sim, weight, qi, wi, tag in candidates:
        if used_q.intersection(qi) or used_w.intersection(wi):
            continue
        used_q.update(qi)
        used_w.update(wi)
        matched += sim * weight
        total += weight
        order.append((qi[0], wi[0]))
        if tag and tag not in tags:
            tags.append(tag)
    if not order:
        return _Scored(0.0)
    missing = [t for j, t in enumerate(w_tokens) if j not in used_w]
    # A listed initial stands for a whole given name: missing, it weighs as one ("Petrenko" / "D. Petrenko").
    missing_weight = sum(
        UNMATCHED_LISTED * (1.0 if t.kind is TokenKind.INITIAL else t.weight)
        if t.kind in (TokenKind.NAME, TokenKind.INITIAL)
        else UNMATCHED_LISTED_GENERIC * t.weight
        for t in missing
    )
    extra_q = sum(t.weight for i, t in enumerate(q_tokens) if i not in used_q)
    conflict = any(t.kind in _CONFLICT_KINDS for t in missing)
    score = matched / (total + missing_weight + (1.0 if conflict else EXTRA_QUERY) * extra_q)
    if conflict:
        score = min(score, MISSING_CAP)
    if "consonant skeleton" in tags or "transcription" in tags:
        score = min(score, VOWELLESS_CAP)
    by_query = [w for _, w in sorted(order)]
    if by_query != sorted(by_query):
        tags.append("word order")
    return _Scored(score, tags)


def _whole_string(query: NameForms, listed: NameForms) -> float:
    if (
        not query.compact
        or query.compact[0] != listed.compact[0]
        or any(t.vowelless or t.transcribed for t in query.tokens)
    ):
        return 0.0
    plain = JaroWinkler.similarity(query.compact, listed.compact, prefix_weight=0.1)
    ordered = JaroWinkler.similarity(query.sorted_compact, listed.sorted_compact, prefix_weight=0.1)
    best = max(plain, ordered)
    return best * WHOLE_STRING_FACTOR if best >= WHOLE_STRING_MIN else 0.0


_VOWELS = frozenset("aeiou")
_ARABIC_FOLD = str.maketrans({"v": "f", "p": "b"})
# Korean, Japanese and Chinese transcriptions have one letter for l and r, none for v, f or z, and do not
# keep voiced and voiceless consonants apart the way a Latin spelling does (Hangul ㄱ is "g" or "k",
# pinyin b is an unvoiced p): each group is one letter. The romanisations of one syllable disagree only on
# voicing and l/r (김 Gim or Kim, 박 Bak or Pak): the mild fold, for syllables and short words.
_SYLLABIC_FOLD = str.maketrans({"l": "r", "v": "p", "f": "p", "b": "p", "d": "t", "g": "k", "j": "s", "z": "s"})
_ROMANISATION_FOLD = str.maketrans({"l": "r", "b": "p", "d": "t", "g": "k"})


def _arabic_letters(skeleton: str) -> str:
    """A skeleton as Arabic script can write it: no v (written f) and no p (written b), "Novaterra" = "نوفاتيرا"."""
    return skeleton.translate(_ARABIC_FOLD)


@lru_cache(maxsize=65_536)
def _syllabic_letters(skeleton: str, strong: bool = True) -> str:
    """A skeleton as a syllabic script can write it (`_SYLLABIC_FOLD`, or with `strong` false only
    `_ROMANISATION_FOLD`), a letter doubled by the fold once: "Dragomir" and "드라고미르" (deulagomileu) are
    both "trkmr", "Silverline" and "실버라인" "srprn"."""
    out: list[str] = []
    for ch in skeleton.translate(_SYLLABIC_FOLD if strong else _ROMANISATION_FOLD):
        if not out or ch != out[-1]:
            out.append(ch)
    return "".join(out)


def _index_keys(token: NameToken) -> Iterator[str]:
    """Blocking keys of one token: text and core prefixes, core suffix, skeleton and metaphone prefixes."""
    if token.kind is TokenKind.INITIAL:
        return
    if len(token.skeleton) >= 2:
        yield "s" + _arabic_letters(token.skeleton)[:3]
        yield "t" + _syllabic_letters(token.skeleton)[:3]
    if token.vowelless:
        return
    yield "p" + token.text[:3]
    yield "p" + token.core[:3]
    if len(token.core) >= 4:
        yield "e" + token.core[-3:]
    if len(token.metaphone) >= 3:
        yield "m" + token.metaphone[:3]  # "Nufatira" / "Novaterra": NFTR, no shared prefix or suffix


def _keyed_tokens(tokens: tuple[NameToken, ...]) -> tuple[NameToken, ...]:
    """Tokens that block: name words, or every token when a name has nothing but generic words."""
    names = tuple(t for t in tokens if t.kind is TokenKind.NAME)
    return names or tokens


class Screener:
    """Screens names against a fixed set of watch list entries (build once, screen many)."""

    def __init__(self, entries: Iterable[WatchListEntry]) -> None:
        self._entries: tuple[WatchListEntry, ...] = tuple(entries)
        spellings: list[_Spelling] = []
        index: dict[str, set[int]] = {}
        for e, entry in enumerate(self._entries):
            seen: set[str] = set()
            for listed_name in (entry.name, *entry.aliases):
                forms = name_forms(listed_name)
                if not forms.tokens or forms.normalised in seen:
                    continue
                seen.add(forms.normalised)
                s = len(spellings)
                spellings.append(_Spelling(e, listed_name, forms, _joined(forms.tokens)))
                for token in _keyed_tokens(forms.tokens):
                    for key in _index_keys(token):
                        index.setdefault(key, set()).add(s)
        self._spellings = tuple(spellings)
        self._index = {key: tuple(sorted(ids)) for key, ids in index.items()}

    @property
    def entries(self) -> tuple[WatchListEntry, ...]:
        """The screened entries, in the order given."""
        return self._entries

    def screen(self, name: str, *, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Listed parties scoring at least `threshold` against `name`: best per entity, best first.

        Any string is accepted; one with no letters or digits matches nothing.
        """
        if not isinstance(name, str):
            return []
        query = name_forms(name)
        if not query.tokens:
            return []
        # a name in a syllabic script is also read with each of its words whole (a transcribed foreign name)
        readings = [query]
        if query.transcription:
            readings.append(replace(query, tokens=query.transcription))
        candidates: set[int] = set()
        for reading in readings:
            for token in _keyed_tokens(reading.tokens):
                for key in _index_keys(token):
                    # the transcription keys are looked up for transcribed words only
                    if key[0] != "t" or token.transcribed:
                        candidates.update(self._index.get(key, ()))
        joined = [_joined(reading.tokens) for reading in readings]
        best: dict[int, tuple[float, _Spelling, str]] = {}
        for s in sorted(candidates):
            spelling = self._spellings[s]
            score, basis = max(
                (self._score(reading, q_joined, spelling) for reading, q_joined in zip(readings, joined, strict=True)),
                key=lambda scored: scored[0],
            )
            current = best.get(spelling.entry)
            if current is None or score > current[0]:
                best[spelling.entry] = (score, spelling, basis)
        matches = [
            Match(
                entity_id=self._entries[e].entity_id,
                listed_name=spelling.listed_name,
                program=self._entries[e].program,
                score=round(score, 4),
                basis=basis,
            )
            for e, (score, spelling, basis) in best.items()
            if score >= threshold and score > 0
        ]
        matches.sort(key=lambda m: (-m.score, m.entity_id))
        return matches

    def screen_many(self, names: Iterable[str], threshold: float = DEFAULT_THRESHOLD) -> dict[str, list[Match]]:
        """`screen` for each name (a repeated name is screened once)."""
        results: dict[str, list[Match]] = {}
        for name in names:
            if name not in results:
                results[name] = self.screen(name, threshold=threshold)
        return results

    @staticmethod
    def _score(query: NameForms, q_joined: tuple[_Joined, ...], spelling: _Spelling) -> tuple[float, str]:
        """Score of the query against one listed spelling, with its basis."""
        script = " after transliteration" if query.transliterated else ""
        if query.normalised == spelling.forms.normalised:
            return 1.0, "exact after normalisation" + (" and transliteration" if script else "")
        pairs = _best_pairs(query, q_joined, spelling)
        whole = _whole_string(query, spelling.forms)
        if whole > pairs.score:
            return whole, f"whole-string Jaro-Winkler {whole:.2f}{script}"
        notes = f" ({', '.join(pairs.notes)})" if pairs.notes else ""
        return pairs.score, f"token Jaro-Winkler {pairs.score:.2f}{script}{notes}"
