"""QR codes as files a printer or a packaging designer can use.

segno draws both formats itself (no image stack). A printed code must be read by an old
phone through a crease or a curved bag: medium error correction, the standard quiet zone
of four modules, and a fixed printed size whatever the address's length. The SVG says its
size in millimetres (a design program places it at that size); the PNG carries its
resolution, so it prints at the same size.
"""

import io
from functools import lru_cache

import segno

PRINT_MM = 30  # the side of the printed code, quiet zone included
PRINT_DPI = 300
QUIET_ZONE = 4  # modules, as ISO/IEC 18004 asks


def _code(text: str):
    return segno.make(text, error="m")


@lru_cache(maxsize=256)
def print_svg(text: str) -> bytes:
    """A standalone SVG (with its XML declaration and namespace), PRINT_MM wide."""
    code = _code(text)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    out = io.BytesIO()
    code.save(out, kind="svg", unit="mm", scale=PRINT_MM / modules, border=QUIET_ZONE)
    return out.getvalue()


@lru_cache(maxsize=256)
def print_png(text: str) -> bytes:
    """A PNG of at least PRINT_MM at PRINT_DPI, in whole pixels per module (sharp edges)."""
    code = _code(text)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    wanted = round(PRINT_MM / 25.4 * PRINT_DPI)
    scale = max(1, -(-wanted // modules))
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=QUIET_ZONE, dpi=PRINT_DPI)
    return out.getvalue()
