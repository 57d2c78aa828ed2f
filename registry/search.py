"""Accent-insensitive search for Vietnamese text.

Products are searched through two stored, lower-cased texts: one with its
accents (for ranking exact matches first) and one folded to plain ASCII letters
(so that "hoai duc", "Hoai Duc" and "Hoài Đức" all match). Folding in Python
and storing the result works the same on SQLite and PostgreSQL, needs no
database extension, and keeps the query a plain indexed-friendly LIKE.
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


def terms(query: str) -> list[str]:
    """The folded words of a query, at most eight."""
    return [t for t in _NOT_WORD.sub(" ", fold(query)).split(" ") if t][:8]
