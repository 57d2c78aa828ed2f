"""Folding rules, as plain functions."""

import pytest

from registry import search
from registry.search import fold, index_text, normalise, terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hoài Đức", "hoai duc"),
        ("HOÀI ĐỨC", "hoai duc"),
        ("hoai duc", "hoai duc"),
        ("Đông Anh", "dong anh"),
        ("đ Đ", "d d"),
        ("Mỹ Đức", "my duc"),
        ("Bún khô  Minh   Dương", "bun kho minh duong"),
        ("Trà sen Tây Hồ", "tra sen tay ho"),
        # Decomposed input (as some phones send it) folds the same as composed.
        ("Hoa\u0300i \u0110u\u031b\u0301c", "hoai duc"),
    ],
)
def test_fold_strips_vietnamese_marks(text, folded):
    assert fold(text) == folded


def test_normalise_keeps_accents_and_lowers_case():
    assert normalise("  Hoài   ĐỨC ") == "hoài đức"


def test_terms_splits_folded_words_and_caps_their_number():
    assert terms("Bún  Hoài Đức") == ["bun", "hoai", "duc"]
    assert len(terms(" ".join(["a"] * 20))) == 8
    assert terms("   ") == []


def test_index_text_is_folded_words_between_spaces():
    assert index_text("Bún khô (đặc biệt) | Xã Đông Anh") == " bun kho dac biet xa dong anh "


def test_terms_drop_punctuation():
    assert terms("bún-khô, (Đông Anh)!") == ["bun", "kho", "dong", "anh"]


def test_engine_queries_quote_every_word_as_a_prefix():
    words = search.terms('Trà "sen" NEAR(x) -hồ* ' + "a" * 100)
    assert words == ["tra", "sen", "near", "x", "ho", "a" * search.MAX_TERM_LENGTH]
    assert search.fts5_query(words[:3]) == '"tra"* "sen"* "near"*'
    assert search.tsquery(words[:2]) == "'tra':* & 'sen':*"
    assert len(search.terms("tra " * 5000)) == search.MAX_TERMS
