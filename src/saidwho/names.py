"""Name normalisation and source matching (the speaker rule of docs/format.md).

A predicted source matches a gold source when, after normalising case,
punctuation, accents, leading articles and titles, its name or one of its
aliases equals the gold name or one of its aliases; for persons the same full
surname also matches; pronouns never match.

The evaluation harness uses :func:`names_match`; the speaker-resolution stage
reuses :func:`normalise_name`, :func:`surname` and :func:`is_pronoun` so that
what it merges and what the scorer accepts follow the same rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from saidwho.lexicon import (
    HONORIFICS,
    NAME_SUFFIXES,
    PORTFOLIO_HEADS,
    PRONOUNS,
    TITLE_QUALIFIERS,
    TITLE_STRINGS,
    WEAK_TITLE_WORDS,
    strip_possessive,
)
from saidwho.records import Source

# PRONOUNS and strip_possessive live in saidwho.lexicon; they are re-exported here
# for the readers that know them as names.PRONOUNS and names.strip_possessive.
__all__ = ["PRONOUNS", "TITLES", "is_pronoun", "name_tokens", "names_match", "normalise_name", "strip_possessive", "surname"]

LEADING_ARTICLES: frozenset[str] = frozenset({"the", "a", "an"})

# Titles (saidwho.lexicon.TITLE_STRINGS) as token tuples. Longer entries are
# tried first, so "prime minister" wins over "prime". Words that are also
# common in organisation names ("general", "justice") appear only in
# multi-word or abbreviated forms, or in _WEAK_TITLES, so that "General
# Motors" stays intact.
TITLES: frozenset[tuple[str, ...]] = frozenset(tuple(t.split()) for t in TITLE_STRINGS)
_TITLES_LONGEST_FIRST: tuple[tuple[str, ...], ...] = tuple(sorted(TITLES, key=len, reverse=True))
# The same, by first word: a lookup instead of a scan of every title per token.
_TITLES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _title in _TITLES_LONGEST_FIRST:
    _TITLES_BY_FIRST[_title[0]] = (*_TITLES_BY_FIRST.get(_title[0], ()), _title)

# Single words that are titles only when a name follows ("General Motors" is
# a company, "General Milley" a person): stripped only when at least two
# tokens remain after them, i.e. a first name and a surname or similar.
_WEAK_TITLES: frozenset[tuple[str, ...]] = frozenset((word,) for word in WEAK_TITLE_WORDS)

# Letters that NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
                       "ß": "ss"})
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
# "U.S.", "U.N", "J.R.R." -> "us", "un", "jrr": an initialism written with
# dots must equal the same letters written without them.
_INITIALISM = re.compile(r"\b\w(?:\.\w)+\b\.?")
_NON_WORD = re.compile(r"[^\w]+|_+")


def _fold(text: str) -> str:
    """Case-fold and strip accents: "Müller" -> "muller", "Ørsted" -> "orsted"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLD)


def _raw_tokens(text: str) -> list[str]:
    """Folded tokens with punctuation removed; apostrophes join ("O'Brien" -> "obrien")."""
    folded = _APOSTROPHES.sub("", _fold(text))
    folded = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), folded)
    return _NON_WORD.sub(" ", folded).split()


# A title followed by one of these heads a description ("a spokesman for the
# ministry"), not a name, and is kept.
_LINKING: frozenset[str] = frozenset({"for", "of", "at", "to", "with", "from", "in", "on", "and"})


def _title_length(tokens: list[str]) -> int:
    """Number of leading tokens that form a title (0 if none), leaving a name behind."""
    if len(tokens) >= 3 and tokens[1] in PORTFOLIO_HEADS and tokens[2] not in _LINKING:
        return 2
    for title in _TITLES_BY_FIRST.get(tokens[0], ()) if tokens else ():
        n = len(title)
        if tuple(tokens[:n]) != title:
            continue
        needed = 2 if title in _WEAK_TITLES else 1
        if len(tokens) - n >= needed and tokens[n] not in _LINKING:
            return n
    return 0


def name_tokens(text: str) -> list[str]:
    """Normalised tokens of the name proper, without articles, titles and suffixes.

    Empty when the text is all titles ("the deputy minister", "President"): a
    description, not a name. :func:`normalise_name` falls back to the
    description itself in that case; :func:`surname` returns None.
    """
    return list(_name_tokens(text))


