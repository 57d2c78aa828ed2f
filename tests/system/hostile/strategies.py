"""Hostile values as hypothesis strategies: what a careless or malicious client may send."""

import operator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def examples(n: int):
    """Hypothesis settings for a test that makes one request per example: no deadline (a
    page takes tens of milliseconds, more on a busy machine), and the per-test fixtures
    (the database, the cast) shared by every example on purpose; each example rolls its
    own writes back (checks.one_example)."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Anything HTTP can carry: every code point but lone surrogates, which UTF-8 cannot encode.
CHARACTERS = st.characters(exclude_categories=("Cs",))

PAYLOADS = (
    # SQL and template injection: must be data, never code.
    "' OR '1'='1",
    "'; DROP TABLE registry_product; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5)",
    "%' AND 1=1 --",
    "%",
    "_",
    "\\",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    # HTML and script: must come back escaped, never run.
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    # Paths and control characters.
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "..",
    ".",
    "/",
    "a/b",
    "\x00",
    "a\x00b",
    "%00",
    "\r\nSet-Cookie: x=1",
    "\t",
    " ",
    "",
    # Unicode that looks like nothing, reads backwards or is a digit to str.isdigit() only.
    "\u202eRTL override",
    "\u200f\u200e",
    "\u0301",
    "e\u0301\u0301\u0301\u0301",
    "\ufeff",
    "\u200b",
    "𝕆ℂ𝕆ℙ",
    "ﷺ",
    "²",
    "٣",
    "①",
    "１２",
    "Hoài Đức",
    # Numbers JavaScript or Python would read, and the database would not.
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-0",
    "0x10",
    "1_000",
    " 1 ",
    "+1",
    "1.5",
    "-1",
    "0",
    "9223372036854775808",  # one past the largest 64-bit integer
    "-9223372036854775809",
    # JSON-ish.
    "[]",
    "{}",
    "null",
    "true",
    "None",
)

numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats().map(str),
    st.integers(min_value=19, max_value=40).map(lambda n: "9" * n),  # past 64 bits
    st.just("9" * 5000),  # past Python's 4,300-digit limit for int(str)
)

long_text = st.builds(
    operator.mul,
    st.sampled_from(["x", "Đ", "\x00", "e\u0301", "<", "9", "%", "'"]),
    st.integers(min_value=1000, max_value=12000),
)

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    numbers,
    st.text(CHARACTERS, max_size=40),
    long_text,
)


def past_64_bits(value) -> bool:
    """An integer no 64-bit column holds. On SQLite, Django's admin crashes on one in a
    foreign-key list filter or a many-to-many field (OverflowError in the driver; Django
    guards only plain integer lookups): a Django limitation, so the admin tests leave such
    numbers out on SQLite. PostgreSQL simply finds nothing."""
    for text in value if isinstance(value, list) else [value]:
        try:
            if abs(int(text)) > 2**63 - 1:
                return True
        except ValueError:
            pass
    return False


# A field may also arrive twice or more (?stars=3&stars=x).
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))


def hostile_params(keys):
    """A query string or form body: some of `keys`, each with a hostile value."""
    return st.dictionaries(st.sampled_from(sorted(keys)), hostile_value, min_size=1)


def hostile_or(*valid):
    """Mostly hostile, sometimes a valid value, so that paths behind the first check (a real
    id next to a wrong one) are reached too."""
    return st.one_of(hostile_text, st.sampled_from([str(v) for v in valid]))


# Small files that are not what they claim: name and bytes chosen separately.
file_names = st.one_of(
    st.sampled_from(
        [
            "photo.jpg",
            "giay-chung-nhan.pdf",
            "danh-sach.csv",
            "danh-sach.xlsx",
            "../../etc/passwd",
            "..",
            "a" * 300 + ".pdf",
            "trà sen.pdf",
            "x.svg",
            "x.html",
            ".htaccess",
            "x.pdf\x00.exe",
            "x.php",
        ]
    ),
    st.text(CHARACTERS, min_size=1, max_size=40),
).filter(lambda name: name.rsplit("/", 1)[-1] not in {"", ".", ".."})
# (The test client refuses to send a file called "..": Django's parser drops such a name.)

file_contents = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from(
        [
            b"",
            b"\x00" * 100,
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"<html><script>alert(1)</script></html>",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,  # a PNG signature and nothing after
            b"\xff\xd8\xff\xe0" + b"JFIF" * 10,  # a JPEG start, no image
            b"GIF89a" + b"\x00" * 20,
            b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
            b"%PDF-1.4\n<< /OpenAction << /S /Launch /F (cmd.exe) >> >>",
            b"PK\x03\x04" + b"\x00" * 40,  # a ZIP (XLSX) header and nothing else
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,  # an old .xls / .doc
            "Mã số,Tên\r\n1,Trà\r\n".encode("utf-16"),
            b"registration_number\r\n\x00\r\n",
        ]
    ),
)
