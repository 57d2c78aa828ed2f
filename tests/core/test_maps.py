"""The tile server's address: what the page's policy allows, and what stops the start."""

import pytest

from core.maps import TileURLError, tile_source


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.vn/{z}/{x}/{y}{r}.png", "https://*.tile.example.vn"),
        ("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
        ("https://maps.gov.vn/wmts/{z}/{y}/{x}?style=ocop", "https://maps.gov.vn"),
    ],
)
def test_the_policy_names_the_one_origin_of_the_tiles(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("tile.openstreetmap.org/{z}/{x}/{y}.png", "https://"),
        ("ftp://tiles.example.vn/{z}/{x}/{y}.png", "https://"),
        ("https://tiles.example.vn/{x}/{y}.png", "{z}, {x} and {y}"),
        ("https://tiles.example.vn/{z}/{x}/{y}.png?key={apikey}", "{apikey}"),
        ("https://tiles.example.vn; script-src *; /{z}/{x}/{y}.png", "semicolons"),
        ("https://tiles.example.vn 'unsafe-inline'/{z}/{x}/{y}.png", "spaces"),
        ("https://*.example.vn/{z}/{x}/{y}.png", "host"),
        ("https://user@tiles.example.vn/{z}/{x}/{y}.png", "host"),
        ("https:///{z}/{x}/{y}.png", "host"),
    ],
)
def test_anything_else_is_refused_saying_why(url, why):
    with pytest.raises(TileURLError, match=None) as error:
        tile_source(url)
    assert why in str(error.value)