@lru_cache(maxsize=65536)
def _name_tokens(text: str) -> tuple[str, ...]:
    # Cached: speaker resolution asks about the same few names again and again.
    tokens = _raw_tokens(text)
    after_honorific = False
    while tokens:
        if tokens[0] in LEADING_ARTICLES and len(tokens) > 1:
            tokens = tokens[1:]
            continue
        if tokens[0] in TITLE_QUALIFIERS and len(tokens) > 1 and _title_length(tokens[1:]):
            tokens = tokens[1:]
            continue
        n = _title_length(tokens)
        if n:
            after_honorific = tokens[0] in HONORIFICS
            tokens = tokens[n:]
            continue
        break
    while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
        tokens = tokens[:-1]
    if not tokens:
        return ()
    # "Mr. King", "Dr. General": after an honorific what is left is a surname,
    # even when the word could be a title.
    if _is_all_titles(tokens) and not after_honorific:
        return ()
    return tuple(tokens)


def split_title(name: str) -> tuple[str, str]:
    """A person's name as written, cut into its leading title and the name proper:
    "Superintendent Karen Whitfield" -> ("Superintendent", "Karen Whitfield"),
    "former Gov. Ana Pereira" -> ("former Gov.", "Ana Pereira").

    The title stays on when only a surname would be left after an honorific
    ("Mr. Reyes": the readable form of a name given no other way); a text that
    is all titles ("the Governor") or has none is returned whole, with no title.
    """
    proper = name_tokens(name)
    words = name.split()
    if not proper:
        return "", name
    for i, word in enumerate(words):
        if _raw_tokens(word)[:1] == [proper[0]] and name_tokens(" ".join(words[i:])) == proper:
            if i == 0:
                return "", name
            title = " ".join(words[:i])
            if not words[i][:1].isupper() or all(t in LEADING_ARTICLES for t in _raw_tokens(title)):
                return "", name  # a description ("a former member of ..."), not a titled name
            if len(proper) == 1 and _raw_tokens(words[i - 1])[:1] and _raw_tokens(words[i - 1])[0] in HONORIFICS:
                return "", name
            return title, " ".join(words[i:])
    return "", name


# Abbreviated titles and their full words, so that "the governor" finds "Gov. Ana Pereira".
_TITLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
                        "supt": "superintendent", "prof": "professor", "dr": "doctor", "capt": "captain",
                        "col": "colonel", "sgt": "sergeant", "lt": "lieutenant", "adm": "admiral", "cmdr": "commander"}


def expand_title_abbreviations(words: list[str]) -> list[str]:
    """Lower-case words with abbreviated titles written out ("gov" -> "governor")."""
    return [_TITLE_ABBREVIATIONS.get(w.rstrip("."), w) for w in words]


def title_words(text: str) -> list[str]:
    """The title of a title-only mention, as full lower-case words: "the Governor" ->
    ["governor"], "Lt. Gov." -> ["lieutenant", "governor"]; [] when the text holds a
    name or a word that is no title ("the Harlow governor's office")."""
    tokens = _raw_tokens(text)
    if not tokens or name_tokens(text) or not _is_all_titles(tokens):
        return []
    return expand_title_abbreviations([t for t in tokens if t not in LEADING_ARTICLES and t not in TITLE_QUALIFIERS])


def titled_as(written: str, title: list[str]) -> bool:
    """True when the written form starts with ``title`` before a name ("Gov. Ana Pereira", ["governor"])."""
    tokens = expand_title_abbreviations(_raw_tokens(written))
    while tokens and (tokens[0] in LEADING_ARTICLES or tokens[0] in TITLE_QUALIFIERS):
        tokens = tokens[1:]
    return bool(title) and tokens[: len(title)] == title and len(tokens) > len(title)


@lru_cache(maxsize=256)
def _titled_name_pattern(title: tuple[str, ...]) -> re.Pattern:
    words = []
    for word in title:
        forms = [word] + [short for short, full in _TITLE_ABBREVIATIONS.items() if full == word]
        words.append("(?:" + "|".join(re.escape(f) for f in forms) + r")\.?")
    return re.compile(r"\b(?i:" + r"\s+".join(words) + r")\s+(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+")


def titled_name_pattern(title: list[str]) -> re.Pattern:
    """A name written after ``title`` ("Gov. Ana Pereira", "Governor Pereira"); the match includes the title."""
    return _titled_name_pattern(tuple(title))


