"""Accent-insensitive search for Vietnamese text.

Products are searched through stored, lower-cased texts: one with its accents
(for ranking exact matches first), one folded to plain ASCII letters (so that
"hoai duc", "Hoai Duc" and "Hoài Đức" all match) for the name, maker and
places, and one folded for the description. Folding in Python and storing the
result works the same on SQLite and PostgreSQL and needs no database extension;
the folded texts are indexed by each database's full-text engine
(registry/fulltext.py), which is given only the words made here, each quoted,
so nothing a visitor types is ever syntax to it.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lower-case, NFC-composed, single-spaced: the 'exact accents' form."""
    text = unicodedata.normalize("NFC", text or "")
    return _SPACES.sub(" ", text.lower()).strip()


def fold(text: str) -> str:
    """Strip Vietnamese diacritics: 'Hoài Đức' -> 'hoai duc'.

    NFD splits a letter from its tone and vowel marks, which are then dropped;
    đ/Đ is a separate letter, not a marked d, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", normalise(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def index_text(text: str) -> str:
    """Folded words separated by single spaces, with a space on each side.

    Queries match at the start of a word (" anh" finds "Đông Anh" but not "Thanh"),
    which the leading space makes a plain substring test.
    """
    return f" {_NOT_WORD.sub(' ', fold(text)).strip()} "


MAX_TERMS = 8
MAX_TERM_LENGTH = 40  # longer than any word of a product; a pasted essay stays cheap


def terms(query: str) -> list[str]:
    """The folded words of a query, at most eight, each at most forty letters."""
    words = [t[:MAX_TERM_LENGTH] for t in _NOT_WORD.sub(" ", fold(query)).split(" ") if t]
    return words[:MAX_TERMS]


# The words above as each engine's query, every word a prefix ("word-start"): a word is
# only letters, digits and "_" (the _NOT_WORD split), so it cannot hold a quote; it is
# quoted all the same, so that NEAR, AND, OR, NOT are words to find, not operators.


def fts5_query(words: list[str]) -> str:
    """SQLite FTS5: '"hoai"* "duc"*' (implicit AND of prefix phrases)."""
    return " ".join('"{}"*'.format(w.replace('"', '""')) for w in words)


def tsquery(words: list[str]) -> str:
    """PostgreSQL to_tsquery: "'hoai':* & 'duc':*"."""
    return " & ".join("'{}':*".format(w.replace("'", "''").replace("\\", "\\\\")) for w in words)