def _is_all_titles(tokens: list[str]) -> bool:
    """True for what is left of a pure description: "minister", "vice president", "the"."""
    rest = list(tokens)
    while rest:
        if rest[0] in LEADING_ARTICLES or rest[0] in TITLE_QUALIFIERS:
            rest = rest[1:]
            continue
        for title in _TITLES_BY_FIRST.get(rest[0], ()):
            if tuple(rest[: len(title)]) == title:
                rest = rest[len(title) :]
                break
        else:
            return False
    return True


def normalise_name(text: str) -> str:
    """Comparable form of a name: "Dr. José Núñez" -> "jose nunez", "The Ministry" -> "ministry".

    Case, accents and punctuation are removed, then leading articles and
    titles ("the", "Mr.", "Prime Minister", "former Sen.") and trailing
    suffixes ("Jr.", "III"). A text that is nothing but titles keeps them,
    without a leading article ("the deputy minister" -> "deputy minister"),
    so that two identical descriptions still compare equal. Pronouns are not
    special here; use :func:`is_pronoun` to exclude them.
    """
    tokens = name_tokens(text)
    if not tokens:
        tokens = _raw_tokens(text)
        while len(tokens) > 1 and tokens[0] in LEADING_ARTICLES:
            tokens = tokens[1:]
    return " ".join(tokens)


def surname(text: str) -> str | None:
    """Last token of the normalised name, or None when there is no usable one.

    None for descriptions ("the minister", "a spokesman for the ministry"), pronouns, and one-letter tokens
    (an initial is not a surname). "Carla Ruiz Montes" -> "montes",
    "Martin Luther King Jr." -> "king".
    """
    if is_pronoun(text):
        return None
    tokens = name_tokens(text)
    if not tokens or len(tokens[-1]) <= 1:
        return None
    if any(t in _LINKING for t in tokens):
        # "spokesman for the ministry" is a description; its last word is no surname.
        return None
    return tokens[-1]


def is_pronoun(text: str) -> bool:
    """True when the text is a bare pronoun ("He", "she", "THEY", "it").

    Compared on the folded text with only surrounding punctuation removed, so
    that "U.S." is not read as "us".
    """
    folded = _fold(text).strip().strip(".,;:!?\"'()[]{}\u2018\u2019\u201c\u201d")
    return folded in PRONOUNS


def _usable_names(source: Source) -> list[str]:
    return [n for n in (source.name, *source.aliases) if n and n.strip() and not is_pronoun(n)]


def _normalised(names: Iterable[str]) -> set[str]:
    return {form for form in map(normalise_name, names) if form}


def names_match(pred_source: Source | None, gold_source: Source | None) -> bool:
    """Whether a predicted source counts as the gold source (FORMAT.md's speaker rule).

    True when the name or an alias of one equals the name or an alias of the
    other after :func:`normalise_name`; or, when either source is of type
    ``person``, when they share a surname (:func:`surname`). Names and aliases
    that are pronouns are ignored, so a source known only as "he" never
    matches. A missing source (None) never matches.
    """
    if pred_source is None or gold_source is None:
        return False
    pred_names = _usable_names(pred_source)
    gold_names = _usable_names(gold_source)
    if not pred_names or not gold_names:
        return False
    if _normalised(pred_names) & _normalised(gold_names):
        return True
    if "person" in (pred_source.type, gold_source.type):
        pred_surnames = {s for s in map(surname, pred_names) if s}
        gold_surnames = {s for s in map(surname, gold_names) if s}
        if pred_surnames & gold_surnames:
            return True
    return False


# A role in lower case before a full name ("former neurosurgeon Ben Carson"),
# and the words that show it is no role but a phrase ("going to the polls on Super").
_LOWERCASE_ROLE_BEFORE_NAME = re.compile(r"(?:^|\band\s+)((?:[a-z][\w'’-]*\s+){1,4})([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+)$")
_NOT_A_ROLE_WORD = frozenset("a an the of for at to in on with by from or but my his her their our your its is was "
                             "are were be going said says told".split())


def role_before_name(text: str) -> tuple[str, str] | None:
    """A role written in lower case and the full name after it ("former
    neurosurgeon Ben Carson" -> ("former neurosurgeon", "Ben Carson"); also after
    "GOP contender and"), or None where the words before the name are a phrase."""
    m = _LOWERCASE_ROLE_BEFORE_NAME.search(text)
    if not m or set(m.group(1).lower().split()) & _NOT_A_ROLE_WORD:
        return None
    return m.group(1).strip(), m.group(2)
